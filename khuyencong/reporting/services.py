"""Writes of periodic reports: create, edit the narrative, and the lifecycle actions (submit, approve, lock,
return, unlock). Each checks the permission, runs in one transaction and records one audit event."""

import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput
from khuyencong.core.locks import refuse
from khuyencong.core.periods import Period
from khuyencong.core.permissions import Decision
from khuyencong.core.versions import versioned_update

from .flows import report_flow
from .models import NARRATIVE_SECTIONS, ExportJob, Report, ReportStatus, ReportType
from .permissions import can_create_report, can_edit_narrative, can_start_export
from .report_selectors import due_date

MAX_SECTION = 20_000


def _require(decision: Decision) -> None:
    """PermissionDenied, or RecordLocked for a locked report (`permissions.report_lock`)."""
    refuse(decision)


def _today() -> datetime.date:
    return timezone.localdate()


def _clean_text(value) -> str:
    """NFC, Windows line ends made plain, trailing spaces trimmed; paragraphs are kept."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def report_create(*, actor, report_type: ReportType, organisation: Organisation, period: Period,
                  today: datetime.date | None = None) -> Report:
    """Opens the organisation's report of this type for the period, as a draft whose figures are the live data."""
    today = today or _today()
    _require(can_create_report(actor, organisation.province_id))
    if not report_type.is_active:
        raise InvalidInput(_("This report type is no longer in use."), field="report_type")
    if organisation.kind != report_type.from_kind or organisation.province_id is None:
        raise InvalidInput(_("This report is made by the %(kind)s of a province.") % {
            "kind": OrganisationKind(report_type.from_kind).label.lower()},
            field="organisation")
    if period.kind != report_type.period_kind:
        raise InvalidInput(_("This report is made for a %(kind)s, not for “%(period)s”.") % {
            "kind": report_type.get_period_kind_display().lower(), "period": period.label}, field="period")
    if period.start > today:
        raise InvalidInput(_("The period %(period)s has not started yet.") % {"period": period.label},
                           field="period")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                report_type=report_type, organisation=organisation, province_id=organisation.province_id,
                period=str(period), period_start=period.start, period_end=period.end,
                due_date=due_date(report_type, period), created_by=actor)
            audit_record(actor=actor, action="report.create", obj=report,
                         changes={"period": [None, str(period)], "report_type": [None, report_type.code]})
    except IntegrityError:
        raise Conflict(_("This organisation already has a %(type)s for %(period)s.") % {
            "type": report_type.short_name.lower(), "period": period.label}, code="duplicate")
    return report


def report_update_narrative(*, actor, report: Report, data: dict, version: int) -> Report:
    """Saves the sections typed by staff (situation, results, difficulties, proposals, document number). Refused
    when someone else saved the report after `version` was read, so that nobody's text is overwritten unseen."""
    _require(can_edit_narrative(actor, report))
    clean = {k: _clean_text(data[k]) for k in (*NARRATIVE_SECTIONS, "number") if k in data}
    for key, value in clean.items():
        if len(value) > MAX_SECTION:
            raise InvalidInput(_("This section is too long (at most %(n)s characters).") % {"n": MAX_SECTION},
                               field=key)
    if "number" in clean:
        clean["number"] = clean["number"][:60]
    changed = {k: v for k, v in clean.items() if getattr(report, k) != v}
    if not changed:  # nothing to write, whoever saved since
        return report
    with transaction.atomic():
        changes = field_changes(report, changed)
        versioned_update(report, changed, version, status=ReportStatus.DRAFT, conflict=_(
            "Someone else changed this report after you opened it. Your text is kept below: copy it, reload the "
            "page and merge."))
        audit_record(actor=actor, action="report.update", obj=report,
                     changes={k: [len(a or ""), len(b or "")] if k != "number" else [a, b]
                              for k, (a, b) in changes.items()})
    return report


def report_transition(*, actor, report: Report, action: str, inputs: dict | None = None,
                      today: datetime.date | None = None, version: int | None = None) -> Report:
    """Moves the report along draft → submitted → approved → locked (or back: return, unlock) when the flow
    allows it. Approval freezes the figures in a snapshot; returning or unlocking keeps that snapshot in the
    history, with the reason, and the figures are live again."""
    today = today or _today()
    inputs = {k: _clean_text(v) for k, v in (inputs or {}).items()}
    row = report_flow.check(report, actor, action, inputs=inputs, on_date=today)
    with transaction.atomic():
        changes = report_flow.commit(report, row, actor=actor, version=report.version if version is None else version,
                                     inputs=inputs, on_date=today, conflict=_(
                                         "Someone else changed this report after you opened it. Reload and try "
                                         "again."))
        audit_record(actor=actor, action=f"report.{action}", obj=report, changes=changes)
    return report


def report_submit(*, actor, report: Report, today: datetime.date | None = None) -> Report:
    return report_transition(actor=actor, report=report, action="submit", today=today)


def report_approve(*, actor, report: Report) -> Report:
    return report_transition(actor=actor, report=report, action="approve")


def report_lock(*, actor, report: Report) -> Report:
    return report_transition(actor=actor, report=report, action="lock")


def report_return(*, actor, report: Report, reason: str) -> Report:
    return report_transition(actor=actor, report=report, action="return", inputs={"reason": reason})


def report_unlock(*, actor, report: Report, reason: str) -> Report:
    return report_transition(actor=actor, report=report, action="unlock", inputs={"reason": reason})


def export_start(*, actor, kind: str, period: Period) -> ExportJob:
    """Starts a national export in the background; the page shows its progress and then the download link."""
    _require(can_start_export(actor))
    if kind not in ExportJob.Kind.values:
        raise InvalidInput(_("Unknown export."), field="kind")
    from .tasks import export_task

    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, period=str(period), created_by=actor)
        audit_record(actor=actor, action="report_export.start", obj=job, changes={"period": [None, str(period)]})
    transaction.on_commit(lambda: export_task.enqueue(job.pk))
    return job
