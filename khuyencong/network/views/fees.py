"""Performance of the collaborators over a period, and the fee sheets finance signs off before payment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.exports import write_table
from khuyencong.core.periods import Period, PeriodKind

from .. import selectors, services
from ..flows import fee_sheet_flow
from ..forms import FeeActionForm
from ..models import FEE_PERIOD_KINDS
from .common import XLSX, province_context, require_province, staff_page, staff_province


def recent_periods(count: int = 6) -> list[Period]:
    today = timezone.localdate()
    months, quarters = [Period.containing(today)], [Period.containing(today, PeriodKind.QUARTER)]
    while len(months) < count:
        months.append(months[-1].previous())
    while len(quarters) < 4:
        quarters.append(quarters[-1].previous())
    return months + quarters


def _period(request) -> Period:
    try:
        return Period.parse(request.GET.get("period", ""), kinds=FEE_PERIOD_KINDS)
    except DomainError:
        return Period.containing(timezone.localdate())


@login_required
@staff_page
def performance_page(request):
    province = require_province(staff_province(request))
    period = _period(request)
    rows, regulation = selectors.performance_ranking(province, period)
    context = province_context(request, province, "performance")
    context.update({"period": period, "periods": recent_periods(), "rows": rows, "regulation": regulation})
    return render(request, "network/performance.html", context)


@login_required
@staff_page
def fee_list(request):
    province = require_province(staff_province(request))
    context = province_context(request, province, "fees")
    context.update({"sheets": selectors.fee_sheet_list(user=request.user, province=province.code),
                    "periods": recent_periods()})
    return render(request, "network/fee_list.html", context)


@login_required
@staff_page
@require_POST
def fee_prepare(request):
    province = require_province(staff_province(request))
    try:
        period = Period.parse(request.POST.get("period", ""), kinds=FEE_PERIOD_KINDS)
        sheet = services.fee_sheet_prepare(actor=request.user, province=province, period=period)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('network_fee_list')}?province={province.code}")
    messages.success(request, _("The fee sheet is computed."))
    return redirect("network_fee_detail", pk=sheet.pk)


def _sheet_or_404(request, pk):
    sheet = selectors.fee_sheet_get(user=request.user, pk=pk)
    if sheet is None:
        raise Http404(_("Fee sheet not found."))
    return sheet


@login_required
def fee_detail(request, pk: int):
    sheet = _sheet_or_404(request, pk)
    context = province_context(request, sheet.province, "fees")
    context.update({
        "sheet": sheet, "period": selectors.fee_sheet_period(sheet), "lines": selectors.fee_sheet_lines(sheet),
        "options": fee_sheet_flow.options(sheet, request.user),
        "form": FeeActionForm(initial={"version": sheet.version, "paid_on": timezone.localdate()}),
        "events": audit_events_for(sheet)[:30],
    })
    return render(request, "network/fee_detail.html", context)


@login_required
def fee_export(request, pk: int):
    sheet = _sheet_or_404(request, pk)
    period = selectors.fee_sheet_period(sheet)
    lines = list(selectors.fee_sheet_lines(sheet))
    rows = [[i, line.collaborator.code, line.collaborator.full_name, line.months_active, line.surveys,
             line.conversions, line.reports, line.base_vnd, line.survey_vnd, line.conversion_vnd, line.report_vnd,
             line.cap_reduction_vnd, line.total_vnd, str(line.score).replace(".", ",")]
            for i, line in enumerate(lines, start=1)]
    rows.append(["", "", _("Total"), "", sum(x.surveys for x in lines), sum(x.conversions for x in lines),
                 sum(x.reports for x in lines), sum(x.base_vnd for x in lines), sum(x.survey_vnd for x in lines),
                 sum(x.conversion_vnd for x in lines), sum(x.report_vnd for x in lines),
                 sum(x.cap_reduction_vnd for x in lines), sheet.total_vnd, ""])
    scheme = sheet.scheme
    notes = [
        _("Regulation %(number)s: base %(base)s đồng/month; %(survey)s per survey; %(conversion)s per registration "
          "turned into a project; %(report)s per report.") % {
            "number": scheme.get("regulation"), "base": f"{scheme.get('monthly_base_vnd', 0):,}".replace(",", "."),
            "survey": f"{scheme.get('per_survey_vnd', 0):,}".replace(",", "."),
            "conversion": f"{scheme.get('per_conversion_vnd', 0):,}".replace(",", "."),
            "report": f"{scheme.get('per_report_vnd', 0):,}".replace(",", ".")},
        _("Status: %(status)s") % {"status": sheet.get_status_display()}
        + (_(" by %(who)s on %(date)s") % {"who": sheet.signed_by, "date": sheet.signed_at.strftime("%d/%m/%Y")}
           if sheet.signed_by_id and sheet.signed_at else ""),
    ]
    body = write_table(
        title=_("Collaborators' fees of %(province)s — %(period)s") % {"province": sheet.province.name,
                                                                     "period": period.label},
        headers=[_("No."), _("Code"), _("Full name"), _("Months active"), _("Accepted surveys"),
                 _("Registrations turned into projects"), _("Accepted reports"), _("Base fee"), _("For surveys"),
                 _("For conversions"), _("For reports"), _("Above the cap"), _("Total (đồng)"), _("Score")],
        rows=rows, notes=notes, widths=[6, 14, 28, 10, 10, 14, 10, 14, 14, 14, 14, 12, 16, 8])
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="thu-lao-ctv-{sheet.province.code:02d}-'
                                       f'{period.key}.xlsx"')
    return response


@login_required
@require_POST
def fee_action(request, pk: int, action: str):
    sheet = _sheet_or_404(request, pk)
    form = FeeActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; please try again."))
        return redirect("network_fee_detail", pk=pk)
    if action not in fee_sheet_flow.actions():
        raise Http404(_("Unknown action."))
    data = form.cleaned_data
    try:
        services.fee_sheet_act(actor=request.user, sheet=sheet, action=action, version=data["version"],
                               reason=data["reason"], reference=data["reference"], paid_on=data["paid_on"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, {"recompute": _("Computed again."), "sign_off": _("Signed off for payment."),
                                   "return": _("Returned to draft."), "paid": _("Recorded as paid.")}[action])
    return redirect("network_fee_detail", pk=pk)

