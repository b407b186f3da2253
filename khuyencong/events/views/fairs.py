"""Fairs: booths booked and exhibitors certified."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.registry.models import Establishment

from .. import services
from ..forms import BoothForm
from ..models import Booth
from .common import event_or_404, invalid, run


@login_required
@require_POST
def booth_add(request, pk: int):
    event = event_or_404(request, pk)
    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.filter(merged_into__isnull=True), province="province_id",
                                  commune="commune_id")
    form = BoothForm(request.POST, establishments=establishments)
    if not form.is_valid():
        return invalid(request, event, form, "booth_form")
    d = form.cleaned_data
    return run(request, event, lambda: services.booth_add(
        actor=request.user, event=event, establishment=d["establishment"], number=d["number"], price=d["price"],
        support=d["support"], products=d["products"]),
        ok=_("Booth booked."), anchor="booths", form=form, form_key="booth_form")


@login_required
@require_POST
def booth_remove(request, pk: int, booth_pk: int):
    event = event_or_404(request, pk)
    booth = get_object_or_404(Booth, pk=booth_pk, event=event)
    return run(request, event, lambda: services.booth_remove(actor=request.user, booth=booth),
                ok=_("Booth removed."), anchor="booths")


@login_required
@require_POST
def booth_certify(request, pk: int, booth_pk: int):
    event = event_or_404(request, pk)
    booth = get_object_or_404(Booth, pk=booth_pk, event=event)
    certified = request.POST.get("certified") == "1"
    return run(request, event, lambda: services.booth_certify(actor=request.user, booth=booth, certified=certified),
                ok=_("Exhibitor certified.") if certified else _("Certification withdrawn."), anchor="booths")
