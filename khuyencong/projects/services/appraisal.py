"""Appraisal councils: setting up the council of the level the project waits for, its members' scoring sheets
and its conclusion (which the appraisal step of the flow then requires)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import Conflict, InvalidInput, NotFound
from khuyencong.core.locks import RecordLocked
from khuyencong.core.versions import check_version

from .. import scoring
from ..flows import council_lock, project_lock
from ..models import (
    PASSING_COUNCIL_CONCLUSIONS,
    AppraisalCouncil,
    CouncilConclusion,
    CouncilMember,
    MemberRole,
    Project,
    ScoreSheet,
)
from ..permissions import can_manage_council, council_level_for
from .common import act_date, author, pairs, require, text_of


def _council(project: Project, council_id: int, *, lock: bool = False) -> AppraisalCouncil:
    qs = AppraisalCouncil.objects.filter(project=project, pk=council_id)
    council = (qs.select_for_update() if lock else qs).first()
    if council is None:
        raise NotFound(_("Council not found."))
    return council


def council_create(*, actor, project: Project, decision_number: str, decision_date: datetime.date,
                   members: list[dict], signer: str = "") -> AppraisalCouncil:
    """Sets up the appraisal council of the level the project waits for, by its decision, with its members (one
    chair, one secretary, the others members; at least the sheet's minimum) and a copy of the scoring sheet."""
    project_lock.check(project)
    level = council_level_for(project)
    if level is None:
        raise InvalidInput(_("The project is not waiting for an appraisal (now: “%(status)s”).") % {
            "status": project.get_status_display()})
    require(can_manage_council(actor, project, level))
    decision_number = text_of(decision_number, 120)
    if not decision_number:
        raise InvalidInput(_("Give the number of the decision setting up the council."), field="decision_number")
    decision_date = act_date(decision_date)
    sheet = scoring.sheet_for(level)
    rows, names = [], set()
    for row in members:
        name = text_of(row.get("name"), 150)
        if not name:
            continue
        if name.casefold() in names:
            raise InvalidInput(_("%(name)s is listed twice.") % {"name": name}, field="members")
        names.add(name.casefold())
        role = row.get("role") or MemberRole.MEMBER
        if role not in MemberRole.values:
            raise InvalidInput(_("Unknown role in the council."), field="members")
        rows.append({"name": name, "position": text_of(row.get("position"), 300), "role": role})
    roles = [row["role"] for row in rows]
    if roles.count(MemberRole.CHAIR) != 1:
        raise InvalidInput(_("The council has exactly one chair."), field="chair_name")
    if roles.count(MemberRole.SECRETARY) != 1:
        raise InvalidInput(_("The council has exactly one secretary."), field="secretary_name")
    if len(rows) < sheet.get("min_members", 1):
        raise InvalidInput(_("The council needs at least %(count)s members (chair and secretary included).") % {
            "count": sheet["min_members"]}, field="members")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status != project.status:
            raise Conflict(_("The project moved on since you opened it. Reload the page."))
        open_council = locked.councils.filter(level=level, conclusion="").first()
        if open_council is not None:
            raise Conflict(_("A council of this level (%(decision)s) has not concluded yet.") % {
                "decision": open_council.decision_number})
        council = AppraisalCouncil.objects.create(project=locked, level=level, decision_number=decision_number,
                                                  decision_date=decision_date, signer=text_of(signer, 150),
                                                  sheet=sheet, created_by=author(actor))
        CouncilMember.objects.bulk_create([CouncilMember(council=council, order=i, **row)
                                           for i, row in enumerate(rows)])
        audit_record(actor=actor, action="project.council_create", obj=project, changes=pairs({
            "council": council.pk, "level": level, "decision_number": decision_number,
            "decision_date": decision_date, "sheet": f"{sheet['code']} {sheet['version']}",
            "members": [f"{row['name']} ({MemberRole(row['role']).label})" for row in rows]}))
    return council


def score_sheet_save(*, actor, project: Project, council_id: int, member_id: int, scores: dict, comment: str = "",
                     version: int | None = None) -> ScoreSheet:
    """Enters (or corrects, before the council concludes) one member's scores. `version`: the version of the sheet
    the form was opened with (None for a new sheet)."""
    with transaction.atomic():
        council = _council(project, council_id, lock=True)
        require(can_manage_council(actor, project, council.level))
        council_lock.check(council)
        member = council.members.filter(pk=member_id).first()
        if member is None:
            raise NotFound(_("Council member not found."))
        clean = scoring.clean_scores(council.sheet, scores)
        total = scoring.total_of(council.sheet, clean)
        comment = text_of(comment)
        sheet = ScoreSheet.objects.select_for_update().filter(member=member).first()
        if sheet is None:
            if version not in (None, 0):
                raise Conflict(_("Someone else removed this sheet. Reload the page."))
            sheet = ScoreSheet.objects.create(member=member, scores=clean, total=total, comment=comment,
                                              created_by=author(actor))
            changes = {"scores": [None, clean], "total": [None, str(total)]}
        else:
            changed = _("Someone else changed this member's sheet after you opened it. Reload the page; your "
                        "scores are kept below.")
            if version is None:  # the form was opened before this sheet existed
                raise Conflict(changed)
            check_version(sheet, version, conflict=changed)
            changes = {"scores": [sheet.scores, clean], "total": [str(sheet.total), str(total)]}
            sheet.scores, sheet.total, sheet.comment = clean, total, comment
            sheet.version += 1
            sheet.save()
        audit_record(actor=actor, action="project.council_score", obj=project,
                     changes={"council": [None, council.pk], "member": [None, member.name], **changes})
    return sheet


def council_result(council: AppraisalCouncil) -> scoring.CouncilResult:
    totals = list(ScoreSheet.objects.filter(member__council=council).values_list("total", flat=True))
    return scoring.council_result(council.sheet, totals, council.members.count())


def council_conclude(*, actor, project: Project, council_id: int, conclusion: str, minutes: str, version: int,
                     on_date: datetime.date | None = None) -> AppraisalCouncil:
    """Records the council's conclusion with its minutes once every member has scored. Approving (with or without
    changes) needs the average at or above the sheet's pass mark; a rejection keeps the scores that led to it."""
    if conclusion not in CouncilConclusion.values:
        raise InvalidInput(_("Choose the council's conclusion."), field="conclusion")
    minutes = text_of(minutes)
    if not minutes:
        raise InvalidInput(_("Write the minutes of the council's conclusion."), field="minutes")
    on_date = act_date(on_date)
    with transaction.atomic():
        council = _council(project, council_id, lock=True)
        require(can_manage_council(actor, project, council.level))
        check_version(council, version, conflict=_("Someone else updated this council after you opened it. "
                                                   "Reload the page."))
        if council.concluded:
            raise RecordLocked(_("The council has already concluded."))
        result = council_result(council)
        if not result.complete:
            raise InvalidInput(_("%(missing)s of %(members)s members have not scored yet.") % {
                "missing": result.missing, "members": result.members}, field="conclusion")
        if on_date < council.decision_date:
            raise InvalidInput(_("The council cannot conclude before the decision that set it up."), field="on_date")
        if conclusion in PASSING_COUNCIL_CONCLUSIONS and not result.passed:
            raise InvalidInput(_("The average score %(average)s is below the pass mark of %(mark)s: the council "
                                 "can only reject.") % {"average": result.average, "mark": result.pass_average},
                               field="conclusion")
        council.conclusion, council.minutes, council.concluded_on = conclusion, minutes, on_date
        council.average = result.average
        council.version += 1
        council.save()
        audit_record(actor=actor, action="project.council_conclude", obj=project, changes=pairs({
            "council": council.pk, "conclusion": conclusion, "average": str(result.average),
            "pass_average": str(result.pass_average), "concluded_on": on_date}))
    return council
