"""The lifecycles of settlement: a double-support finding (open → explained → cleared / upheld) and a policy
proposal (draft → submitted → adopted / rejected)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Flow, Transition
from khuyencong.core.permissions import Decision

from .models import FindingStatus as F
from .models import ProposalStatus as P

EXPLAINERS = (Role.CENTRE_STAFF, Role.DOIT_OFFICER)
APPRAISERS = (Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
AUTHORS = (Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
DECIDERS = (Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)


def _decided_by(act) -> dict:
    return act.set(decided_on=act.on_date, decided_by=act.actor, decision_note=act.input("note"))


def _explain(act) -> dict:
    return act.set(explanation=act.input("explanation"))


FINDING_TRANSITIONS = (
    Transition("explain", gettext_lazy("Explain"), (F.OPEN, F.EXPLAINED), F.EXPLAINED, EXPLAINERS,
               effects=(_explain,), needs=("explanation",), style="outline-primary"),
    Transition("clear", gettext_lazy("Clear: not a double support"), (F.OPEN, F.EXPLAINED), F.CLEARED, APPRAISERS,
               effects=(_decided_by,), needs=("note",), style="success"),
    Transition("uphold", gettext_lazy("Uphold: double support, take the money back"), (F.OPEN, F.EXPLAINED),
               F.UPHELD, APPRAISERS, effects=(_decided_by,), needs=("note",), optional=("amount",), style="danger"),
    Transition("reopen", gettext_lazy("Reopen"), (F.CLEARED,), F.OPEN, APPRAISERS, style="outline-secondary"),
)


def _finding_wrong_state(obj, label) -> str:
    return _("“%(action)s” is not possible: the finding is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


finding_flow = Flow(FINDING_TRANSITIONS, wrong_state=_finding_wrong_state, permission=role_permission,
                    input_messages={"explanation": gettext_lazy("Write the centre's explanation."),
                                    "note": gettext_lazy("Write the reason for the decision.")})


def _record_decision(act) -> dict:
    return act.set(decided_on=act.on_date, decision_reference=act.input("reference"))


def _record_rule(act) -> dict:
    return act.set(rule_key=act.input("rule_key"))


def _proposal_permission(flow, obj, user, row) -> Decision:
    """A proposal of a province is moved by that province's officers; a national one by the ministry; adoption of a
    circular is the ministry's."""
    return role_permission(flow, obj, user, row)


PROPOSAL_TRANSITIONS = (
    Transition("submit", gettext_lazy("Submit"), (P.DRAFT,), P.SUBMITTED, AUTHORS, style="primary"),
    Transition("adopt", gettext_lazy("Record the adoption"), (P.SUBMITTED,), P.ADOPTED, DECIDERS,
               effects=(_record_decision, _record_rule), needs=("reference", "rule_key"), style="success"),
    Transition("reject", gettext_lazy("Record the rejection"), (P.SUBMITTED,), P.REJECTED, DECIDERS,
               effects=(_record_decision,), needs=("reference",), style="outline-danger"),
    Transition("redraft", gettext_lazy("Back to draft"), (P.SUBMITTED, P.REJECTED), P.DRAFT, AUTHORS,
               style="outline-secondary"),
)


def _proposal_wrong_state(obj, label) -> str:
    return _("“%(action)s” is not possible: the proposal is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


proposal_flow = Flow(PROPOSAL_TRANSITIONS, wrong_state=_proposal_wrong_state, permission=_proposal_permission,
                     input_messages={"reference": gettext_lazy("Give the number of the decision."),
                                     "rule_key": gettext_lazy("Name the rule row the adoption produced.")})

badges.register("finding", {F.OPEN: "text-bg-warning", F.EXPLAINED: "text-bg-info", F.CLEARED: "text-bg-success",
                            F.UPHELD: "text-bg-danger"})
badges.register("proposal", {P.DRAFT: "text-bg-light border", P.SUBMITTED: "text-bg-info",
                             P.ADOPTED: "text-bg-success", P.REJECTED: "text-bg-secondary"})
