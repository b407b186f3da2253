"""Monitoring a running project: monthly progress reports, supervision visits (with their follow-up) and
acceptance minutes."""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.text import normalize_text
from khuyencong.core.uploads import check_document
from khuyencong.core.versions import check_version

from .. import checks
from ..models import (
    AcceptanceConclusion,
    AcceptanceRecord,
    AcceptanceResult,
    ProgressLine,
    ProgressReport,
    Project,
    SupervisionVisit,
    VisitAttachment,
    VisitFollowUp,
)
from ..permissions import can_follow_up_visit, can_record_acceptance, can_record_visit, can_report_progress
from .common import act_date, pairs, require, text_of


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InvalidInput(_("Choose the month the report covers."), field="period")
    return checks.month_start(value)


def progress_report_submit(*, actor, project: Project, period: datetime.date, lines: dict, problems: str = "",
                           proposals: str = "", submitted_on: datetime.date | None = None,
                           file=None) -> ProgressReport:
    """Records the implementing unit's monthly progress report: for each content (by ProjectContent id) the work
    done, the cumulative % done and the money used in the month. One report a month; a report after the month's
    deadline is recorded and flagged late. The project's next report deadline moves to the earliest month still
    without a report."""
    require(can_report_progress(actor, project))
    submitted_on = act_date(submitted_on)
    period = _month(period)
    if period > checks.month_start(submitted_on):
        raise InvalidInput(_("A report cannot cover a month that has not begun."), field="period")
    if project.reports_from and period < project.reports_from:
        raise InvalidInput(_("Reports are owed from %(month)s, when implementation started.") % {
            "month": project.reports_from.strftime("%m/%Y")}, field="period")
    if file is not None:
        check_document(file)
    contents = {row.pk: row for row in project.contents.select_related("content")}
    clean_lines = []
    for key, data in (lines or {}).items():
        row = contents.get(int(key)) if str(key).isdigit() else None
        if row is None:
            raise InvalidInput(_("This content is not in the project."), field="lines")
        percent = data.get("percent_done") or 0
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise InvalidInput(_("The percentage done of “%(content)s” must be between 0 and 100.") % {
                "content": row.content.name}, field=f"percent_{row.pk}")
        used = check_amount(data.get("money_used") or 0, field=f"used_{row.pk}")
        work = text_of(data.get("work_done"))
        if work or percent or used:
            clean_lines.append((row, work, percent, used))
    problems, proposals = text_of(problems), text_of(proposals)
    if not any(work for _row, work, _p, _u in clean_lines) and not problems:
        raise InvalidInput(_("Describe the work done on at least one content, or the problems met."),
                           field="problems")
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        require(can_report_progress(actor, locked))
        if locked.progress_reports.filter(period=period).exists():
            raise InvalidInput(_("The report for %(month)s is already recorded: report the changes in the next "
                                 "month's report.") % {"month": period.strftime("%m/%Y")}, field="period")
        used_before = dict(ProgressLine.objects.filter(report__project=locked).order_by().values_list(
            "content").annotate(s=Sum("money_used_vnd")))
        for row, _work, _percent, used in clean_lines:
            total = used_before.get(row.pk, 0) + used
            if total > row.eligible_cost_vnd:
                raise InvalidInput(_("The money reported as used on “%(content)s” over all reports, %(total)s, is "
                                     "above its eligible cost, %(cost)s.") % {
                    "content": row.content.name, "total": format_vnd(total),
                    "cost": format_vnd(row.eligible_cost_vnd)}, field=f"used_{row.pk}")
        rule = checks.report_rule(locked)
        due = checks.report_deadline(rule, period) if rule else None
        report = ProgressReport.objects.create(
            project=locked, period=period, submitted_on=submitted_on, due_on=due,
            due_basis=rule["basis"] if rule else "", late=bool(due and submitted_on > due), problems=problems,
            proposals=proposals, money_used_vnd=sum(used for *_rest, used in clean_lines), created_by=actor,
            **({"file": file} if file is not None else {}),
        )
        ProgressLine.objects.bulk_create([
            ProgressLine(report=report, content=row, work_done=work, percent_done=percent, money_used_vnd=used)
            for row, work, percent, used in clean_lines])
        reported = set(locked.progress_reports.values_list("period", flat=True))
        next_due = checks.next_report_due(locked, reported).due
        Project.objects.filter(pk=locked.pk).update(report_due_date=next_due)
        project.report_due_date = next_due
        audit_record(actor=actor, action="project.progress_report", obj=locked, changes=pairs({
            "period": period.strftime("%m/%Y"), "submitted_on": submitted_on, "late": report.late,
            "money_used_vnd": report.money_used_vnd, "report_due_date": next_due}))
    return report


def _attach(visit: SupervisionVisit, files, actor) -> list[str]:
    names = []
    for upload, caption in files:
        attachment = VisitAttachment(visit=visit, caption=text_of(caption, 200), created_by=actor)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        names.append(attachment.file.name)
    return names


def _check_files(files) -> list:
    files = [(upload, caption) for upload, caption in (files or []) if upload is not None]
    for upload, _caption in files:
        check_document(upload, field="files")
    return files


