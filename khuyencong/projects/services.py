"""Writes for plans, projects, their contents, beneficiaries, documents, steps and ledger.

Every function here is one domain action: keyword-only, permission-checked, atomic, audited. Views, the API and the
demo seeder all call these.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from khuyencong.core.money import format_vnd
from khuyencong.core.text import fold, normalize_text
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules import engine
from khuyencong.rules.engine import content_get
from khuyencong.rules.models import FundSource

from . import checklists, checks, flows, ledger, scoring
from .models import (
    EDITABLE_STATUSES,
    PASSING_COUNCIL_CONCLUSIONS,
    AcceptanceConclusion,
    AcceptanceRecord,
    AcceptanceResult,
    AdjustmentKind,
    AdjustmentRequest,
    AdjustmentStatus,
    AnnualPlan,
    AppraisalCouncil,
    CouncilConclusion,
    CouncilMember,
    FollowUp,
    LedgerEntry,
    LedgerKind,
    MemberRole,
    PlanAdjustment,
    Programme,
    ProgressLine,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectDocument,
    ProjectKind,
    ScoreSheet,
    SupervisionVisit,
    VisitAttachment,
)
from .permissions import (
    can_create_plan,
    can_create_project,
    can_decide_adjustment,
    can_edit_beneficiaries,
    can_edit_plan,
    can_edit_project,
    can_follow_up_visit,
    can_manage_council,
    can_manage_documents,
    can_record_acceptance,
    can_record_money,
    can_record_visit,
    can_report_progress,
    can_request_adjustment,
    council_level_for,
)
from .selectors import plan_approved_total, project_balances

PROJECT_FIELDS = ("kind", "title", "commune", "implementing_org", "objectives", "expected_results", "start_date",
                  "end_date", "priority")
TEXT_FIELDS = ("title", "objectives", "expected_results")
CODE_PREFIX = {FundSource.NATIONAL: "KCQG", FundSource.LOCAL: "KCĐP"}


def _act_date(on_date) -> datetime.date:
    """The day an act happened: today unless given; never a future day."""
    today = timezone.localdate()
    if on_date is None:
        return today
    if isinstance(on_date, datetime.datetime) or not isinstance(on_date, datetime.date):
        raise InvalidInput(_("Give the date as a calendar day."), field="on_date")
    if on_date > today:
        raise InvalidInput(_("The date cannot be in the future."), field="on_date")
    return on_date


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _pairs(changes: dict) -> dict:
    """Audit changes as [old, new] pairs, as the history component shows them."""
    return {k: v if isinstance(v, list) and len(v) == 2 else [None, v] for k, v in changes.items()}


# --- projects -------------------------------------------------------------------------------------------------------


def _clean_project_data(data: dict, *, province: AdminUnit, plan: AnnualPlan) -> dict:
    clean = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    for key in TEXT_FIELDS:
        if key in clean:
            clean[key] = normalize_text(clean[key]) if key == "title" else (clean[key] or "").strip()
    if "title" in clean:
        if not clean["title"]:
            raise InvalidInput(_("The project's title is required."), field="title")
        try:
            Project._meta.get_field("title").run_validators(clean["title"])
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="title")
    if "kind" in clean:
        if clean["kind"] not in ProjectKind.values:
            raise InvalidInput(_("Unknown project kind."), field="kind")
        if clean["kind"] == ProjectKind.FLAGSHIP and plan.fund != FundSource.NATIONAL:
            raise InvalidInput(_("Flagship projects are national projects: choose a national plan."), field="kind")
    commune = clean.get("commune")
    if commune is not None and (commune.scheme != "current" or commune.level != "commune"
                                or commune.province_id != province.pk):
        raise InvalidInput(_("The commune must be one of today's communes of the project's province."),
                           field="commune")
    org: Organisation | None = clean.get("implementing_org")
    if "implementing_org" in clean:
        if org is None:
            raise InvalidInput(_("Choose the implementing organisation."), field="implementing_org")
        if org.province_id not in (None, province.pk) or not org.is_active:
            raise InvalidInput(_("The implementing organisation must be active and in the project's province."),
                               field="implementing_org")
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and end < start:
        raise InvalidInput(_("The planned end cannot be before the planned start."), field="end_date")
    return clean


def _next_seq(plan: AnnualPlan, province: AdminUnit) -> int:
    top = Project.objects.filter(plan=plan, province=province).aggregate(m=Max("seq"))["m"]
    return (top or 0) + 1


def project_create(*, actor, plan: AnnualPlan, province: AdminUnit, data: dict) -> Project:
    """Drafts a KC project (or KC task) in an annual plan. The code — KCQG-2027-12-003 for the third national
    project of Lai Châu in the 2027 plan, KCĐP-… for a local one — is given inside the transaction."""
    _require(can_create_project(actor, province.pk if province else None))
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    if plan.fund == FundSource.LOCAL and plan.province_id != province.pk:
        raise InvalidInput(_("A local plan takes only projects of its own province."), field="plan")
    data = {"kind": ProjectKind.STANDARD, "title": "", "implementing_org": None, **data}
    clean = _clean_project_data(data, province=province, plan=plan)
    with transaction.atomic():
        # The plan's row lock serialises code numbering (national plans span provinces; local plans are per province).
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        seq = _next_seq(plan, province)
        project = Project(plan=plan, year=plan.year, province=province, seq=seq, created_by=actor,
                          code=f"{CODE_PREFIX[plan.fund]}-{plan.year}-{province.code:02d}-{seq:03d}", **clean)
        project.title_folded = fold(project.title)
        deadline = checks.next_deadline(project, project.status)
        project.due_date, project.due_label, project.due_basis = deadline.due, deadline.label, deadline.basis
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError:
            raise Conflict(_("Another project took this code at the same moment; please save again."))
        audit_record(actor=actor, action="project.create", obj=project,
                     changes=_pairs({"code": project.code, "plan": plan.name, **clean}))
    return project


def project_update(*, actor, project: Project, data: dict, version: int) -> Project:
    """Edits a draft (or returned) project; refuses if someone changed it since `version` was read."""
    _require(can_edit_project(actor, project))
    clean = _clean_project_data(data, province=project.province, plan=project.plan)
    with transaction.atomic():
        changes = field_changes(project, clean)
        if not changes:
            return project
        for key, value in clean.items():
            setattr(project, key, value)
        project.title_folded = fold(project.title)
        deadline = checks.next_deadline(project, project.status)
        values = {k: getattr(project, k) for k in clean}
        updated = Project.objects.filter(pk=project.pk, version=version, status__in=EDITABLE_STATUSES).update(
            **values, title_folded=project.title_folded, due_date=deadline.due, due_label=deadline.label,
            due_basis=deadline.basis, version=F("version") + 1, updated_at=timezone.now(),
        )
        if not updated:
            raise Conflict(_("Someone else changed this project after you opened it. Reload to see their changes; "
                             "your input is kept below."))
        project.refresh_from_db()
        audit_record(actor=actor, action="project.update", obj=project, changes=changes)
    return project


def _amount(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("Amounts are whole numbers of đồng, zero or more."), field=field)
    return value


def project_content_add(
    *, actor, project: Project, content, eligible_cost: int, requested_support: int, counterpart: int = 0,
    other_sources: int = 0, variant: str = "", establishment: Establishment | None = None, description: str = "",
) -> ProjectContent:
    """Adds a KC content with its budget. The requested support is checked against the quote of the rule in force
    on the application date (today for a draft) and refused above it, naming the rule."""
    _require(can_edit_project(actor, project))
    eligible_cost = _amount(eligible_cost, "eligible_cost")
    requested_support = _amount(requested_support, "requested_support")
    counterpart = _amount(counterpart, "counterpart")
    other_sources = _amount(other_sources, "other_sources")
    on_date = project.application_date or timezone.localdate()
    item = content_get(content, on_date)
    if requested_support + counterpart + other_sources != eligible_cost:
        raise InvalidInput(
            _("The funding must add up to the cost: support %(support)s + counterpart %(counterpart)s + other "
              "sources %(other)s = %(total)s, but the eligible cost is %(cost)s.") % {
                "support": format_vnd(requested_support), "counterpart": format_vnd(counterpart),
                "other": format_vnd(other_sources),
                "total": format_vnd(requested_support + counterpart + other_sources),
                "cost": format_vnd(eligible_cost)},
            field="counterpart",
        )
    if establishment is not None and not project.beneficiary_links.filter(establishment=establishment).exists():
        raise InvalidInput(_("Add the establishment as a beneficiary first."), field="establishment")
    variant = (variant or "").strip()
    quote = checks.quote_for(project=project, content=item, eligible_cost=eligible_cost, variant=variant,
                             on_date=on_date)
    if requested_support > quote.support_vnd:
        raise InvalidInput(checks.quote_limit_message(content_name=item.name, requested=requested_support,
                                                      quote=quote), code="above_quote", field="requested_support")
    with transaction.atomic():
        if project.contents.filter(content=item, variant=variant, establishment=establishment).exists():
            raise InvalidInput(_("This content is already in the project for the same establishment: change its "
                                 "amounts instead of adding it twice (the cap counts once)."), field="content")
        row = ProjectContent.objects.create(
            project=project, content=item, variant=variant, establishment=establishment,
            description=normalize_text(description)[:300], eligible_cost_vnd=eligible_cost,
            requested_support_vnd=requested_support, counterpart_vnd=counterpart, other_sources_vnd=other_sources,
            quote_support_vnd=quote.support_vnd, quote=checks.jsonable(quote.as_dict()), quoted_on=on_date,
        )
        audit_record(actor=actor, action="project.content_add", obj=project, changes=_pairs({
            "content": item.code, "eligible_cost_vnd": eligible_cost, "requested_support_vnd": requested_support,
            "quote_support_vnd": quote.support_vnd, "rule": quote.rule.basis}))
    return row


def project_content_remove(*, actor, project: Project, content_id: int) -> None:
    _require(can_edit_project(actor, project))
    row = project.contents.select_related("content").filter(pk=content_id).first()
    if row is None:
        raise NotFound(_("This content is not in the project."))
    with transaction.atomic():
        row.delete()
        audit_record(actor=actor, action="project.content_remove", obj=project,
                     changes={"content": [row.content.code, None],
                              "requested_support_vnd": [row.requested_support_vnd, None]})


def project_beneficiary_add(*, actor, project: Project, establishment: Establishment) -> ProjectBeneficiary:
    """Names an establishment as beneficiary, with its eligibility on the application date (today for a draft).
    A draft may list an ineligible one (the reasons show and submission is refused); a group project's detailing
    after approval accepts only eligible ones."""
    _require(can_edit_beneficiaries(actor, project))
    if establishment.province_id != project.province_id:
        raise InvalidInput(_("The establishment is not in the project's province."), field="establishment")
    if establishment.merged_into_id is not None:
        raise InvalidInput(_("This establishment was merged into another record: choose that one."),
                           field="establishment")
    on_date = project.application_date or timezone.localdate()
    snapshot = checks.eligibility_snapshot(establishment, on_date)
    if project.status not in EDITABLE_STATUSES and not snapshot["eligible"]:
        raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: %(reasons)s")
                           % {"name": establishment.name, "date": checks.dmy(on_date),
                              "reasons": " ".join(snapshot["reasons"])}, field="establishment")
    with transaction.atomic():
        if project.beneficiary_links.filter(establishment=establishment).exists():
            raise InvalidInput(_("This establishment is already a beneficiary."), field="establishment")
        link = ProjectBeneficiary.objects.create(project=project, establishment=establishment, **snapshot)
        audit_record(actor=actor, action="project.beneficiary_add", obj=project, changes=_pairs({
            "establishment": establishment.name, "eligible": snapshot["eligible"]}))
    return link


def project_beneficiary_remove(*, actor, project: Project, link_id: int) -> None:
    _require(can_edit_beneficiaries(actor, project))
    link = project.beneficiary_links.select_related("establishment").filter(pk=link_id).first()
    if link is None:
        raise NotFound(_("This establishment is not a beneficiary of the project."))
    if project.contents.filter(establishment_id=link.establishment_id).exists():
        raise InvalidInput(_("Remove the contents budgeted for this establishment first."), field="establishment")
    with transaction.atomic():
        link.delete()
        audit_record(actor=actor, action="project.beneficiary_remove", obj=project,
                     changes={"establishment": [link.establishment.name, None]})


def project_document_mark(*, actor, project: Project, code: str, received: bool = True, file=None,
                          reference: str = "") -> ProjectDocument | None:
    """Marks a document of the checklist as received (optionally with its scan) or withdraws it."""
    _require(can_manage_documents(actor, project))
    codes = {spec.code for spec in checklists.required_documents(
        fund=project.plan.fund, kind=project.kind, content_codes=project.contents.values_list("content__code",
                                                                                             flat=True))}
    if code not in codes:
        raise NotFound(_("This document is not in the project's checklist."))
    with transaction.atomic():
        existing = project.documents.filter(code=code).first()
        if not received:
            if existing is not None:
                existing.delete()
                audit_record(actor=actor, action="project.document_withdraw", obj=project,
                             changes={"document": [code, None]})
            return None
        doc = existing or ProjectDocument(project=project, code=code)
        doc.reference = normalize_text(reference)[:120] or doc.reference
        doc.received_on = timezone.localdate()
        doc.received_by = actor
        if file is not None:
            doc.file = file
        doc.save()
        audit_record(actor=actor, action="project.document_receive", obj=project,
                     changes=_pairs({"document": code, "reference": doc.reference,
                                     "file": doc.file.name if doc.file else ""}))
    return doc


# --- the flow -------------------------------------------------------------------------------------------------------


def _raise_for(decision: flows.ActionDecision) -> None:
    if decision:
        return
    if decision.failure == "state":
        raise Conflict(decision.reason, code="wrong_state")
    if decision.failure == "permission":
        raise PermissionDenied(decision.reason)
    raise InvalidInput(decision.reason, code="guard")


def _clean_inputs(row: flows.Transition, note: str, reference: str, amount) -> dict:
    note = (note or "").strip()
    reference = normalize_text(reference)[:120]
    if "note" in row.needs and not note:
        raise InvalidInput(_("Write the reasons in the note."), field="note")
    if "reference" in row.needs and not reference:
        raise InvalidInput(_("Give the number of the decision or contract."), field="reference")
    if amount is not None or "amount" in row.needs:
        if "amount" not in row.inputs:
            raise InvalidInput(_("This action takes no amount."), field="amount")
        if amount is None:
            raise InvalidInput(_("Give the amount."), field="amount")
        _amount(amount, "amount")
    return {"note": note, "reference": reference, "amount": amount}


def project_transition(*, project: Project, action: str, actor, note: str = "", reference: str = "",
                       amount: int | None = None, on_date: datetime.date | None = None,
                       version: int | None = None) -> Project:
    """Takes one step of the project's lifecycle (flows.TRANSITIONS): checks who may act and the step's guards,
    applies its effects (ledger entries, frozen rules, dates), moves the state, records the next deadline and one
    audit event. Refusals: 409 wrong state (or `version` no longer current), 403 not allowed (with the reason),
    422 a guard or an input."""
    if action not in flows.ACTION_LABELS:
        raise NotFound(_("Unknown action “%(action)s”.") % {"action": action})
    on_date = _act_date(on_date)
    _raise_for(flows.decide(project, actor, action, on_date=on_date))
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        if locked.status != project.status or (version is not None and locked.version != version):
            raise Conflict(_("Someone else changed this project after you opened it. Reload the page."))
        ctx = flows.FlowContext(locked, on_date)
        _raise_for(flows.decide(locked, actor, action, ctx=ctx))
        row = flows.transition_for(locked, action)
        act = flows.Act(ctx=ctx, transition=row, actor=actor, on_date=on_date,
                        **_clean_inputs(row, note, reference, amount))
        source, target = locked.status, flows.target_of(locked, row)
        changes = {"status": [source, target]}
        for effect in row.effects:
            changes.update(effect(act) or {})
        if row.target == flows.PREVIOUS:
            locked.status_before_suspension = ""
        locked.status = target
        deadline = checks.next_deadline(locked, target)
        locked.due_date, locked.due_label, locked.due_basis = deadline.due, deadline.label, deadline.basis
        locked.version += 1
        locked.save()
        if act.note:
            changes["note"] = act.note
        audit_record(actor=actor, action=f"project.{action}", obj=locked, changes=_pairs(changes))
    return locked


# --- ledger ---------------------------------------------------------------------------------------------------------


def ledger_record(*, actor, project: Project, kind: str, amount: int, on_date: datetime.date | None = None,
                  reference: str = "", note: str = "") -> LedgerEntry:
    """Records an advance, a disbursement or a refund. Refused, with the limit named, when it would pass the
    approved or contracted support, the first-advance percentage or the treasury cap on advances."""
    _require(can_record_money(actor, project))
    on_date = _act_date(on_date)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        rule = ledger.check_payment(locked, kind, amount, ledger.current_balances(locked))
        entry = ledger.append(project=locked, kind=kind, amount=amount, on_date=on_date, actor=actor,
                              reference=normalize_text(reference)[:120], note=(note or "").strip(), rule=rule)
        audit_record(actor=actor, action="project.ledger_record", obj=locked, changes=_pairs({
            "kind": kind, "amount_vnd": amount, "reference": entry.reference}))
    return entry


def ledger_reverse(*, actor, project: Project, entry_id: int, note: str,
                   on_date: datetime.date | None = None) -> LedgerEntry:
    """Corrects a wrong advance, disbursement or refund by an entry of the opposite amount: nothing is erased."""
    _require(can_record_money(actor, project))
    on_date = _act_date(on_date)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write why the entry is reversed."), field="note")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        entry = LedgerEntry.objects.filter(project=locked, pk=entry_id).select_related("reverses").first()
        if entry is None:
            raise NotFound(_("Ledger entry not found."))
        ledger.check_reversal(entry, ledger.current_balances(locked))
        reversal = ledger.append(project=locked, kind=entry.kind, amount=-entry.amount_vnd, on_date=on_date,
                                 actor=actor, reference=entry.reference, note=note, reverses=entry)
        audit_record(actor=actor, action="project.ledger_reverse", obj=locked, changes=_pairs({
            "kind": entry.kind, "amount_vnd": -entry.amount_vnd, "reverses": entry.pk}))
    return reversal


# --- plans ----------------------------------------------------------------------------------------------------------


def _plan_name(year: int, fund: str, province: AdminUnit | None) -> str:
    if fund == FundSource.NATIONAL:
        return _("National KC plan %(year)s") % {"year": year}
    return _("Local KC plan %(year)s — %(province)s") % {"year": year, "province": province.name}


def plan_create(*, actor, year: int, fund: str, province: AdminUnit | None, envelope: int,
                programme: Programme | None = None, name: str = "", note: str = "") -> AnnualPlan:
    """Opens the annual plan of a fund (national: one for the country; local: one per province) with its budget
    envelope — the budget ceiling it is built against, replaced by the decision's amount when approved."""
    if fund not in FundSource.values:
        raise InvalidInput(_("The fund must be “national” or “local”."), field="fund")
    if fund == FundSource.NATIONAL:
        province = None
    elif province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("A local plan needs one of today's 34 provinces."), field="province")
    _require(can_create_plan(actor, fund, province.pk if province else None))
    if isinstance(year, bool) or not isinstance(year, int) or not 2012 <= year <= 2100:
        raise InvalidInput(_("The plan year must be between 2012 and 2100."), field="year")
    envelope = _amount(envelope, "envelope")
    if programme is not None and (programme.fund != fund or programme.province_id != (province.pk if province else None)
                                  or not programme.start_year <= year <= programme.end_year):
        raise InvalidInput(_("The programme does not cover this fund, province and year."), field="programme")
    with transaction.atomic():
        exists = AnnualPlan.objects.filter(year=year, fund=fund, province=province).exists()
        if exists:
            raise InvalidInput(_("This plan already exists."), field="year")
        plan = AnnualPlan.objects.create(
            year=year, fund=fund, province=province, programme=programme, envelope_vnd=envelope,
            initial_envelope_vnd=envelope, name=normalize_text(name) or _plan_name(year, fund, province),
            note=(note or "").strip(),
        )
        audit_record(actor=actor, action="plan.create", obj=plan, changes=_pairs({
            "name": plan.name, "envelope_vnd": envelope}))
    return plan


