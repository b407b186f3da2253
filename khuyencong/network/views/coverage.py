"""Coverage of the province's communes, the map, and the move of inherited networks onto today's communes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import DomainError
from khuyencong.core.exports import write_table

from .. import selectors, services
from ..models import Coverage, Reassignment
from ..permissions import can_manage_network
from ..templatetags.network_tags import percent
from .common import XLSX, province_context, require_province, staff_page, staff_province


@login_required
@staff_page
def coverage_page(request):
    province = require_province(staff_province(request))
    summary = selectors.coverage_summary(province)
    points = selectors.map_points(province, summary)
    located = {p["commune"] for p in points}
    context = province_context(request, province, "coverage")
    context.update({
        "summary": summary,
        "points": points,
        "unlocated": [row for row in summary.communes if row.commune.name not in located],
        "tiles": {"url": settings.KC_MAP_TILE_URL, "attribution": settings.KC_MAP_TILE_ATTRIBUTION},
        # The choropleth colours the province by the rate of the figure card above (the same summary).
        "map_areas": [{"code": province.code, "value": round(summary.rate * 100, 1), "display": percent(summary.rate)}],
        "show": request.GET.get("show", "gaps"),
    })
    return render(request, "network/coverage.html", context)


@login_required
@staff_page
def coverage_export(request):
    province = require_province(staff_province(request))
    summary = selectors.coverage_summary(province)
    rows = ([row.commune.name, row.commune.get_kind_display(), row.establishments,
             ", ".join(c.full_name for c in row.collaborators) or _("Not covered"), "; ".join(row.former)]
            for row in sorted(summary.communes, key=lambda r: (r.covered, -r.establishments, r.commune.name)))
    legacy = [(r.unit.name, r.parent.name if r.parent else "", r.total, r.covered, f"{r.rate:.0%}")
              for r in [*summary.legacy_provinces, *summary.legacy_districts]]
    body = write_table(
        title=_("Collaborator coverage of %(province)s on %(date)s: %(covered)s of %(total)s communes") % {
            "province": province.name, "date": timezone.localdate().strftime("%d/%m/%Y"),
            "covered": summary.covered, "total": summary.total},
        headers=[_("Commune"), _("Type"), _("Establishments"), _("Covered by"), _("Formed from")],
        rows=rows, widths=[28, 14, 14, 40, 60],
        extra_sheets=[(_("Former units"), [_("Former unit"), _("Former province"), _("Communes today"),
                                          _("Covered"), _("Rate")], legacy)])
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="phu-song-ctv-{province.code:02d}.xlsx"'
    return response


@login_required
@staff_page
def reassign(request):
    """Moves a network inherited on former units (before 1/7/2025) onto today's communes, in bulk."""
    province = require_province(staff_province(request))
    decision = can_manage_network(request.user, province.pk)
    status = 200
    if request.method == "POST":
        moves = {}
        for key in request.POST:
            if key.startswith("move-") and key[5:].isdecimal():
                moves[int(key[5:])] = [int(v) for v in request.POST.getlist(key) if v.isdecimal()]
        known = set(Coverage.objects.filter(province=province, pk__in=list(moves)).values_list("pk", flat=True))
        if set(moves) - known:
            raise Http404(_("Coverage not found."))
        if not decision:
            messages.error(request, decision.reason)
            status = 403
        else:
            try:
                batch = services.coverage_reassign(actor=request.user, province=province, moves=moves,
                                                   note=request.POST.get("note", ""))
            except DomainError as exc:
                messages.error(request, exc.message)
                status = 422
            else:
                messages.success(request, _("%(rows)s former coverage rows moved onto %(communes)s communes; the "
                                            "history keeps them.") % {"rows": batch.summary["former_rows"],
                                                                      "communes": batch.summary["communes_opened"]})
                return redirect(f"{reverse('network_reassign')}?province={province.code}")
    plan, gaps = selectors.reassignment_plan(province)
    context = province_context(request, province, "coverage")
    context.update({
        "plan": plan, "gaps": gaps, "manage": bool(decision), "reason": decision.reason,
        "batches": Reassignment.objects.filter(province=province).select_related("actor")[:10],
        "overlaps": [(row, cand) for row in plan for cand in row.candidates if cand.covered_by],
    })
    return render(request, "network/reassign.html", context, status=status)
