"""The lifecycle of a KC project as one transition table (`project_flow`, on the engine of core/flows.py): per fund
(the row's variant), from-state, action → to-state, who may act, guards and effects.

National projects follow TT 36/2013/TT-BCT (Điều 5 to Điều 18): the centre drafts and submits to the DoIT (Sở Công
Thương), which appraises at base level (Điều 8) and registers the project with the ministry agency (Cục ĐCK), which
appraises it (Điều 9); the Minister's plan decision approves it (recorded by a ministry officer); then contract,
implementation, base acceptance, settlement dossier, settlement and archive. Local projects follow the procedure the
province sets (TT 46/2012/TT-BCT Điều 8 khoản 3 điểm b), in its typical form: the DoIT council appraises, the
People's Committee approves (recorded by the DoIT manager), then the same tail. Side exits: returned for correction,
rejected, suspended (and resumed), stopped.

Who: a role counts only for the project's province (`accounts.scope.acting_decision`); a ministry officer acts
nationally. Guards: documents of the step received (checklists.py), contents within the quotes of the rules in force
on the date of the act, beneficiaries eligible on the application date, the plan's envelope, balanced money before
archiving. Effects: the ledger entries of approval, contract and settlement; rules frozen at approval; dates. The
service (`services.project_transition`) records the next deadline.

`project_flow.options(project, user)` lists the actions of the current state, each allowed or with its reasons, so
the page and the API show the reason of every unavailable one.
"""

import datetime
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision
from khuyencong.core import badges
from khuyencong.core.errors import Conflict, NotFound
from khuyencong.core.flows import PREVIOUS, Act, Flow, FlowContext, Transition
from khuyencong.core.locks import Lock, RecordLocked
from khuyencong.core.money import format_vnd
from khuyencong.core.permissions import ALLOW, Decision, deny
from khuyencong.rules import engine
from khuyencong.rules.models import FundSource

from . import checklists, checks, ledger, support_checks
from .ledger import project_balances
from .models import (
    PASSING_CONCLUSIONS,
    PASSING_COUNCIL_CONCLUSIONS,
    AdjustmentStatus,
    AnnualPlan,
    LedgerKind,
    Project,
    ProjectKind,
)
from .models import ProjectStatus as S

NATIONAL, LOCAL = FundSource.NATIONAL, FundSource.LOCAL

CENTRE = (Role.CENTRE_STAFF,)
FINANCE = (Role.FINANCE_OFFICER,)
DOIT = (Role.DOIT_OFFICER, Role.DOIT_MANAGER)
DOIT_LEAD = (Role.DOIT_MANAGER,)
MINISTRY = (Role.MINISTRY_OFFICER,)

ACTION_LABELS = {
    "submit": gettext_lazy("Submit to the DoIT"),
    "return": gettext_lazy("Return for correction"),
    "reject": gettext_lazy("Reject"),
    "appraise_base": gettext_lazy("Record the base-level appraisal"),
    "register": gettext_lazy("Register with the ministry agency"),
    "appraise_ministry": gettext_lazy("Record the ministry's appraisal"),
    "appraise_council": gettext_lazy("Record the DoIT council's appraisal"),
    "approve": gettext_lazy("Approve in the plan"),
    "contract": gettext_lazy("Record the contract"),
    "start": gettext_lazy("Start implementation"),
    "accept": gettext_lazy("Record the acceptance"),
    "submit_settlement": gettext_lazy("Submit the settlement dossier"),
    "settle": gettext_lazy("Record the settlement"),
    "archive": gettext_lazy("Archive"),
    "suspend": gettext_lazy("Suspend"),
    "resume": gettext_lazy("Resume"),
    "stop": gettext_lazy("Stop the project"),
}

# What the actor types for an action: a note (the reasons), a reference (decision or contract number), an amount.
INPUT_LABELS = {
    "note": gettext_lazy("Note / reasons"),
    "reference": gettext_lazy("Decision or contract number"),
    "amount": gettext_lazy("Amount (đồng)"),
}

# Side exits a role may take at any time (not what a project's step waits for): left out of to-do lists and reminders.
SIDE_EXITS = ("suspend", "stop")

