"""Who may do what in settlement, beyond the lifecycles' tables (`flows.py`)."""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision
from khuyencong.core.permissions import Decision

CHECKERS = (Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
OBSTACLE_KEEPERS = (Role.CENTRE_STAFF, Role.FINANCE_OFFICER, Role.DOIT_OFFICER, Role.DOIT_MANAGER)
PROPOSAL_AUTHORS = (Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)


def can_run_checks(user, project) -> Decision:
    return acting_decision(user, project.province_id, CHECKERS, doing=_("run the double-support checks"))


def can_log_obstacle(user, project) -> Decision:
    return acting_decision(user, project.province_id, OBSTACLE_KEEPERS, doing=_("record settlement obstacles"))


def can_record_invoices(user, project) -> Decision:
    return acting_decision(user, project.province_id, OBSTACLE_KEEPERS,
                           doing=_("record the invoices of the settlement dossier"))


def can_author_proposal(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, PROPOSAL_AUTHORS, doing=_("write policy proposals"))