def _decision_inputs(decision_number: str, decision_date) -> tuple[str, datetime.date]:
    number = normalize_text(decision_number)[:80]
    if not number:
        raise InvalidInput(_("Give the number of the decision."), field="decision_number")
    return number, _act_date(decision_date)


def plan_approve(*, actor, plan: AnnualPlan, decision_number: str, decision_date: datetime.date, signer: str = "",
                 envelope: int | None = None, version: int) -> AnnualPlan:
    """Records the decision approving the plan (the Minister's for the national plan, the People's Committee's for a
    local one) and its amount."""
    _require(can_edit_plan(actor, plan))
    number, on_date = _decision_inputs(decision_number, decision_date)
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.version != version:
            raise Conflict(_("Someone else changed this plan after you opened it. Reload the page."))
        if locked.is_approved:
            raise InvalidInput(_("The plan's approval is already recorded: record an adjustment decision instead."))
        data = {"decision_number": number, "decision_date": on_date, "signer": normalize_text(signer)[:150]}
        if envelope is not None:
            envelope = _amount(envelope, "envelope")
            approved = plan_approved_total(locked)
            if envelope < approved:
                raise InvalidInput(_("The envelope cannot be less than the support already approved, %(approved)s.")
                                   % {"approved": format_vnd(approved)}, field="envelope")
            data["envelope_vnd"] = envelope
        changes = field_changes(locked, data)
        for key, value in data.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action="plan.approve", obj=locked, changes=changes)
    return locked


