"""Who may do what with plans and projects. Each check returns a Decision with a Vietnamese reason.

A role counts only where it is held: a DoIT officer of Lai Châu acts on Lai Châu's projects, a ministry officer
(national assignment) on every project (`accounts.scope.acting_decision`, from one query per request). The steps of
a project's lifecycle are decided by its flow (flows.py); these are the other acts.
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision
from khuyencong.core.permissions import ALLOW, Decision, deny, first_refusal
from khuyencong.rules.models import FundSource

from .flows import project_lock, settled_money_open
from .models import EDITABLE_STATUSES, AnnualPlan, LedgerKind, Project, ProjectKind, ProjectStatus

# --- projects -------------------------------------------------------------------------------------------------------

PROJECT_AUTHORS = (Role.CENTRE_STAFF,)
DOIT = (Role.DOIT_OFFICER, Role.DOIT_MANAGER)
MONEY = (Role.FINANCE_OFFICER,)
MINISTRY = (Role.MINISTRY_OFFICER,)


def can_create_project(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, PROJECT_AUTHORS, doing=_("draft projects"))


def can_edit_project(user, project: Project) -> Decision:
    decision = acting_decision(user, project.province_id, PROJECT_AUTHORS, doing=_("edit a project"))
    if not decision:
        return decision
    if project_lock.holds(project):
        return project_lock(project)
    if project.status not in EDITABLE_STATUSES:
        return deny(_("The project can be edited only while it is a draft or returned for correction (now: "
                      "%(status)s).") % {"status": project.get_status_display()})
    return ALLOW


# After approval a group project's beneficiaries are fixed by the DoIT (TT 36/2013/TT-BCT Điều 12, Mẫu 11).
GROUP_DETAILING_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS)


def can_edit_beneficiaries(user, project: Project) -> Decision:
    if project_lock.holds(project):
        return can_edit_project(user, project)
    if project.kind == ProjectKind.GROUP and project.status in GROUP_DETAILING_STATUSES:
        return acting_decision(user, project.province_id, DOIT,
                               doing=_("fix the beneficiaries of an approved group project"))
    if project.kind == ProjectKind.TASK:
        return deny(_("A KC task has no beneficiary establishments."))
    return can_edit_project(user, project)


def can_manage_documents(user, project: Project) -> Decision:
    roles = PROJECT_AUTHORS + MONEY + DOIT + (MINISTRY if project.is_national else ())
    decision = acting_decision(user, project.province_id, roles, doing=_("record the project's documents"))
    return first_refusal(decision, project_lock(project))


# Kinds a person records by hand; the others come from the project's steps (approval, contract, settlement).
MANUAL_LEDGER_KINDS = (LedgerKind.ADVANCE, LedgerKind.DISBURSEMENT, LedgerKind.REFUND)


def can_record_money(user, project: Project) -> Decision:
    """Finance officers of the province record advances, disbursements and refunds; for a national project the
    ministry agency, which pays it, may record them too."""
    roles = MONEY + (MINISTRY if project.is_national else ())
    return first_refusal(acting_decision(user, project.province_id, roles, doing=_("record payments")),
                         settled_money_open(project))


# --- plans ----------------------------------------------------------------------------------------------------------


def plan_roles(fund: str) -> tuple[str, ...]:
    """The ministry agency keeps the national plan; the DoIT builds the local plan and records the People's
    Committee's decisions."""
    return MINISTRY if fund == FundSource.NATIONAL else DOIT


def can_create_plan(user, fund: str, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, plan_roles(fund), doing=_("keep this annual plan"))


def can_edit_plan(user, plan: AnnualPlan) -> Decision:
    return can_create_plan(user, plan.fund, plan.province_id)


# --- monitoring -----------------------------------------------------------------------------------------------------

# While implementation runs the implementing unit reports each month; inspections go on until the money is settled.
REPORTING_STATUSES = (ProjectStatus.IN_PROGRESS,)
VISIT_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS,
                  ProjectStatus.SUSPENDED, ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED,
                  ProjectStatus.STOPPED)
ACCEPTANCE_STATUSES = (ProjectStatus.IN_PROGRESS,)


def _while(decision: Decision, project: Project, statuses, doing: str) -> Decision:
    if decision and project_lock.holds(project):
        return project_lock(project)
    if decision and project.status not in statuses:
        return deny(_("You cannot %(doing)s while the project is “%(status)s”.") % {
            "doing": doing, "status": project.get_status_display()})
    return decision