badges.register("project", {
    S.DRAFT: "text-bg-light border",
    S.SUBMITTED: "text-bg-info",
    S.RETURNED: "text-bg-warning",
    S.REJECTED: "text-bg-dark",
    S.BASE_APPRAISED: "text-bg-info",
    S.REGISTERED: "text-bg-info",
    S.MINISTRY_APPRAISED: "text-bg-info",
    S.COUNCIL_APPRAISED: "text-bg-info",
    S.APPROVED: "text-bg-primary",
    S.CONTRACTED: "text-bg-primary",
    S.IN_PROGRESS: "text-bg-primary",
    S.ACCEPTED: "text-bg-success",
    S.SETTLEMENT_SUBMITTED: "text-bg-success",
    S.SETTLED: "text-bg-success",
    S.ARCHIVED: "text-bg-secondary",
    S.SUSPENDED: "text-bg-warning",
    S.STOPPED: "text-bg-danger",
})
badges.register("adjustment", {
    AdjustmentStatus.PENDING: "text-bg-warning",
    AdjustmentStatus.APPROVED: "text-bg-success",
    AdjustmentStatus.REFUSED: "text-bg-danger",
})


class ProjectContext(FlowContext):
    """What the guards of one project read, loaded once (the page asks every action's guards)."""

    @property
    def project(self) -> Project:
        return self.obj

    @cached_property
    def contents(self) -> list:
        return list(self.project.contents.all())

    @cached_property
    def links(self) -> list:
        return list(self.project.beneficiary_links.all())

    @cached_property
    def received(self) -> set[str]:
        return {doc.code for doc in self.project.documents.all()}

    @cached_property
    def checklist(self) -> list:
        return checklists.required_documents(fund=self.project.plan.fund, kind=self.project.kind,
                                             content_codes=[row.content.code for row in self.contents])

    @cached_property
    def balances(self):
        return getattr(self.project, "_balances", None) or project_balances(self.project)

    @cached_property
    def accepting_dates(self) -> list[datetime.date]:
        """Dates of the acceptance minutes that accept the work (annotated by selectors.project_get when loaded)."""
        known = getattr(self.project, "_accepting_dates", None)
        if known is not None:
            return known
        return list(self.project.acceptances.filter(conclusion__in=PASSING_CONCLUSIONS).values_list(
            "minutes_date", flat=True))

    @cached_property
    def councils(self) -> list:
        """The project's appraisal councils, latest first (one query)."""
        return list(self.project.councils.order_by("-decision_date", "-id"))

    def latest_council(self, level: str):
        return next((c for c in self.councils if c.level == level), None)


# --- guards ---------------------------------------------------------------------------------------------------------


def has_contents(ctx: ProjectContext) -> Decision:
    if not ctx.contents:
        return deny(_("Add at least one KC content with its budget."))
    if ctx.project.kind == ProjectKind.FLAGSHIP and len({row.content_id for row in ctx.contents}) < 2:
        return deny(_("A flagship project needs at least two linked KC contents."))
    return ALLOW


def beneficiaries_eligible(ctx: ProjectContext) -> Decision:
    """Named and flagship projects name their beneficiaries; each must be a CNNT establishment on the date (a group
    project's beneficiaries are fixed after approval; a task has none)."""
    project = ctx.project
    if project.kind in (ProjectKind.STANDARD, ProjectKind.FLAGSHIP) and not ctx.links:
        return deny(_("Add the beneficiary establishment(s)."))
    for link in ctx.links:
        snapshot = checks.eligibility_snapshot(link.establishment, ctx.on_date)
        if not snapshot["eligible"]:
            return deny(_("%(name)s is not an eligible rural industrial establishment on %(date)s: %(reasons)s") % {
                "name": link.establishment.name, "date": checks.dmy(ctx.on_date),
                "reasons": " ".join(snapshot["reasons"])})
    return ALLOW


def within_quotes(ctx: ProjectContext) -> Decision:
    problems = checks.requote_problems(ctx.project, ctx.contents, ctx.on_date)
    return deny(problems[0]) if problems else ALLOW


def documents_received(action: str):
    """The guard of a step: the documents of the checklist the step needs are received."""

    def guard(ctx: ProjectContext) -> Decision:
        missing = [spec.name for spec in ctx.checklist if spec.stage == action and spec.code not in ctx.received]
        if missing:
            return deny(_("Documents not yet received: %(documents)s.") % {"documents": "; ".join(missing)})
        return ALLOW

    guard.__name__ = f"documents_received_{action}"
    return guard


def registered_checks(stage: str):
    """The guard of a money step: the checks other modules registered (support_checks.py) let it go on."""

    def guard(ctx: ProjectContext) -> Decision:
        return support_checks.first_refusal(ctx, stage)

    guard.__name__ = f"registered_checks_{stage}"
    return guard