def plan_adjust(*, actor, plan: AnnualPlan, envelope: int, decision_number: str, decision_date: datetime.date,
                signer: str = "", reason: str = "", version: int) -> PlanAdjustment:
    """Records a dated decision changing the plan's envelope; refused below the support already approved."""
    _require(can_edit_plan(actor, plan))
    number, on_date = _decision_inputs(decision_number, decision_date)
    envelope = _amount(envelope, "envelope")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.version != version:
            raise Conflict(_("Someone else changed this plan after you opened it. Reload the page."))
        if not locked.is_approved:
            raise InvalidInput(_("Record the plan's approval decision before adjusting it."))
        if locked.decision_date and on_date < locked.decision_date:
            raise InvalidInput(_("An adjustment cannot be dated before the plan's approval."), field="decision_date")
        approved = plan_approved_total(locked)
        if envelope < approved:
            raise InvalidInput(_("The envelope cannot be less than the support already approved, %(approved)s.")
                               % {"approved": format_vnd(approved)}, field="envelope")
        adjustment = PlanAdjustment.objects.create(
            plan=locked, decision_number=number, decision_date=on_date, signer=normalize_text(signer)[:150],
            previous_envelope_vnd=locked.envelope_vnd, envelope_vnd=envelope, reason=(reason or "").strip(),
            created_by=actor,
        )
        audit_record(actor=actor, action="plan.adjust", obj=locked, changes={
            "envelope_vnd": [locked.envelope_vnd, envelope], "decision": [None, number]})
        locked.envelope_vnd = envelope
        locked.version += 1
        locked.save(update_fields=["envelope_vnd", "version", "updated_at"])
    return adjustment