def visit_record(*, actor, project: Project, visit_date: datetime.date, team: str, findings: str,
                 recommendations: str = "", files=()) -> SupervisionVisit:
    """Records an inspection or supervision visit with its photos and documents (`files`: (upload, caption)
    pairs). Recommendations open a follow-up."""
    require(can_record_visit(actor, project))
    visit_date = act_date(visit_date)
    team, findings, recommendations = text_of(team), text_of(findings), text_of(recommendations)
    if not team:
        raise InvalidInput(_("Write who made the visit."), field="team")
    if not findings:
        raise InvalidInput(_("Write what the visit found."), field="findings")
    files = _check_files(files)
    with transaction.atomic():
        visit = SupervisionVisit.objects.create(
            project=project, visit_date=visit_date, team=team, findings=findings, recommendations=recommendations,
            follow_up=VisitFollowUp.OPEN if recommendations else VisitFollowUp.NONE, created_by=actor)
        names = _attach(visit, files, actor)
        audit_record(actor=actor, action="project.visit_record", obj=project, changes=pairs({
            "visit_date": visit_date, "team": team, "follow_up": visit.follow_up, "files": names}))
    return visit


def visit_follow_up(*, actor, project: Project, visit_id: int, follow_up: str, note: str, version: int,
                    files=()) -> SupervisionVisit:
    """Records what was done about a visit's recommendations (and more photos or documents); refuses if someone
    changed the visit since `version` was read."""
    require(can_follow_up_visit(actor, project))
    if follow_up not in VisitFollowUp.values:
        raise InvalidInput(_("Choose the follow-up status."), field="follow_up")
    note = text_of(note)
    if follow_up == VisitFollowUp.DONE and not note:
        raise InvalidInput(_("Write what was done about the recommendations."), field="note")
    files = _check_files(files)
    with transaction.atomic():
        visit = SupervisionVisit.objects.select_for_update().filter(project=project, pk=visit_id).first()
        if visit is None:
            raise NotFound(_("Visit not found."))
        check_version(visit, version, conflict=_("Someone else updated this visit after you opened it. Reload the "
                                                 "page; your note is kept below."))
        changes = field_changes(visit, {"follow_up": follow_up, "follow_up_note": note})
        visit.follow_up, visit.follow_up_note = follow_up, note
        visit.version += 1
        visit.save()
        names = _attach(visit, files, actor)
        if names:
            changes["files"] = [None, names]
        audit_record(actor=actor, action="project.visit_follow_up", obj=project,
                     changes={"visit": [None, visit.pk], **changes})
    return visit


def acceptance_record(*, actor, project: Project, minutes_date: datetime.date, members: list[str], conclusion: str,
                      results: list[dict], reference: str = "", site: str = "", conclusion_text: str = "",
                      file=None) -> AcceptanceRecord:
    """Records acceptance minutes (biên bản nghiệm thu): the members who signed, the result for every content
    and for each indicator (`results`: {content_id or None, indicator, planned, achieved, met}) and the
    conclusion. The `accept` step needs minutes that accept the work."""
    require(can_record_acceptance(actor, project))
    minutes_date = act_date(minutes_date)
    if project.contract_date and minutes_date < project.contract_date:
        raise InvalidInput(_("The minutes cannot be dated before the contract (%(date)s).") % {
            "date": checks.dmy(project.contract_date)}, field="minutes_date")
    members = [text_of(m, 200) for m in members or [] if text_of(m)]
    if len(members) < 2:
        raise InvalidInput(_("Name the members who signed the minutes, one a line (at least two)."),
                           field="members")
    if conclusion not in AcceptanceConclusion.values:
        raise InvalidInput(_("Choose the conclusion of the minutes."), field="conclusion")
    conclusion_text = text_of(conclusion_text)
    if conclusion != AcceptanceConclusion.PASSED and not conclusion_text:
        raise InvalidInput(_("Write the conditions or the reasons of the conclusion."), field="conclusion_text")
    if file is not None:
        check_document(file)
    contents = {row.pk: row for row in project.contents.select_related("content")}
    clean, covered = [], set()
    for data in results or []:
        content_id = data.get("content_id")
        row = contents.get(content_id) if content_id is not None else None
        if content_id is not None and row is None:
            raise InvalidInput(_("This content is not in the project."), field="results")
        indicator = text_of(data.get("indicator"), 200)
        if not indicator:
            if row is None:
                continue
            indicator = row.content.name[:200]
        met = bool(data.get("met", True))
        if conclusion == AcceptanceConclusion.PASSED and not met:
            raise InvalidInput(_("The minutes accept the work, but “%(indicator)s” is not met: choose “accepted "
                                 "with conditions” or “not accepted”.") % {"indicator": indicator},
                               field="conclusion")
        clean.append(AcceptanceResult(content=row, indicator=indicator, planned=text_of(data.get("planned"), 100),
                                      achieved=text_of(data.get("achieved"), 100), met=met))
        if row is not None:
            covered.add(row.pk)
    missing = [row.content.name for pk, row in contents.items() if pk not in covered]
    if missing:
        raise InvalidInput(_("Give the result of every content: %(contents)s.") % {"contents": "; ".join(missing)},
                           field="results")
    with transaction.atomic():
        record = AcceptanceRecord.objects.create(
            project=project, minutes_date=minutes_date, reference=normalize_text(reference)[:120],
            site=normalize_text(site)[:300], members=members, conclusion=conclusion,
            conclusion_text=conclusion_text, created_by=actor, **({"file": file} if file is not None else {}))
        for result in clean:
            result.record = record
        AcceptanceResult.objects.bulk_create(clean)
        audit_record(actor=actor, action="project.acceptance_record", obj=project, changes=pairs({
            "minutes_date": minutes_date, "reference": record.reference, "site": record.site,
            "conclusion": conclusion, "members": members}))
    return record