def within_envelope(ctx: ProjectContext) -> Decision:
    problem = ledger.envelope_problem(ctx.project.plan, sum(row.requested_support_vnd for row in ctx.contents))
    return deny(problem) if problem else ALLOW


def acceptance_recorded(ctx: ProjectContext) -> Decision:
    """Acceptance is recorded from its minutes (biên bản nghiệm thu, Mẫu 5a): one that accepts the work, dated on
    or before the act."""
    if not any(day <= ctx.on_date for day in ctx.accepting_dates):
        return deny(_("Record the acceptance minutes (with a conclusion that accepts the work) first."))
    return ALLOW


# The appraisal a step records, and the council level that gives it.
APPRAISAL_LEVELS = {"appraise_base": "base", "appraise_ministry": "ministry", "appraise_council": "provincial"}


def council_passed(ctx: ProjectContext, level: str) -> Decision:
    """The appraisal is recorded from its council: the latest council of the level has concluded to approve, which
    it can only do with every member's sheet in and an average at or above the sheet's pass mark."""
    council = ctx.latest_council(level)
    if council is None:
        return deny(_("Set up the appraisal council and enter its members' scoring sheets first."))
    if not council.conclusion:
        return deny(_("The appraisal council (%(decision)s) has not concluded yet.") % {
            "decision": council.decision_number})
    if council.conclusion not in PASSING_COUNCIL_CONCLUSIONS:
        return deny(_("The appraisal council concluded to reject the project (average %(average)s of %(mark)s "
                      "needed): record the rejection.") % {"average": council.average,
                                                            "mark": council.sheet.get("pass_average")})
    return ALLOW


def _council_guard(level: str):
    def guard(ctx: ProjectContext) -> Decision:
        return council_passed(ctx, level)

    guard.__name__ = f"council_passed_{level}"
    return guard


def money_balanced(ctx: ProjectContext) -> Decision:
    b = ctx.balances
    if b.to_refund:
        return deny(_("%(amount)s paid beyond the settled amount must be refunded first.") % {
            "amount": format_vnd(b.to_refund)})
    if b.to_pay:
        return deny(_("%(amount)s of the settled amount is not paid yet.") % {"amount": format_vnd(b.to_pay)})
    return ALLOW


def has_approved_money(ctx: ProjectContext) -> Decision:
    if ctx.balances.approved <= 0:
        return deny(_("No support was approved for this project."))
    return ALLOW


# --- effects --------------------------------------------------------------------------------------------------------


def refresh_snapshots(project: Project, on_date: datetime.date) -> None:
    """Re-reads each content's quote and each beneficiary's eligibility on the date of the act (submission,
    approval), so the project keeps what the rules said then. The guards have checked the quotes still hold."""
    for row in project.contents.select_related("content"):
        quote = checks.quote_for(project=project, content=row.content, eligible_cost=row.eligible_cost_vnd,
                                 variant=row.variant, on_date=on_date)
        row.quote_support_vnd = quote.support_vnd
        row.quote = checks.jsonable(quote.as_dict())
        row.quoted_on = on_date
        row.save(update_fields=["quote_support_vnd", "quote", "quoted_on"])
    for link in project.beneficiary_links.select_related("establishment"):
        snapshot = checks.eligibility_snapshot(link.establishment, on_date)
        for key, value in snapshot.items():
            setattr(link, key, value)
        link.save(update_fields=list(snapshot))


def record_application(act: Act) -> dict:
    """The application date is the day of submission: quotes and eligibility are snapshotted on it."""
    act.obj.application_date = act.on_date
    refresh_snapshots(act.obj, act.on_date)
    return {"application_date": act.on_date}


