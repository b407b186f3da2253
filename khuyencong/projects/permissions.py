"""Who may do what with plans and projects. Each check returns a Decision with a Vietnamese reason.

A role counts only where it is held: a DoIT officer of Lai Châu acts on Lai Châu's projects, a ministry officer
(national assignment) on every project. `acting_roles(user, province_id)` gives the roles a user holds for a
province, from one query per request.
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny
from khuyencong.rules.models import FundSource

from .models import EDITABLE_STATUSES, AnnualPlan, LedgerKind, Project, ProjectKind, ProjectStatus


def _role_map(user) -> dict[str, tuple[bool, frozenset[int]]]:
    """role → (held nationally, provinces where it is held for the whole province), from the user's scope."""
    return user_scope(user).role_places


def acting_roles(user, province_id: int | None) -> set[str]:
    """Roles the user holds nationally or for the whole of this province (not for some communes only)."""
    return {
        role for role, (national, provinces) in _role_map(user).items()
        if national or (province_id is not None and province_id in provinces)
    }


def holds_role_anywhere(user, *roles: str) -> bool:
    return bool(set(_role_map(user)) & set(roles))


def role_labels(roles) -> str:
    return ", ".join(str(Role(r).label) for r in roles)


def acting_decision(user, province_id: int | None, roles, *, doing: str) -> Decision:
    """Allowed when the user holds one of `roles` for the province; otherwise a reason naming the roles."""
    if acting_roles(user, province_id) & set(roles):
        return ALLOW
    if holds_role_anywhere(user, *roles):
        return deny(_("You hold the role needed to %(doing)s, but not for this province.") % {"doing": doing})
    return deny(_("Only %(roles)s can %(doing)s.") % {"roles": role_labels(roles), "doing": doing})


# --- viewing --------------------------------------------------------------------------------------------------------


def can_view_project(user, project: Project) -> Decision:
    scope = user_scope(user)
    if scope.covers(province_id=project.province_id, commune_id=project.commune_id):
        return ALLOW
    return deny(_("This project is outside your area."))


def can_view_plan(user, plan: AnnualPlan) -> Decision:
    if plan.province_id is None or user_scope(user).touches_province(plan.province_id):
        return ALLOW
    return deny(_("This plan is outside your area."))


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
    if project.status not in EDITABLE_STATUSES:
        return deny(_("The project can be edited only while it is a draft or returned for correction (now: "
                      "%(status)s).") % {"status": project.get_status_display()})
    return ALLOW


# After approval a group project's beneficiaries are fixed by the DoIT (TT 36/2013 Art 12: Mẫu 11).
GROUP_DETAILING_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS)


def can_edit_beneficiaries(user, project: Project) -> Decision:
    if project.kind == ProjectKind.GROUP and project.status in GROUP_DETAILING_STATUSES:
        return acting_decision(user, project.province_id, DOIT,
                               doing=_("fix the beneficiaries of an approved group project"))
    if project.kind == ProjectKind.TASK:
        return deny(_("A KC task has no beneficiary establishments."))
    return can_edit_project(user, project)


def can_manage_documents(user, project: Project) -> Decision:
    roles = PROJECT_AUTHORS + MONEY + DOIT + (MINISTRY if project.is_national else ())
    decision = acting_decision(user, project.province_id, roles, doing=_("record the project's documents"))
    if decision and project.status == ProjectStatus.ARCHIVED:
        return deny(_("The project is archived."))
    return decision


# Kinds a person records by hand; the others come from the project's steps (approval, contract, settlement).
MANUAL_LEDGER_KINDS = (LedgerKind.ADVANCE, LedgerKind.DISBURSEMENT, LedgerKind.REFUND)


def can_record_money(user, project: Project) -> Decision:
    """Finance officers of the province record advances, disbursements and refunds; for a national project the
    ministry agency, which pays it, may record them too."""
    roles = MONEY + (MINISTRY if project.is_national else ())
    return acting_decision(user, project.province_id, roles, doing=_("record payments"))


# --- plans ----------------------------------------------------------------------------------------------------------


def plan_roles(fund: str) -> tuple[str, ...]:
    """The ministry agency keeps the national plan; the DoIT builds the local plan and records the People's
    Committee's decisions."""
    return MINISTRY if fund == FundSource.NATIONAL else DOIT


def can_create_plan(user, fund: str, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, plan_roles(fund), doing=_("keep this annual plan"))


def can_edit_plan(user, plan: AnnualPlan) -> Decision:
    return can_create_plan(user, plan.fund, plan.province_id)