def programme_create(*, actor, name: str, fund: str, province: AdminUnit | None, start_year: int,
                     decision_number: str = "", decision_date: datetime.date | None = None,
                     signer: str = "") -> Programme:
    """Records a five-year KC programme (national, or a province's)."""
    if fund == FundSource.NATIONAL:
        province = None
    _require(can_create_plan(actor, fund, province.pk if province else None))
    with transaction.atomic():
        programme = Programme.objects.create(
            name=normalize_text(name), fund=fund, province=province, start_year=start_year,
            end_year=start_year + 4, decision_number=normalize_text(decision_number), decision_date=decision_date,
            signer=normalize_text(signer),
        )
        audit_record(actor=actor, action="programme.create", obj=programme,
                     changes=_pairs({"name": programme.name, "years": f"{start_year}–{start_year + 4}"}))
    return programme


# --- monitoring: progress reports, supervision visits, acceptance minutes -------------------------------------------

MAX_FILE_BYTES = 10 * 1024 * 1024
# Scans and phone photos: the first bytes tell the real type whatever the file is called.
FILE_SIGNATURES = {"pdf": (b"%PDF",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
                   "png": (b"\x89PNG",), "webp": (b"RIFF",)}


def check_file(upload, *, field: str = "file") -> None:
    """A scan or photo: PDF, JPEG, PNG or WebP (by content, not only by name), at most 10 MB."""
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in FILE_SIGNATURES:
        raise InvalidInput(_("Attach a PDF, JPEG, PNG or WebP file (this one is “%(name)s”).") % {
            "name": upload.name}, field=field)
    if upload.size > MAX_FILE_BYTES:
        raise InvalidInput(_("The file “%(name)s” is too large (%(size)s MB): the limit is %(limit)s MB.") % {
            "name": upload.name, "size": round(upload.size / 1024 / 1024, 1),
            "limit": MAX_FILE_BYTES // 1024 // 1024}, field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in FILE_SIGNATURES[extension]):
        raise InvalidInput(_("The content of “%(name)s” is not a %(type)s file, whatever its name says.") % {
            "name": upload.name, "type": extension.upper()}, field=field)


def _text(value, limit: int | None = None) -> str:
    text = (value or "").strip()
    return text[:limit] if limit else text


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
    _require(can_report_progress(actor, project))
    submitted_on = _act_date(submitted_on)
    period = _month(period)
    if period > checks.month_start(submitted_on):
        raise InvalidInput(_("A report cannot cover a month that has not begun."), field="period")
    if project.reports_from and period < project.reports_from:
        raise InvalidInput(_("Reports are owed from %(month)s, when implementation started.") % {
            "month": project.reports_from.strftime("%m/%Y")}, field="period")
    if file is not None:
        check_file(file)
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
        used = _amount(data.get("money_used") or 0, f"used_{row.pk}")
        work = _text(data.get("work_done"))
        if work or percent or used:
            clean_lines.append((row, work, percent, used))
    problems, proposals = _text(problems), _text(proposals)
    if not any(work for _row, work, _p, _u in clean_lines) and not problems:
        raise InvalidInput(_("Describe the work done on at least one content, or the problems met."),
                           field="problems")
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        _require(can_report_progress(actor, locked))
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
        audit_record(actor=actor, action="project.progress_report", obj=locked, changes=_pairs({
            "period": period.strftime("%m/%Y"), "submitted_on": submitted_on, "late": report.late,
            "money_used_vnd": report.money_used_vnd, "report_due_date": next_due}))
    return report


def _attach(visit: SupervisionVisit, files, actor) -> list[str]:
    names = []
    for upload, caption in files:
        attachment = VisitAttachment(visit=visit, caption=_text(caption, 200), created_by=actor)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        names.append(attachment.file.name)
    return names


def _check_files(files) -> list:
    files = [(upload, caption) for upload, caption in (files or []) if upload is not None]
    for upload, _caption in files:
        check_file(upload, field="files")
    return files


def visit_record(*, actor, project: Project, visit_date: datetime.date, team: str, findings: str,
                 recommendations: str = "", files=()) -> SupervisionVisit:
    """Records an inspection or supervision visit with its photos and documents (`files`: (upload, caption)
    pairs). Recommendations open a follow-up."""
    _require(can_record_visit(actor, project))
    visit_date = _act_date(visit_date)
    team, findings, recommendations = _text(team), _text(findings), _text(recommendations)
    if not team:
        raise InvalidInput(_("Write who made the visit."), field="team")
    if not findings:
        raise InvalidInput(_("Write what the visit found."), field="findings")
    files = _check_files(files)
    with transaction.atomic():
        visit = SupervisionVisit.objects.create(
            project=project, visit_date=visit_date, team=team, findings=findings, recommendations=recommendations,
            follow_up=FollowUp.OPEN if recommendations else FollowUp.NONE, created_by=actor)
        names = _attach(visit, files, actor)
        audit_record(actor=actor, action="project.visit_record", obj=project, changes=_pairs({
            "visit_date": visit_date, "team": team, "follow_up": visit.follow_up, "files": names}))
    return visit


def visit_follow_up(*, actor, project: Project, visit_id: int, follow_up: str, note: str, version: int,
                    files=()) -> SupervisionVisit:
    """Records what was done about a visit's recommendations (and more photos or documents); refuses if someone
    changed the visit since `version` was read."""
    _require(can_follow_up_visit(actor, project))
    if follow_up not in FollowUp.values:
        raise InvalidInput(_("Choose the follow-up status."), field="follow_up")
    note = _text(note)
    if follow_up == FollowUp.DONE and not note:
        raise InvalidInput(_("Write what was done about the recommendations."), field="note")
    files = _check_files(files)
    with transaction.atomic():
        visit = SupervisionVisit.objects.select_for_update().filter(project=project, pk=visit_id).first()
        if visit is None:
            raise NotFound(_("Visit not found."))
        if visit.version != version:
            raise Conflict(_("Someone else updated this visit after you opened it. Reload the page; your note is "
                             "kept below."))
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
    _require(can_record_acceptance(actor, project))
    minutes_date = _act_date(minutes_date)
    if project.contract_date and minutes_date < project.contract_date:
        raise InvalidInput(_("The minutes cannot be dated before the contract (%(date)s).") % {
            "date": checks.dmy(project.contract_date)}, field="minutes_date")
    members = [_text(m, 200) for m in members or [] if _text(m)]
    if len(members) < 2:
        raise InvalidInput(_("Name the members who signed the minutes, one a line (at least two)."),
                           field="members")
    if conclusion not in AcceptanceConclusion.values:
        raise InvalidInput(_("Choose the conclusion of the minutes."), field="conclusion")
    conclusion_text = _text(conclusion_text)
    if conclusion != AcceptanceConclusion.PASSED and not conclusion_text:
        raise InvalidInput(_("Write the conditions or the reasons of the conclusion."), field="conclusion_text")
    if file is not None:
        check_file(file)
    contents = {row.pk: row for row in project.contents.select_related("content")}
    clean, covered = [], set()
    for data in results or []:
        content_id = data.get("content_id")
        row = contents.get(content_id) if content_id is not None else None
        if content_id is not None and row is None:
            raise InvalidInput(_("This content is not in the project."), field="results")
        indicator = _text(data.get("indicator"), 200)
        if not indicator:
            if row is None:
                continue
            indicator = row.content.name[:200]
        met = bool(data.get("met", True))
        if conclusion == AcceptanceConclusion.PASSED and not met:
            raise InvalidInput(_("The minutes accept the work, but “%(indicator)s” is not met: choose “accepted "
                                 "with conditions” or “not accepted”.") % {"indicator": indicator},
                               field="conclusion")
        clean.append(AcceptanceResult(content=row, indicator=indicator, planned=_text(data.get("planned"), 100),
                                      achieved=_text(data.get("achieved"), 100), met=met))
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
        audit_record(actor=actor, action="project.acceptance_record", obj=project, changes=_pairs({
            "minutes_date": minutes_date, "reference": record.reference, "site": record.site,
            "conclusion": conclusion, "members": members}))
    return record


# --- adjustments ----------------------------------------------------------------------------------------------------


def _authority(project: Project, decision: str, on_date: datetime.date) -> dict:
    """Who decides a change: for a national project the authority the rules name for that kind of change (TT 36/2013
    Art 11); for a local one the provincial People's Committee (the province's procedure)."""
    if not project.is_national:
        return {"authority": "provincial_pc", "authority_label": _("Provincial People's Committee (local procedure)"),
                "authority_basis": _("TT 46/2012/TT-BCT, Article 8.3.b (the province sets the procedure)")}
    kind = project.kind if project.kind != ProjectKind.TASK else None
    rule = engine.change_authority(decision, kind, on_date)
    return {"authority": rule.authority, "authority_label": rule.authority_label, "authority_basis": rule.basis}


def _content_change(project: Project, row: ProjectContent, item, eligible_cost: int, support: int,
                    on_date: datetime.date):
    """The quote of a content's new amounts (refused above it, naming the rule)."""
    eligible_cost, support = _amount(eligible_cost, "new_eligible_cost"), _amount(support, "new_support")
    if support + row.other_sources_vnd > eligible_cost:
        raise InvalidInput(_("The support and the other sources (%(other)s) cannot exceed the eligible cost.") % {
            "other": format_vnd(row.other_sources_vnd)}, field="new_support")
    quote = checks.quote_for(project=project, content=item, eligible_cost=eligible_cost, variant=row.variant,
                             on_date=on_date)
    if support > quote.support_vnd:
        raise InvalidInput(checks.quote_limit_message(content_name=item.name, requested=support, quote=quote),
                           code="above_quote", field="new_support")
    return quote


def adjustment_request(*, actor, project: Project, kind: str, reason: str, content_row_id: int | None = None,
                       new_content=None, new_eligible_cost: int | None = None, new_support: int | None = None,
                       new_end_date: datetime.date | None = None, old_establishment_id: int | None = None,
                       new_establishment: Establishment | None = None,
                       requested_on: datetime.date | None = None) -> AdjustmentRequest:
    """Records a request to change an approved project — a content's budget, a content, the schedule or a
    beneficiary — checked now (quotes, eligibility, dates) and routed to the authority the rules name."""
    _require(can_request_adjustment(actor, project))
    requested_on = _act_date(requested_on)
    reason = _text(reason)
    if not reason:
        raise InvalidInput(_("Write the reasons for the change."), field="reason")
    if kind not in AdjustmentKind.values:
        raise InvalidInput(_("Choose the kind of change."), field="kind")
    if project.adjustments.filter(status=AdjustmentStatus.PENDING).exists():
        raise InvalidInput(_("Another adjustment of this project awaits its decision: wait for it first."),
                           field="kind")
    fields: dict = {}
    if kind in (AdjustmentKind.BUDGET, AdjustmentKind.CONTENT):
        row = project.contents.select_related("content").filter(pk=content_row_id).first()
        if row is None:
            raise InvalidInput(_("Choose the content to change."), field="content_row")
        item = row.content
        if kind == AdjustmentKind.CONTENT:
            if new_content is None:
                raise InvalidInput(_("Choose the new KC content."), field="new_content")
            item = content_get(new_content, requested_on)
            if item.pk == row.content_id:
                raise InvalidInput(_("The new content is the same as the current one."), field="new_content")
        cost = row.eligible_cost_vnd if new_eligible_cost is None else new_eligible_cost
        support = row.requested_support_vnd if new_support is None else new_support
        _content_change(project, row, item, cost, support, requested_on)
        total = sum(r.requested_support_vnd for r in project.contents.all()) - row.requested_support_vnd + support
        approved = project_balances(project).approved
        if kind == AdjustmentKind.CONTENT:
            decision = "change_content"
        else:
            if support == row.requested_support_vnd and cost == row.eligible_cost_vnd:
                raise InvalidInput(_("The new amounts are the same as the current ones."), field="new_support")
            decision = "increase_budget" if total > approved else "reduce_budget"
        fields = {"content_row": row, "new_content": item if kind == AdjustmentKind.CONTENT else None,
                  "new_eligible_cost_vnd": cost, "new_support_vnd": support}
        summary = _("%(content)s: support %(old)s → %(new)s, eligible cost %(cost_old)s → %(cost_new)s") % {
            "content": f"{row.content.name} → {item.name}" if item.pk != row.content_id else row.content.name,
            "old": format_vnd(row.requested_support_vnd), "new": format_vnd(support),
            "cost_old": format_vnd(row.eligible_cost_vnd), "cost_new": format_vnd(cost)}
    elif kind == AdjustmentKind.SCHEDULE:
        if isinstance(new_end_date, datetime.datetime) or not isinstance(new_end_date, datetime.date):
            raise InvalidInput(_("Give the new planned end."), field="new_end_date")
        if project.start_date and new_end_date < project.start_date:
            raise InvalidInput(_("The planned end cannot be before the planned start."), field="new_end_date")
        if new_end_date == project.end_date:
            raise InvalidInput(_("The new planned end is the same as the current one."), field="new_end_date")
        decision = "extend_next_year" if new_end_date.year > project.plan.year else "change_timing"
        fields = {"new_end_date": new_end_date}
        summary = _("Planned end %(old)s → %(new)s") % {"old": checks.dmy(project.end_date),
                                                         "new": checks.dmy(new_end_date)}
    else:
        link = project.beneficiary_links.select_related("establishment").filter(
            establishment_id=old_establishment_id).first()
        if link is None:
            raise InvalidInput(_("Choose the beneficiary to replace."), field="old_establishment")
        if new_establishment is None or new_establishment.province_id != project.province_id:
            raise InvalidInput(_("Choose the new beneficiary among the establishments of the project's province."),
                               field="new_establishment")
        if project.beneficiary_links.filter(establishment=new_establishment).exists():
            raise InvalidInput(_("This establishment is already a beneficiary."), field="new_establishment")
        snapshot = checks.eligibility_snapshot(new_establishment, requested_on)
        if not snapshot["eligible"]:
            raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: "
                                 "%(reasons)s") % {"name": new_establishment.name, "date": checks.dmy(requested_on),
                                                   "reasons": " ".join(snapshot["reasons"])},
                               field="new_establishment")
        decision = "change_beneficiary"
        fields = {"old_establishment": link.establishment, "new_establishment": new_establishment}
        summary = _("Beneficiary %(old)s → %(new)s") % {"old": link.establishment.name,
                                                         "new": new_establishment.name}
    with transaction.atomic():
        request = AdjustmentRequest.objects.create(
            project=project, kind=kind, summary=summary[:400], reason=reason, requested_on=requested_on,
            requested_by=actor, decision_kind=decision, **_authority(project, decision, requested_on), **fields)
        audit_record(actor=actor, action="project.adjustment_request", obj=project, changes=_pairs({
            "adjustment": request.summary, "decision": decision, "authority": request.authority_label}))
    return request


def _replace_approval(project: Project, total: int, *, actor, on_date, reference: str, note: str) -> None:
    """The approved support becomes `total`: the last approval entry is reversed and a new one appended (the
    ledger is never changed in place)."""
    balances = project_balances(project)
    if total == balances.approved:
        return
    if total < balances.contracted:
        raise InvalidInput(_("The support cannot drop below the contracted support, %(amount)s: amend the contract "
                             "first.") % {"amount": format_vnd(balances.contracted)}, field="new_support")
    if total < balances.paid:
        raise InvalidInput(_("The support cannot drop below what has been paid, %(amount)s.") % {
            "amount": format_vnd(balances.paid)}, field="new_support")
    if total > balances.approved:
        plan = AnnualPlan.objects.select_for_update().get(pk=project.plan_id)
        ledger.check_approval(plan, total - balances.approved)
    last = LedgerEntry.objects.filter(project=project, kind=LedgerKind.APPROVED, reverses__isnull=True,
                                      reversed_by__isnull=True).order_by("-id").first()
    if last is not None:
        ledger.append(project=project, kind=LedgerKind.APPROVED, amount=-last.amount_vnd, on_date=on_date,
                      actor=actor, reference=reference, note=note, reverses=last)
    remaining = balances.approved - (last.amount_vnd if last else 0)
    if total - remaining > 0:
        ledger.append(project=project, kind=LedgerKind.APPROVED, amount=total - remaining, on_date=on_date,
                      actor=actor, reference=reference, note=note)


def _apply_adjustment(request: AdjustmentRequest, project: Project, *, actor, on_date, reference, note) -> dict:
    if request.kind in (AdjustmentKind.BUDGET, AdjustmentKind.CONTENT):
        row = ProjectContent.objects.select_for_update().select_related("content").get(pk=request.content_row_id)
        item = request.new_content or row.content
        quote = _content_change(project, row, item, request.new_eligible_cost_vnd, request.new_support_vnd, on_date)
        total = (sum(r.requested_support_vnd for r in project.contents.all()) - row.requested_support_vnd
                 + request.new_support_vnd)
        before = {"content": row.content.code, "eligible_cost_vnd": row.eligible_cost_vnd,
                  "requested_support_vnd": row.requested_support_vnd}
        row.content = item
        row.eligible_cost_vnd = request.new_eligible_cost_vnd
        row.requested_support_vnd = request.new_support_vnd
        row.counterpart_vnd = row.eligible_cost_vnd - row.requested_support_vnd - row.other_sources_vnd
        row.quote_support_vnd, row.quote, row.quoted_on = quote.support_vnd, checks.jsonable(quote.as_dict()), on_date
        row.save()
        _replace_approval(project, total, actor=actor, on_date=on_date, reference=reference, note=note)
        return {"before": before, "after": {"content": item.code, "eligible_cost_vnd": row.eligible_cost_vnd,
                                            "requested_support_vnd": row.requested_support_vnd},
                "approved_vnd": total}
    if request.kind == AdjustmentKind.SCHEDULE:
        before = project.end_date
        project.end_date = request.new_end_date
        deadline = checks.next_deadline(project, project.status)
        project.due_date, project.due_label, project.due_basis = deadline.due, deadline.label, deadline.basis
        return {"end_date": [checks.jsonable(before), checks.jsonable(project.end_date)]}
    link = project.beneficiary_links.filter(establishment=request.old_establishment_id).first()
    if link is None:
        raise InvalidInput(_("The beneficiary to replace is no longer in the project."), field="old_establishment")
    snapshot = checks.eligibility_snapshot(request.new_establishment, on_date)
    if not snapshot["eligible"]:
        raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: %(reasons)s")
                           % {"name": request.new_establishment.name, "date": checks.dmy(on_date),
                              "reasons": " ".join(snapshot["reasons"])}, field="new_establishment")
    link.delete()
    ProjectBeneficiary.objects.create(project=project, establishment=request.new_establishment, **snapshot)
    project.contents.filter(establishment_id=request.old_establishment_id).update(
        establishment=request.new_establishment)
    return {"beneficiary": [request.old_establishment.name, request.new_establishment.name]}