def approve_and_freeze(act: Act) -> dict:
    """Approval commits the support against the plan's envelope (APPROVED entry) and freezes the rules used."""
    project = act.obj
    plan = AnnualPlan.objects.select_for_update().get(pk=project.plan_id)
    refresh_snapshots(project, act.on_date)
    contents = list(project.contents.select_related("content"))
    amount = sum(row.requested_support_vnd for row in contents)
    ledger.check_approval(plan, amount)
    links = list(project.beneficiary_links.select_related("establishment"))
    project.rules_frozen = checks.jsonable({
        "frozen_on": act.on_date,
        "quotes": [{"content": row.content.code, "variant": row.variant, "requested_vnd": row.requested_support_vnd,
                    "support_vnd": row.quote_support_vnd, "rule": row.quote.get("rule", {})} for row in contents],
        "advance": checks.advance_snapshot([row.content.code for row in contents], act.on_date),
        "eligibility": [{"establishment": link.establishment_id, "name": link.establishment.name,
                         "eligible": link.eligible, "basis": link.basis, "checked_on": link.checked_on}
                        for link in links],
        "deadlines": engine.calendar(plan.year, plan.fund, project.province.code),
    })
    project.approved_on = act.on_date
    project.approval_reference = act.input("reference")
    if amount:
        ledger.append(project=project, kind="APPROVED", amount=amount, on_date=act.on_date, actor=act.actor,
                      reference=act.input("reference"), note=act.input("note"),
                      rule={"envelope_vnd": plan.envelope_vnd})
    return {"approved_vnd": amount, "approval_reference": act.input("reference")}


def record_contract(act: Act) -> dict:
    project = act.obj
    balances = project_balances(project)
    given = act.inputs.get("amount")
    amount = balances.approved - balances.contracted if given is None else given
    ledger.check_contract(balances, amount)
    project.contract_reference = act.input("reference")
    project.contract_date = act.on_date
    if amount:
        ledger.append(project=project, kind="CONTRACTED", amount=amount, on_date=act.on_date, actor=act.actor,
                      reference=act.input("reference"), note=act.input("note"))
    return {"contracted_vnd": amount, "contract_reference": act.input("reference")}


def record_acceptance(act: Act) -> dict:
    """The project is accepted on the date of its last accepting minutes: the settlement dossier is due 15 days
    after it (TT 36/2013/TT-BCT Điều 18)."""
    act.obj.accepted_on = max(day for day in act.ctx.accepting_dates if day <= act.on_date)
    return {"accepted_on": act.obj.accepted_on}


def open_reports(act: Act) -> dict:
    """Implementation starts (or resumes): monthly progress reports are owed from the first month whose deadline
    is still ahead (none when the rules ask for no report)."""
    project = act.obj
    if act.transition.action == "resume" and project.status_before_suspension != S.IN_PROGRESS:
        return {}
    rule = checks.report_rule(project)
    if rule is None:
        project.reports_from, project.report_due_date = None, None
        return {}
    project.reports_from = checks.first_report_period(rule, act.on_date)
    reported = set(project.progress_reports.values_list("period", flat=True))
    project.report_due_date = checks.next_report_due(project, reported).due
    return {"report_due_date": project.report_due_date}


def record_settlement(act: Act) -> dict:
    project = act.obj
    balances = project_balances(project)
    amount = act.inputs.get("amount")
    ledger.check_settlement(balances, amount)
    project.settled_on = act.on_date
    if amount:
        ledger.append(project=project, kind="SETTLEMENT", amount=amount, on_date=act.on_date, actor=act.actor,
                      reference=act.input("reference"), note=act.input("note"))
    return {"settled_vnd": amount}


# The council whose result a rejection in each state carries (national submitted: base level; local submitted: the
# DoIT council; registered or appraised by the ministry: the ministry's council).
REJECTION_LEVELS = {(NATIONAL, S.SUBMITTED): "base", (LOCAL, S.SUBMITTED): "provincial",
                    (LOCAL, S.COUNCIL_APPRAISED): "provincial", (NATIONAL, S.REGISTERED): "ministry",
                    (NATIONAL, S.MINISTRY_APPRAISED): "ministry"}


def record_council(act: Act) -> dict:
    """An appraisal or a rejection keeps the council's result (decision, conclusion, average, pass mark) in the
    project's history."""
    if act.transition.action in APPRAISAL_LEVELS:
        level = APPRAISAL_LEVELS[act.transition.action]
    else:
        level = REJECTION_LEVELS.get((act.transition.variant, act.obj.status))
    council = act.ctx.latest_council(level) if level else None
    if council is None:
        return {}
    return {"council": council.decision_number, "council_conclusion": council.get_conclusion_display(),
            "council_average": str(council.average) if council.average is not None else "",
            "pass_average": council.sheet.get("pass_average")}


def remember_state(act: Act) -> dict:
    act.obj.status_before_suspension = act.obj.status
    return {}


