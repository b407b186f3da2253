"""Pages of periodic reports: list, create, the report itself (figures, narrative, actions, history), its xlsx and
PDF, the ministry's completeness and timeliness table and its background exports. Thin views over
report_selectors and services; a refused post re-renders the page with what the user typed and the reason."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts.models import Organisation
from khuyencong.accounts.scope import user_scope
from khuyencong.core import documents
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError, NotFound
from khuyencong.core.forms import StyledFormMixin
from khuyencong.core.paging import page_context
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from .. import report_exports, services
from ..flows import report_flow, returned_reason
from ..models import ExportJob, Report, ReportStatus
from ..permissions import can_create_report, can_edit_narrative, can_view_completeness
from ..report_selectors import (
    ReportFilters,
    Timeliness,
    completeness,
    report_figures,
    report_get,
    report_list,
    report_timeliness,
    report_types,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> datetime.date:
    return timezone.localdate()


def _int(value) -> int | None:
    return int(value) if value and str(value).isdecimal() and len(str(value)) < 19 else None  # < 2^63


def _period_or_none(text: str) -> Period | None:
    try:
        return Period.parse(text) if text else None
    except DomainError:
        return None


def _report_or_404(request, pk: int) -> Report:
    try:
        return report_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404


TIMELINESS_LABELS = report_exports.TIMELINESS_LABELS


def _recent_periods(today: datetime.date) -> list[Period]:
    """The periods a report can be made for: the last few quarters, half-years and years."""
    out = []
    for kind, count in (("quarter", 6), ("half", 3), ("year", 3)):
        period = Period.containing(today, kind)
        for _i in range(count):
            out.append(period)
            period = period.previous()
    return sorted(out, key=lambda p: (p.end, p.kind), reverse=True)


class NarrativeForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=gettext_lazy("Document number"), required=False, max_length=60,
                             help_text=gettext_lazy("As the clerk gives it, e.g. 125/BC-SCT."))
    situation = forms.CharField(label=gettext_lazy("I. General situation"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(label=gettext_lazy("II. Results"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    difficulties = forms.CharField(label=gettext_lazy("III. Difficulties and shortcomings"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=gettext_lazy("IV. Proposals and recommendations"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CreateForm(StyledFormMixin, forms.Form):
    report_type = forms.ChoiceField(label=gettext_lazy("Report type"))
    organisation = forms.ChoiceField(label=gettext_lazy("Reporting organisation"))
    period = forms.ChoiceField(label=pgettext_lazy("report period", "Period"))

    def __init__(self, *args, types, organisations, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_type"].choices = [(t.code, f"{t.name} ({t.get_period_kind_display().lower()})")
                                              for t in types]
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["period"].choices = [(str(p), p.label) for p in periods]


# --- list and create


@login_required
def report_list_view(request):
    period = _period_or_none(request.GET.get("period", ""))
    filters = ReportFilters(report_type=request.GET.get("type", ""), period=str(period) if period else "",
                            status=request.GET.get("status", "") if request.GET.get("status") in ReportStatus.values
                            else "", province=_int(request.GET.get("province")))
    scope = user_scope(request.user)
    provinces = AdminUnit.objects.current().provinces().order_by("name")
    if not scope.national:
        provinces = provinces.filter(pk__in=scope.province_ids)
    paging = page_context(request, report_list(user=request.user, filters=filters))
    today = _today()
    for report in paging["page"].object_list:
        # the completeness table's rule, so both pages call the same report overdue (and a late one "nộp muộn")
        report.timeliness = report_timeliness(report, today)
    return render(request, "reporting/reports/list.html", {
        **paging, "timeliness_labels": TIMELINESS_LABELS,
        "filters": filters, "types": report_types(), "statuses": ReportStatus.choices,
        "periods": _recent_periods(_today()), "provinces": list(provinces),
        "can_create": any(can_create_report(request.user, p) for p in scope.province_ids) or scope.national,
        "national": scope.national,
    })


def _drafting_organisations(user):
    scope = user_scope(user)
    qs = Organisation.objects.filter(is_active=True, province__isnull=False, kind__in=report_types().values(
        "from_kind")).select_related("province").order_by("province__name", "name")
    if not scope.national:
        qs = qs.filter(province_id__in=scope.province_ids)
    return [o for o in qs if can_create_report(user, o.province_id)]


@login_required
def report_create_view(request):
    types = list(report_types())
    organisations = _drafting_organisations(request.user)
    if not organisations:
        messages.error(request, _("You cannot draft periodic reports."))
        return redirect("report_list")
    periods = _recent_periods(_today())
    initial = {"period": request.GET.get("period", ""), "report_type": request.GET.get("type", "")}
    form = CreateForm(request.POST or None, initial=initial, types=types, organisations=organisations,
                      periods=periods)
    if request.method == "POST" and form.is_valid():
        report_type = next(t for t in types if t.code == form.cleaned_data["report_type"])
        organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        try:
            report = services.report_create(actor=request.user, report_type=report_type, organisation=organisation,
                                            period=Period.parse(form.cleaned_data["period"]))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            existing = Report.objects.filter(report_type=report_type, organisation=organisation,
                                             period=form.cleaned_data["period"]).first()
            return render(request, "reporting/reports/create.html", {"form": form, "existing": existing},
                          status=409 if exc.code == "duplicate" else 422)
        messages.success(request, _("Report opened as a draft: its figures are computed from the data."))
        return redirect("report_detail", pk=report.pk)
    return render(request, "reporting/reports/create.html", {"form": form})


# --- one report


def _detail(request, report: Report, *, narrative_form=None, action_error=None, status=200):
    figures, frozen = report_figures(user=request.user, report=report)
    if narrative_form is None:
        narrative_form = NarrativeForm(initial={
            "number": report.number, "situation": report.situation, "results": report.results,
            "difficulties": report.difficulties, "proposals": report.proposals, "version": report.version})
    editable = bool(can_edit_narrative(request.user, report))
    if not editable:
        for field in narrative_form.fields.values():
            field.disabled = True
    return render(request, "reporting/reports/detail.html", {
        "report": report, "timeliness": report_timeliness(report, _today()), "timeliness_labels": TIMELINESS_LABELS,
        "figures": figures, "rows": report_exports.figure_rows(figures), "frozen": frozen,
        "generated_at": datetime.datetime.fromisoformat(figures["generated_at"]),
        "form": narrative_form, "editable": editable, "action_error": action_error,
        "actions": report_flow.options(report, request.user, on_date=_today()),
        "returned_reason": returned_reason(report),
        "snapshots": report.snapshots.select_related("taken_by"),
        "events": audit_events_for(report)[:50],
    }, status=status)


@login_required
def report_detail_view(request, pk: int):
    return _detail(request, _report_or_404(request, pk))


@login_required
@require_POST
def report_narrative_view(request, pk: int):
    report = _report_or_404(request, pk)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, narrative_form=form, status=422)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        services.report_update_narrative(actor=request.user, report=report, data=data,
                                         version=form.cleaned_data["version"])
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _detail(request, report, narrative_form=form, status=exc.http_status)
    messages.success(request, _("Report saved."))
    return redirect(reverse("report_detail", args=[report.pk]) + "#narrative")


@login_required
@require_POST
def report_act_view(request, pk: int, action: str):
    report = _report_or_404(request, pk)
    try:
        services.report_transition(actor=request.user, report=report, action=action,
                                   inputs={"reason": request.POST.get("reason", "")},
                                   version=_int(request.POST.get("version")))
    except DomainError as exc:
        return _detail(request, report, action_error=exc.message, status=exc.http_status)
    messages.success(request, _("Done: the report is now “%(status)s”.") % {
        "status": report.get_status_display().lower()})
    return redirect(reverse("report_detail", args=[report.pk]) + "#actions")


@login_required
def report_xlsx_view(request, pk: int):
    report = _report_or_404(request, pk)
    figures, frozen = report_figures(user=request.user, report=report)
    response = HttpResponse(report_exports.report_xlsx(report, figures, frozen), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report_exports.export_filename(report, "xlsx")}"'
    return response


@login_required
def report_pdf_view(request, pk: int):
    report = _report_or_404(request, pk)
    figures, frozen = report_figures(user=request.user, report=report)
    fmt = "docx" if request.GET.get("format") == "docx" else "pdf"
    return documents.document_response(report_exports.report_document(report, figures, frozen), fmt=fmt,
                                       filename=report_exports.export_filename(report, fmt)[:-len(fmt) - 1])


# --- the ministry's view of every province


@login_required
def report_completeness_view(request):
    decision = can_view_completeness(request.user)
    if not decision:
        return render(request, "reporting/reports/refused.html", {"reason": decision.reason}, status=403)
    today = _today()
    period = _period_or_none(request.GET.get("period", "")) or Period.containing(today, "quarter").previous()
    table = completeness(period=period, today=today)
    labels = report_exports.STANDING_LABELS
    for row in table["rows"]:
        for cell in row["cells"]:
            cell["label"] = labels[cell["standing"]]
            # an approved or locked report that came in late says so too ("nộp muộn", never "quá hạn")
            if cell["timeliness"] == Timeliness.LATE and cell["standing"] != "late":
                cell["note"] = labels["late"]
    jobs = ExportJob.objects.filter(created_by=request.user, period=str(period)).order_by("-created_at")[:5]
    return render(request, "reporting/reports/completeness.html", {
        "table": table, "period": period, "periods": _recent_periods(today), "jobs": jobs,
        "count_rows": [(k, label, table["counts"].get(k, 0)) for k, label in labels.items()],
        "export_kinds": ExportJob.Kind.choices,
    })


@login_required
@require_POST
def report_export_start_view(request):
    decision = can_view_completeness(request.user)
    if not decision:
        return render(request, "reporting/reports/refused.html", {"reason": decision.reason}, status=403)
    period = _period_or_none(request.POST.get("period", ""))
    if period is None:
        messages.error(request, _("Choose a period."))
        return redirect("report_completeness")
    try:
        job = services.export_start(actor=request.user, kind=request.POST.get("kind", ""), period=period)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("report_completeness") + f"?period={period}")
    return redirect("report_export_detail", pk=job.pk)


def _job_or_404(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@login_required
def report_export_detail_view(request, pk: int):
    job = _job_or_404(request, pk)
    template = "reporting/reports/_export_progress.html" if request.headers.get("HX-Request") else \
        "reporting/reports/export.html"
    return render(request, template, {"job": job, "period": Period.parse(job.period)})


@login_required
def report_export_download_view(request, pk: int):
    job = _job_or_404(request, pk)
    if not job.ready or not job.file or not default_storage.exists(job.file):
        raise Http404
    return FileResponse(default_storage.open(job.file, "rb"), as_attachment=True,
                        filename=job.file.rsplit("/", 1)[-1].split("-", 1)[-1], content_type=XLSX)
