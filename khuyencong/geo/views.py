"""Pages of the administrative units: a browser of both schemes, a unit page, and the old-address lookup.

Units are public reference data, so the pages need a signed-in user but no scope.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from khuyencong.core.errors import NotFound
from khuyencong.core.paging import page_context

from . import selectors
from .forms import ResolveForm
from .models import AdminUnit, Level, Scheme
from .resolve import ResolutionStatus, resolve_legacy_address

# The level tabs of each scheme; "" shows every level.
LEVEL_TABS = {
    Scheme.CURRENT: [
        (Level.PROVINCE, _("Provinces and cities")),
        (Level.COMMUNE, _("Communes and wards")),
        ("", _("All levels")),
    ],
    Scheme.LEGACY: [
        (Level.PROVINCE, _("Provinces and cities")),
        (Level.DISTRICT, _("Districts")),
        (Level.COMMUNE, _("Communes and wards")),
        ("", _("All levels")),
    ],
}

# Bootstrap badge class and icon of each resolution status.
STATUS_STYLE = {
    ResolutionStatus.EXACT: ("text-bg-success", "check-circle"),
    ResolutionStatus.SPLIT: ("text-bg-warning", "signpost-split"),
    ResolutionStatus.UNMAPPED: ("text-bg-secondary", "question-circle"),
    ResolutionStatus.NOT_FOUND: ("text-bg-danger", "x-circle"),
    ResolutionStatus.AMBIGUOUS: ("text-bg-warning", "exclamation-triangle"),
}


def _code(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdecimal() and len(value) <= 6 else None


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


@login_required
def unit_list(request):
    get = request.GET
    scheme = get.get("scheme") if get.get("scheme") in Scheme.values else Scheme.CURRENT
    levels = [value for value, _label in LEVEL_TABS[scheme]]
    level = get.get("level", Level.PROVINCE)
    level = level if level in levels else Level.PROVINCE
    province_code = _code(get.get("province"))
    parent_code = _code(get.get("parent"))
    q = get.get("q", "")[:100]
    units = selectors.unit_list(
        scheme=scheme, level=level or None, parent_code=parent_code, province_code=province_code, q=q
    )
    parent = None
    if parent_code is not None:
        child = level or (Level.COMMUNE if scheme == Scheme.CURRENT else Level.DISTRICT)
        parent_level = selectors.PARENT_LEVEL.get((scheme, child))
        parent = AdminUnit.objects.filter(scheme=scheme, level=parent_level, code=parent_code).first()
    context = {
        **page_context(request, units),
        "scheme": scheme,
        "level": level,
        "q": q,
        "province_code": province_code,
        "parent_code": parent_code,
        "parent": parent,
        "provinces": selectors.province_choices(scheme=scheme),
        "scheme_tabs": [(value, label, _query(scheme=value)) for value, label in Scheme.choices],
        "level_tabs": [
            (value, label, _query(scheme=scheme, level=value, province=province_code, q=q))
            for value, label in LEVEL_TABS[scheme]
        ],
        "clear_parent_url": _query(scheme=scheme, level=level, province=province_code, q=q),
    }
    template = "geo/_unit_rows.html" if request.htmx else "geo/unit_list.html"
    return render(request, template, context)


@login_required
def unit_detail(request, unit_id: int):
    try:
        unit = selectors.unit_get(pk=unit_id)
    except NotFound as exc:
        raise Http404(exc.message)
    child_level = selectors.child_level(unit)
    context = {
        "unit": unit,
        "periods": list(unit.periods.all()),
        "successors": list(unit.successors.all()),
        "predecessors": list(unit.predecessors.all()),
        "child_level": child_level,
        "children_count": selectors.children_count(unit),
        "children_url": _query(scheme=unit.scheme, level=child_level, parent=unit.code) if child_level else "",
    }
    return render(request, "geo/unit_detail.html", context)


@login_required
def resolve(request):
    form = ResolveForm(request.GET or None)
    resolution = None
    if form.is_valid():
        data = form.cleaned_data
        resolution = resolve_legacy_address(data["province"], data["district"], data["commune"])
    badge, icon = STATUS_STYLE.get(resolution.status, ("", "")) if resolution else ("", "")
    context = {"form": form, "resolution": resolution, "badge_class": badge, "badge_icon": icon}
    return render(request, "geo/resolve.html", context)
