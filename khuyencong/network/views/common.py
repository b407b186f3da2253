"""What the network's views share: the province a page is about, errors shown on forms, file responses."""

import functools

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_provinces, user_scope
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none
from khuyencong.geo.models import AdminUnit

from ..models import Collaborator
from ..permissions import can_manage_network

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_province(request) -> AdminUnit | None:
    """The province a staff page shows: ?province=<code> among those the user sees wholly (404 for another one),
    else the first of them (for national users, the first province with collaborators)."""
    code = int_or_none(request.GET.get("province") or request.POST.get("province"))
    if user_scope(request.user).national:
        qs = AdminUnit.objects.current().provinces()
        if code:
            return qs.filter(code=code).first() or _missing()
        return qs.filter(pk__in=Collaborator.objects.values("province_id")).order_by("name").first() or qs.order_by(
            "name").first()
    provinces = list(acting_provinces(request.user))
    if code:
        return next((p for p in provinces if p.code == code), None) or _missing()
    return provinces[0] if provinces else None


def _missing():
    raise Http404(_("This province is outside your area."))


def province_context(request, province: AdminUnit | None, tab: str) -> dict:
    scope = user_scope(request.user)
    choices = AdminUnit.objects.current().provinces().order_by("name") if scope.national else \
        acting_provinces(request.user)
    return {
        "province": province,
        "province_choices": choices,
        "tab": tab,
        "can_manage": bool(province and can_manage_network(request.user, province.pk)),
    }


def show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class NoProvince(Exception):
    """The user sees no whole province (a collaborator's account): staff pages answer with an explanation."""


def require_province(province):
    if province is None:
        raise NoProvince
    return province


def staff_page(view):
    """Staff pages shown to an account without a whole province explain that, instead of failing."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NoProvince:
            # Reading explains; a change from such an account is refused.
            return render(request, "network/no_network.html", {"tab": ""},
                          status=403 if request.method == "POST" else 200)

    return wrapped