def name_stop_authority(act: Act) -> dict:
    """Stopping a project is the decision of the authority the rules name (the Minister for a national project,
    TT 36/2013/TT-BCT Điều 11); the officer records that decision."""
    if not act.obj.is_national:
        return {"authority": _("Provincial People's Committee (local procedure)")}
    kind = act.obj.kind if act.obj.kind != ProjectKind.TASK else None
    rule = engine.change_authority("stop_project", kind, act.on_date)
    return {"authority": rule.authority_label, "authority_basis": rule.basis}


# --- the table ------------------------------------------------------------------------------------------------------


def _row(fund: str, sources, action: str, target: str, roles, *, guards=(), **kw) -> Transition:
    """One row; every step also waits for the documents of the checklist it needs."""
    sources = sources if isinstance(sources, tuple) else (sources,)
    return Transition(action, ACTION_LABELS[action], tuple(sources), target, roles,
                      guards=(*guards, documents_received(action)), variant=fund, **kw)


SUBMIT = {"guards": (has_contents, beneficiaries_eligible, within_quotes, registered_checks("submit")),
          "effects": (record_application,)}
APPROVE = {"guards": (has_contents, within_quotes, within_envelope, registered_checks("approve")),
           "effects": (approve_and_freeze,),
           "needs": ("reference",), "optional": ("note",)}
CONTRACT = {"guards": (has_approved_money, registered_checks("contract")), "effects": (record_contract,),
            "needs": ("reference",),
            "optional": ("amount", "note")}
SETTLE = {"guards": (registered_checks("settle"),), "effects": (record_settlement,), "needs": ("amount",),
          "optional": ("reference", "note")}
NOTE = {"needs": ("note",)}
REJECT = {"needs": ("note",), "effects": (record_council,)}
SUSPEND = {"effects": (remember_state,), "needs": ("note",)}
STOP = {"effects": (name_stop_authority,), "needs": ("note", "reference")}
RUNNING = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS)


def appraise(level: str) -> dict:
    return {"guards": (_council_guard(level),), "effects": (record_council,), "optional": ("note",)}


def _tail(fund: str, settle_roles, steer_roles, contract_roles) -> list[Transition]:
    """From approval to archive: the same steps for both funds, with the fund's authorities."""
    return [
        _row(fund, S.APPROVED, "contract", S.CONTRACTED, contract_roles, **CONTRACT),
        _row(fund, S.CONTRACTED, "start", S.IN_PROGRESS, CENTRE, effects=(open_reports,), optional=("note",)),
        _row(fund, S.IN_PROGRESS, "accept", S.ACCEPTED, DOIT, guards=(acceptance_recorded,),
             effects=(record_acceptance,), optional=("note",)),
        _row(fund, (S.ACCEPTED, S.STOPPED), "submit_settlement", S.SETTLEMENT_SUBMITTED, FINANCE,
             optional=("note",)),
        _row(fund, S.SETTLEMENT_SUBMITTED, "settle", S.SETTLED, settle_roles, **SETTLE),
        _row(fund, S.SETTLED, "archive", S.ARCHIVED, CENTRE + DOIT, guards=(money_balanced,), optional=("note",)),
        _row(fund, RUNNING, "suspend", S.SUSPENDED, steer_roles, **SUSPEND),
        _row(fund, S.SUSPENDED, "resume", PREVIOUS, steer_roles, effects=(open_reports,), optional=("note",)),
        _row(fund, (*RUNNING, S.SUSPENDED), "stop", S.STOPPED, steer_roles, **STOP),
    ]


