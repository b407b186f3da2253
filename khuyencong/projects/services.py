"""Writes for plans, projects, their contents, beneficiaries, documents, steps and ledger.

Every function here is one domain action: keyword-only, permission-checked, atomic, audited. Views, the API and the
demo seeder all call these.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from khuyencong.core.money import format_vnd
from khuyencong.core.text import fold, normalize_text
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules.engine import content_get
from khuyencong.rules.models import FundSource

from . import checklists, checks, flows, ledger
from .models import (
    EDITABLE_STATUSES,
    AnnualPlan,
    LedgerEntry,
    PlanAdjustment,
    Programme,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectDocument,
    ProjectKind,
)
from .permissions import (
    can_create_plan,
    can_create_project,
    can_edit_beneficiaries,
    can_edit_plan,
    can_edit_project,
    can_manage_documents,
    can_record_money,
)
from .selectors import plan_approved_total

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
        project = Project(plan=plan, province=province, seq=seq, created_by=actor,
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