def can_report_progress(user, project: Project) -> Decision:
    """The implementing unit (the centre's staff of the province) sends the monthly progress report."""
    doing = _("send a progress report")
    return _while(acting_decision(user, project.province_id, PROJECT_AUTHORS, doing=doing), project,
                  REPORTING_STATUSES, doing)


def supervisor_roles(project: Project) -> tuple[str, ...]:
    """The DoIT inspects (with the ministry agency for a national project, TT 36/2013/TT-BCT Điều 21)."""
    return DOIT + (MINISTRY if project.is_national else ())


def can_record_visit(user, project: Project) -> Decision:
    doing = _("record a supervision visit")
    return _while(acting_decision(user, project.province_id, supervisor_roles(project), doing=doing), project,
                  VISIT_STATUSES, doing)


def can_follow_up_visit(user, project: Project) -> Decision:
    """The inspectors close their recommendations; the implementing unit reports what it did about them."""
    doing = _("record the follow-up of a visit")
    roles = supervisor_roles(project) + PROJECT_AUTHORS
    return first_refusal(acting_decision(user, project.province_id, roles, doing=doing), project_lock(project))


def can_record_acceptance(user, project: Project) -> Decision:
    """The DoIT organises the base acceptance (with the ministry agency for a national project, Mẫu 5a/5c)."""
    doing = _("record acceptance minutes")
    return _while(acting_decision(user, project.province_id, supervisor_roles(project), doing=doing), project,
                  ACCEPTANCE_STATUSES, doing)


# --- adjustments ----------------------------------------------------------------------------------------------------

ADJUSTABLE_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS,
                       ProjectStatus.SUSPENDED)
# Who records the decision of each authority the rules name: the ministry agency records its own decisions and the
# Minister's; the DoIT's leadership records the DoIT's and, for a local project, the People's Committee's.
AUTHORITY_ROLES = {
    "minister": MINISTRY,
    "ministry_agency": MINISTRY,
    "doit": (Role.DOIT_MANAGER,),
    "provincial_pc": (Role.DOIT_MANAGER,),
}


def can_request_adjustment(user, project: Project) -> Decision:
    """The implementing unit (the centre) asks for a change of an approved project (through the DoIT)."""
    doing = _("ask for an adjustment")
    return _while(acting_decision(user, project.province_id, PROJECT_AUTHORS, doing=doing), project,
                  ADJUSTABLE_STATUSES, doing)


def can_decide_adjustment(user, project: Project, authority: str) -> Decision:
    doing = _("record the decision on this adjustment")
    roles = AUTHORITY_ROLES.get(authority, MINISTRY)
    return _while(acting_decision(user, project.province_id, roles, doing=doing), project, ADJUSTABLE_STATUSES,
                  doing)


# --- appraisal councils ---------------------------------------------------------------------------------------------

# The state a project is in while each level's council sits, and who keeps the council: the DoIT for the base-level
# and local councils, the ministry agency for the ministry-level one.
COUNCIL_STATES = {"base": ProjectStatus.SUBMITTED, "provincial": ProjectStatus.SUBMITTED,
                  "ministry": ProjectStatus.REGISTERED}
COUNCIL_ROLES = {"base": DOIT, "provincial": DOIT, "ministry": MINISTRY}


def council_level_for(project: Project) -> str | None:
    """The level of appraisal the project is waiting for now (None: none)."""
    if project.status == ProjectStatus.SUBMITTED:
        return "base" if project.is_national else "provincial"
    if project.status == ProjectStatus.REGISTERED and project.is_national:
        return "ministry"
    return None


def can_manage_council(user, project: Project, level: str) -> Decision:
    """Set up the council, enter its members' sheets (as its secretary does) and record its conclusion."""
    doing = _("keep the appraisal council")
    decision = acting_decision(user, project.province_id, COUNCIL_ROLES[level], doing=doing)
    if decision and project_lock.holds(project):
        return project_lock(project)
    if decision and project.status != COUNCIL_STATES[level]:
        return deny(_("The council of this level sits while the project is “%(status)s” (now: “%(now)s”).") % {
            "status": ProjectStatus(COUNCIL_STATES[level]).label, "now": project.get_status_display()})
    return decision