TRANSITIONS: list[Transition] = [
    # National (TT 36/2013/TT-BCT)
    _row(NATIONAL, (S.DRAFT, S.RETURNED), "submit", S.SUBMITTED, CENTRE, **SUBMIT),
    _row(NATIONAL, S.SUBMITTED, "return", S.RETURNED, DOIT, **NOTE),
    _row(NATIONAL, S.SUBMITTED, "reject", S.REJECTED, DOIT, **REJECT),
    _row(NATIONAL, S.SUBMITTED, "appraise_base", S.BASE_APPRAISED, DOIT, **appraise("base")),
    _row(NATIONAL, S.BASE_APPRAISED, "register", S.REGISTERED, DOIT_LEAD, optional=("reference", "note")),
    _row(NATIONAL, S.REGISTERED, "return", S.RETURNED, MINISTRY, **NOTE),
    _row(NATIONAL, (S.REGISTERED, S.MINISTRY_APPRAISED), "reject", S.REJECTED, MINISTRY, **REJECT),
    _row(NATIONAL, S.REGISTERED, "appraise_ministry", S.MINISTRY_APPRAISED, MINISTRY, **appraise("ministry")),
    _row(NATIONAL, S.MINISTRY_APPRAISED, "approve", S.APPROVED, MINISTRY, **APPROVE),
    *_tail(NATIONAL, settle_roles=MINISTRY, steer_roles=MINISTRY, contract_roles=MINISTRY + FINANCE),
    # Local (the province's procedure, typical form)
    _row(LOCAL, (S.DRAFT, S.RETURNED), "submit", S.SUBMITTED, CENTRE, **SUBMIT),
    _row(LOCAL, S.SUBMITTED, "return", S.RETURNED, DOIT, **NOTE),
    _row(LOCAL, S.SUBMITTED, "reject", S.REJECTED, DOIT, **REJECT),
    _row(LOCAL, S.SUBMITTED, "appraise_council", S.COUNCIL_APPRAISED, DOIT, **appraise("provincial")),
    _row(LOCAL, S.COUNCIL_APPRAISED, "reject", S.REJECTED, DOIT_LEAD, **REJECT),
    _row(LOCAL, S.COUNCIL_APPRAISED, "approve", S.APPROVED, DOIT_LEAD, **APPROVE),
    *_tail(LOCAL, settle_roles=DOIT_LEAD, steer_roles=DOIT_LEAD, contract_roles=FINANCE),
]


def may_act(flow: Flow, project: Project, user, row: Transition) -> Decision:
    """A holder of one of the row's roles for the project's province (or nationally)."""
    doing = _("take the action “%(action)s”") % {"action": row.label}
    return acting_decision(user, project.province_id, row.roles_for(project), doing=doing)


def wrong_state(project: Project, label: str) -> str:
    return _("“%(action)s” is not possible while the project is “%(status)s”.") % {
        "action": label, "status": project.get_status_display()}


project_flow = Flow(
    TRANSITIONS,
    wrong_state=wrong_state,
    permission=may_act,
    variant_of=lambda project: project.plan.fund,
    context=ProjectContext,
    input_messages={"note": gettext_lazy("Write the reasons in the note."),
                    "reference": gettext_lazy("Give the number of the decision or contract.")},
    # The guards read the project's documents, councils and money: a visitor without the role is told only that.
    explain_to_others=False,
    state_error=Conflict,
    unknown_error=NotFound,
    labels=ACTION_LABELS,
)


# --- locks: the states that promise no more changes (core/locks.py) -------------------------------------------------

# Settled, the project's money and record are what the settlement decided: no ledger entry, document, content,
# beneficiary, visit or follow-up changes any more; only archiving (the flow's step) remains.
FINAL = (S.SETTLED, S.ARCHIVED)

project_lock = Lock(
    "project.settled", states=FINAL, test=lambda project: project.status in FINAL,
    reason=lambda project: _("The project is “%(status)s”: its record can no longer be changed.") % {
        "status": project.get_status_display()})
council_lock = Lock(
    "project.council_concluded", test=lambda council: council.concluded,
    reason=lambda council: _("The council has concluded: its sheets can no longer change."))


def settled_money_open(project: Project, balances=None) -> Decision:
    """A settled project's ledger takes only what the settlement leaves due (the rest to pay, or what was paid
    beyond it to take back), so that the money balances before archiving; otherwise it is locked."""
    if not project_lock.holds(project):
        return ALLOW
    balances = balances or project_balances(project)
    if project.status == S.SETTLED and (balances.to_pay or balances.to_refund):
        return ALLOW
    return project_lock(project)


def settled_payment_check(project: Project, kind: str, amount, balances) -> None:
    """Refuses, in a settled project, an entry other than the payment or refund the settlement leaves due."""
    if not project_lock.holds(project):
        return
    due = {LedgerKind.DISBURSEMENT: balances.to_pay, LedgerKind.REFUND: balances.to_refund}.get(kind, 0)
    if project.status == S.SETTLED and isinstance(amount, int) and 0 < amount <= due:
        return
    if project.status != S.SETTLED:
        project_lock.check(project)
    raise RecordLocked(str(project_lock.reason(project)) + " " + _(
        "Only what the settlement leaves due is recorded: %(pay)s to pay, %(refund)s to take back.") % {
        "pay": format_vnd(balances.to_pay), "refund": format_vnd(balances.to_refund)}, field="amount")