def adjustment_decide(*, actor, project: Project, request_id: int, approve: bool, reference: str = "",
                      note: str = "", version: int, decided_on: datetime.date | None = None) -> AdjustmentRequest:
    """Records the authority's decision on a request; an approval applies the change (content amounts and the
    approved support in the ledger, the planned end, the beneficiary) in the same transaction, audited."""
    decided_on = _act_date(decided_on)
    reference, note = normalize_text(reference)[:120], _text(note)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        request = AdjustmentRequest.objects.select_for_update(of=("self",)).select_related(
            "old_establishment", "new_establishment", "new_content").filter(project=locked, pk=request_id).first()
        if request is None:
            raise NotFound(_("Adjustment request not found."))
        _require(can_decide_adjustment(actor, locked, request.authority))
        if request.version != version or request.status != AdjustmentStatus.PENDING:
            raise Conflict(_("This request was decided or changed after you opened it. Reload the page."))
        if approve and not reference:
            raise InvalidInput(_("Give the number of the decision."), field="reference")
        if not approve and not note:
            raise InvalidInput(_("Write the reasons for refusing."), field="note")
        if decided_on < request.requested_on:
            raise InvalidInput(_("The decision cannot be dated before the request."), field="decided_on")
        effects = _apply_adjustment(request, locked, actor=actor, on_date=decided_on, reference=reference,
                                    note=note) if approve else {}
        request.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        request.decided_on, request.decided_by = decided_on, actor
        request.decision_reference, request.decision_note = reference, note
        request.effects = checks.jsonable(effects)
        request.version += 1
        request.save()
        if approve:
            locked.version += 1
            locked.save()
        audit_record(actor=actor, action=f"project.adjustment_{request.status}", obj=locked, changes=_pairs({
            "adjustment": request.summary, "reference": reference, "note": note, **request.effects}))
    return request


