"""Pages of a project's monitoring: progress reports, supervision visits and their follow-up, acceptance minutes,
adjustment requests and their decisions, and the settlement summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError

from .. import checks, exports, selectors, services
from ..forms import AcceptanceForm, AdjustmentDecisionForm, AdjustmentForm, FollowUpForm, ProgressReportForm, VisitForm
from ..models import VisitAttachment
from ..permissions import (
    can_decide_adjustment,
    can_follow_up_visit,
    can_record_acceptance,
    can_record_visit,
    can_report_progress,
    can_request_adjustment,
)
from .common import brief_or_404, file_response, refuse, show_error, xlsx


def _monitoring_context(request, project, *, follow_up_forms=None):
    user = request.user
    data = selectors.project_monitoring(project)
    forms = follow_up_forms or {}
    return {
        "project": project,
        **data,
        "visit_rows": [{"visit": visit, "form": forms.get(visit.pk) or FollowUpForm(
            initial={"follow_up": visit.follow_up, "note": visit.follow_up_note, "version": visit.version},
            prefix=f"v{visit.pk}")} for visit in data["visits"]],
        "report_late": selectors.is_report_late(project),
        "report_due": selectors.report_due(project),
        "reporting": selectors.is_reporting(project),
        # Reports are owed from a month only when a calendar rule asks for them (set when implementation starts).
        "report_basis": next((r.due_basis for r in data["reports"] if r.due_basis), ""),
        "can_report": can_report_progress(user, project),
        "can_visit": can_record_visit(user, project),
        "can_follow_up": can_follow_up_visit(user, project),
        "can_accept": can_record_acceptance(user, project),
        "adjustment_rows": [{"request": r, "decide": can_decide_adjustment(user, project, r.authority),
                             "form": forms.get(("adj", r.pk)) or AdjustmentDecisionForm(
                                 initial={"version": r.version}, prefix=f"a{r.pk}")}
                            for r in data["adjustments"]],
        "can_adjust": can_request_adjustment(user, project),
        "today": timezone.localdate(),
    }


@login_required
def project_monitoring(request, project_id: int):
    project = brief_or_404(request, project_id)
    return render(request, "projects/monitoring.html", _monitoring_context(request, project))


def _monitoring_url(project, anchor: str = "") -> str:
    return reverse("project_monitoring", args=[project.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def progress_report_new(request, project_id: int):
    project = brief_or_404(request, project_id)
    if refuse(request, can_report_progress(request.user, project)):
        return redirect(_monitoring_url(project))
    contents = project.contents.select_related("content", "establishment")
    initial = {"period": project.report_due_date or timezone.localdate()}
    form = ProgressReportForm(request.POST or None, request.FILES or None, contents=contents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.progress_report_submit(
                actor=request.user, project=project, period=data["period"], lines=form.lines(),
                problems=data["problems"], proposals=data["proposals"], submitted_on=data["submitted_on"],
                file=data["file"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            text = _("Progress report for %(month)s recorded.") % {"month": report.period.strftime("%m/%Y")}
            if report.late:
                text += " " + _("It came after its deadline, %(date)s, and is marked late.") % {
                    "date": checks.dmy(report.due_on)}
            messages.success(request, text)
            return redirect(_monitoring_url(project, "reports"))
    return render(request, "projects/report_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
def visit_new(request, project_id: int):
    project = brief_or_404(request, project_id)
    if refuse(request, can_record_visit(request.user, project)):
        return redirect(_monitoring_url(project))
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(actor=request.user, project=project, visit_date=data["visit_date"],
                                  team=data["team"], findings=data["findings"],
                                  recommendations=data["recommendations"],
                                  files=[(upload, "") for upload in data["files"]])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect(_monitoring_url(project, "visits"))
    return render(request, "projects/visit_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def visit_follow_up(request, project_id: int, visit_id: int):
    project = brief_or_404(request, project_id)
    form = FollowUpForm(request.POST, request.FILES, prefix=f"v{visit_id}")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_follow_up(actor=request.user, project=project, visit_id=visit_id,
                                     follow_up=data["follow_up"], note=data["note"], version=data["version"],
                                     files=[(upload, "") for upload in data["files"]])
        except DomainError as exc:
            if exc.http_status == 404:
                raise Http404(exc.message)
            show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(_monitoring_url(project, f"visit-{visit_id}"))
    context = _monitoring_context(request, project, follow_up_forms={visit_id: form})
    return render(request, "projects/monitoring.html", context, status=status)


@login_required
def acceptance_new(request, project_id: int):
    project = brief_or_404(request, project_id)
    if refuse(request, can_record_acceptance(request.user, project)):
        return redirect(_monitoring_url(project))
    contents = list(project.contents.select_related("content"))
    initial = {f"ind_{row.pk}": row.content.name[:200] for row in contents}
    form = AcceptanceForm(request.POST or None, request.FILES or None, contents=contents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.acceptance_record(
                actor=request.user, project=project, minutes_date=data["minutes_date"],
                members=form.member_lines(), conclusion=data["conclusion"], results=form.results(),
                reference=data["reference"], site=data["site"], conclusion_text=data["conclusion_text"],
                file=data["file"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Acceptance minutes recorded."))
            return redirect(_monitoring_url(project, "acceptance"))
    return render(request, "projects/acceptance_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
def monitoring_file(request, project_id: int, kind: str, pk: int):
    """A file of the project's monitoring records: a report, a visit's attachment, acceptance minutes."""
    project = brief_or_404(request, project_id)
    if kind == "report":
        record = project.progress_reports.filter(pk=pk).first()
    elif kind == "visit":
        record = VisitAttachment.objects.filter(visit__project=project, pk=pk).first()
    elif kind == "acceptance":
        record = project.acceptances.filter(pk=pk).first()
    else:
        record = None
    if record is None:
        raise Http404(_("No file."))
    return file_response(record.file)


@login_required
def adjustment_new(request, project_id: int):
    project = brief_or_404(request, project_id)
    if refuse(request, can_request_adjustment(request.user, project)):
        return redirect(_monitoring_url(project))
    form = AdjustmentForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_request(
                actor=request.user, project=project, kind=data["kind"], reason=data["reason"],
                content_row_id=data["content_row"].pk if data["content_row"] else None,
                new_content=data["new_content"], new_eligible_cost=data["new_eligible_cost"],
                new_support=data["new_support"], new_end_date=data["new_end_date"],
                old_establishment_id=data["old_establishment"].pk if data["old_establishment"] else None,
                new_establishment=data["new_establishment"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Adjustment request recorded."))
            return redirect(_monitoring_url(project, "adjustments"))
    return render(request, "projects/adjustment_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def adjustment_decide(request, project_id: int, request_id: int):
    project = brief_or_404(request, project_id)
    form = AdjustmentDecisionForm(request.POST, prefix=f"a{request_id}")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.adjustment_decide(
                actor=request.user, project=project, request_id=request_id, approve=data["decision"] == "approve",
                reference=data["reference"], note=data["note"], version=data["version"],
                decided_on=data["decided_on"])
        except DomainError as exc:
            if exc.http_status == 404:
                raise Http404(exc.message)
            show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Decision recorded: %(status)s.") % {
                "status": decided.get_status_display()})
            return redirect(_monitoring_url(project, "adjustments"))
    project = brief_or_404(request, project_id)
    context = _monitoring_context(request, project, follow_up_forms={("adj", request_id): form})
    return render(request, "projects/monitoring.html", context, status=status)


@login_required
def project_settlement_export(request, project_id: int):
    project = brief_or_404(request, project_id)
    return xlsx(exports.settlement_xlsx(project), f"quyet-toan-{project.code}.xlsx")