# --- appraisal councils ---------------------------------------------------------------------------------------------


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
    level = council_level_for(project)
    if level is None:
        raise InvalidInput(_("The project is not waiting for an appraisal (now: “%(status)s”).") % {
            "status": project.get_status_display()})
    _require(can_manage_council(actor, project, level))
    decision_number = _text(decision_number, 120)
    if not decision_number:
        raise InvalidInput(_("Give the number of the decision setting up the council."), field="decision_number")
    decision_date = _act_date(decision_date)
    sheet = scoring.sheet_for(level)
    rows, names = [], set()
    for row in members:
        name = _text(row.get("name"), 150)
        if not name:
            continue
        if name.casefold() in names:
            raise InvalidInput(_("%(name)s is listed twice.") % {"name": name}, field="members")
        names.add(name.casefold())
        role = row.get("role") or MemberRole.MEMBER
        if role not in MemberRole.values:
            raise InvalidInput(_("Unknown role in the council."), field="members")
        rows.append({"name": name, "position": _text(row.get("position"), 300), "role": role})
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
                                                  decision_date=decision_date, signer=_text(signer, 150),
                                                  sheet=sheet, created_by=_actor(actor))
        CouncilMember.objects.bulk_create([CouncilMember(council=council, order=i, **row)
                                           for i, row in enumerate(rows)])
        audit_record(actor=actor, action="project.council_create", obj=project, changes=_pairs({
            "council": council.pk, "level": level, "decision_number": decision_number,
            "decision_date": decision_date, "sheet": f"{sheet['code']} {sheet['version']}",
            "members": [f"{row['name']} ({MemberRole(row['role']).label})" for row in rows]}))
    return council


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def score_sheet_save(*, actor, project: Project, council_id: int, member_id: int, scores: dict, comment: str = "",
                     version: int | None = None) -> ScoreSheet:
    """Enters (or corrects, before the council concludes) one member's scores. `version`: the version of the sheet
    the form was opened with (None for a new sheet)."""
    with transaction.atomic():
        council = _council(project, council_id, lock=True)
        _require(can_manage_council(actor, project, council.level))
        if council.concluded:
            raise Conflict(_("The council has concluded: its sheets can no longer change."))
        member = council.members.filter(pk=member_id).first()
        if member is None:
            raise NotFound(_("Council member not found."))
        clean = scoring.clean_scores(council.sheet, scores)
        total = scoring.total_of(council.sheet, clean)
        comment = _text(comment)
        sheet = ScoreSheet.objects.select_for_update().filter(member=member).first()
        if sheet is None:
            if version not in (None, 0):
                raise Conflict(_("Someone else removed this sheet. Reload the page."))
            sheet = ScoreSheet.objects.create(member=member, scores=clean, total=total, comment=comment,
                                              created_by=_actor(actor))
            changes = {"scores": [None, clean], "total": [None, str(total)]}
        else:
            if version != sheet.version:
                raise Conflict(_("Someone else changed this member's sheet after you opened it. Reload the page; "
                                 "your scores are kept below."))
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
    minutes = _text(minutes)
    if not minutes:
        raise InvalidInput(_("Write the minutes of the council's conclusion."), field="minutes")
    on_date = _act_date(on_date)
    with transaction.atomic():
        council = _council(project, council_id, lock=True)
        _require(can_manage_council(actor, project, council.level))
        if council.version != version:
            raise Conflict(_("Someone else updated this council after you opened it. Reload the page."))
        if council.concluded:
            raise Conflict(_("The council has already concluded."))
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
        audit_record(actor=actor, action="project.council_conclude", obj=project, changes=_pairs({
            "council": council.pk, "conclusion": conclusion, "average": str(result.average),
            "pass_average": str(result.pass_average), "concluded_on": on_date}))
    return council
