"""The five lifecycles of the collaborator network, as transition tables of the core engine (core/flows.py):

- an application to join: waiting for review → admitted (the person is appointed) or refused;
- a collaborator: applicant → active (appointed by decision) ⇄ suspended → left the network, and a former
  collaborator may be appointed again for a new term;
- a task: to do → done (by the collaborator, or the centre for them) or cancelled;
- a field record: waiting for review → accepted or rejected; a support-needs registration, waiting or accepted,
  becomes a project proposal;
- a fee sheet: draft (computed again at will) → signed off by finance → paid, or returned to draft.

Services check and apply these rows; pages and the API ask `flow.options(obj, user)` for the buttons and the reasons.
The badge tone of every state is registered here too.
"""

import datetime
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import badges
from khuyencong.core.errors import InvalidInput
from khuyencong.core.flows import Act, Flow, FlowContext, Transition
from khuyencong.core.locks import Lock
from khuyencong.core.permissions import ALLOW, Decision, deny

from .models import (
    ApplicationStatus,
    Collaborator,
    CollaboratorStatus,
    CollaboratorStatusChange,
    Coverage,
    FeeSheetStatus,
    FieldKind,
    ProposalStatus,
    RecordStatus,
    TaskStatus,
)
from .permissions import FEE_SIGNERS, NETWORK_MANAGERS, acting, can_manage_network


def _permission(flow: Flow, obj, user, row: Transition) -> Decision:
    """A holder of one of the row's roles for the object's province, refused with the network's own wording."""
    return acting(user, flow.province_of(obj), row.roles_for(obj))


def _by_action(rows, messages: dict):
    """`wrong_state` of a Flow from one refusal per action (`messages[action](obj)`): the engine names the action by
    its label."""

    def wrong_state(obj, label: str) -> str:
        action = next(row.action for row in rows if str(row.label) == label)
        return messages[action](obj)

    return wrong_state


# --- applications to join ---------------------------------------------------------------------------------------------

APPLICATION_ROWS = (
    Transition("accept", gettext_lazy("Accept and appoint"), (ApplicationStatus.SUBMITTED,),
               ApplicationStatus.ACCEPTED, NETWORK_MANAGERS, style="success"),
    Transition("refuse", gettext_lazy("Refuse"), (ApplicationStatus.SUBMITTED,), ApplicationStatus.REFUSED,
               NETWORK_MANAGERS, needs=("reason",), style="outline-danger"),
)


def _already_decided(application) -> str:
    return _("This application was already decided (%(status)s).") % {"status": application.get_status_display()}


application_flow = Flow(
    APPLICATION_ROWS, permission=_permission,
    wrong_state=_by_action(APPLICATION_ROWS, {"accept": _already_decided, "refuse": _already_decided}),
    input_messages={"reason": gettext_lazy("Give the reason for the refusal.")},
)


# --- a collaborator's status ------------------------------------------------------------------------------------------


def _log_status(act: Act) -> dict:
    """Every change of status is kept in the collaborator's status history, from the day it takes effect."""
    CollaboratorStatusChange.objects.create(collaborator=act.obj, status=act.transition.target, on_date=act.on_date,
                                            reason=act.input("reason"), actor=act.actor)
    return {}


def _close_coverages(act: Act) -> dict:
    """Leaving the network closes every commune still covered; the rows stay in the coverage history."""
    closed = []
    for coverage in act.obj.coverages.filter(end_date__isnull=True).select_related("unit"):
        end = max(act.on_date, coverage.start_date)
        Coverage.objects.filter(pk=coverage.pk).update(end_date=end, end_reason=act.input("reason"))
        closed.append(coverage.unit.name)
    return {"communes_closed": [closed, None]} if closed else {}


COLLABORATOR_ROWS = (
    Transition("appoint", gettext_lazy("Appoint by decision"),
               (CollaboratorStatus.APPLICANT, CollaboratorStatus.ENDED), CollaboratorStatus.ACTIVE, NETWORK_MANAGERS,
               effects=(_log_status,)),
    Transition("suspend", gettext_lazy("Suspend the appointment"), (CollaboratorStatus.ACTIVE,),
               CollaboratorStatus.SUSPENDED, NETWORK_MANAGERS, effects=(_log_status,), needs=("reason",),
               optional=("on_date",), style="outline-danger"),
    Transition("reactivate", gettext_lazy("Re-activate"), (CollaboratorStatus.SUSPENDED,), CollaboratorStatus.ACTIVE,
               NETWORK_MANAGERS, effects=(_log_status,), optional=("reason", "on_date")),
    Transition("end", gettext_lazy("End the collaboration"),
               (CollaboratorStatus.APPLICANT, CollaboratorStatus.ACTIVE, CollaboratorStatus.SUSPENDED),
               CollaboratorStatus.ENDED, NETWORK_MANAGERS, effects=(_log_status, _close_coverages),
               needs=("reason",), optional=("on_date",), style="outline-danger"),
)
# The status a change of status leads to, by action (the form offers the new status).
STATUS_ACTIONS = {row.action: row.target for row in COLLABORATOR_ROWS if row.action != "appoint"}
ACTION_FOR_STATUS = {status: action for action, status in STATUS_ACTIONS.items()}


def cannot_become(collaborator: Collaborator, status: str) -> str:
    return _("A collaborator who is %(now)s cannot become %(next)s.") % {
        "now": collaborator.get_status_display().lower(),
        "next": CollaboratorStatus(status).label.lower() if status in CollaboratorStatus.values else status}


def _not_appointable(collaborator: Collaborator) -> str:
    return _("Only an applicant or a former collaborator can be appointed (now: %(status)s).") % {
        "status": collaborator.get_status_display()}


def _status_error(message: str, *, code: str | None = None) -> InvalidInput:
    return InvalidInput(message, code=code, field="status")


collaborator_flow = Flow(
    COLLABORATOR_ROWS, permission=_permission, state_error=_status_error,
    wrong_state=_by_action(COLLABORATOR_ROWS, {
        "appoint": _not_appointable,
        **{action: (lambda c, target=target: cannot_become(c, target)) for action, target in STATUS_ACTIONS.items()},
    }),
)


WORKING_STATES = (CollaboratorStatus.ACTIVE,)  # the states in which a collaborator is given work and communes


def collaborator_can(user, collaborator: Collaborator) -> dict[str, bool]:
    """What a page offers on a collaborator's record besides the changes of status: editing the person, and — only
    while the collaborator is active — giving a task or one more commune."""
    manage = bool(can_manage_network(user, collaborator.province_id))
    working = collaborator.status in WORKING_STATES
    return {"edit": manage, "end_coverage": manage, "give_task": manage and working, "add_commune": manage and working}


# --- tasks ------------------------------------------------------------------------------------------------------------


def _task_permission(flow: Flow, task, user, row: Transition) -> Decision:
    """The collaborator reports their own task done; the centre may do it for them, and alone cancels."""
    if row.action == "complete" and task.collaborator.user_id == getattr(user, "pk", None):
        return ALLOW
    return _permission(flow, task, user, row)


TASK_ROWS = (
    Transition("complete", gettext_lazy("Done"), (TaskStatus.OPEN,), TaskStatus.DONE, NETWORK_MANAGERS,
               optional=("note",), style="success"),
    Transition("cancel", gettext_lazy("Cancel"), (TaskStatus.OPEN,), TaskStatus.CANCELLED, NETWORK_MANAGERS,
               needs=("reason",), style="outline-danger"),
)


def _task_closed(task) -> str:
    return _("This task is no longer open (%(status)s).") % {"status": task.get_status_display()}


task_flow = Flow(TASK_ROWS, permission=_task_permission,
                 wrong_state=_by_action(TASK_ROWS, {"complete": _task_closed, "cancel": _task_closed}))


# --- field records ----------------------------------------------------------------------------------------------------


def _is_need(ctx: FlowContext) -> Decision:
    if ctx.obj.kind != FieldKind.NEED:
        return deny(_("Only a support-needs registration becomes a project proposal."))
    return ALLOW


RECORD_ROWS = (
    Transition("accept", gettext_lazy("Accept"), (RecordStatus.SUBMITTED,), RecordStatus.ACCEPTED, NETWORK_MANAGERS,
               optional=("note",), style="success"),
    Transition("reject", gettext_lazy("Reject"), (RecordStatus.SUBMITTED,), RecordStatus.REJECTED, NETWORK_MANAGERS,
               needs=("note",), style="outline-danger"),
    Transition("convert", gettext_lazy("Turn into a project proposal"),
               (RecordStatus.SUBMITTED, RecordStatus.ACCEPTED), RecordStatus.CONVERTED, NETWORK_MANAGERS,
               guards=(_is_need,), needs=("plan",), optional=("title",)),
)


def _already_reviewed(record) -> str:
    return _("This record was already reviewed (%(status)s).") % {"status": record.get_status_display()}


def _not_convertible(record) -> str:
    if record.kind != FieldKind.NEED:
        return _("Only a support-needs registration becomes a project proposal.")
    return _("This registration cannot be turned into a proposal (now: %(status)s).") % {
        "status": record.get_status_display()}


field_record_flow = Flow(
    RECORD_ROWS, permission=_permission,
    wrong_state=_by_action(RECORD_ROWS, {"accept": _already_reviewed, "reject": _already_reviewed,
                                         "convert": _not_convertible}),
    input_messages={"note": gettext_lazy("Say why the record is rejected: the collaborator will read it."),
                    "plan": gettext_lazy("Choose the annual plan the proposal goes into.")},
)


# --- establishments proposed from the field ---------------------------------------------------------------------------

PROPOSAL_ROWS = (
    Transition("accept", gettext_lazy("Add to the registry"), (ProposalStatus.PROPOSED,), ProposalStatus.ACCEPTED,
               NETWORK_MANAGERS, optional=("note",), style="success"),
    Transition("reject", gettext_lazy("Reject"), (ProposalStatus.PROPOSED,), ProposalStatus.REJECTED,
               NETWORK_MANAGERS, needs=("note",), style="outline-danger"),
)


def _proposal_decided(proposal) -> str:
    return _("This proposal was already decided (%(status)s).") % {"status": proposal.get_status_display()}


establishment_proposal_flow = Flow(
    PROPOSAL_ROWS, permission=_permission,
    wrong_state=_by_action(PROPOSAL_ROWS, {"accept": _proposal_decided, "reject": _proposal_decided}),
    input_messages={"note": gettext_lazy("Say why the proposal is rejected: the collaborator will read it.")},
)


# --- fee sheets -------------------------------------------------------------------------------------------------------


class FeeSheetContext(FlowContext):
    @cached_property
    def has_lines(self) -> bool:
        count = getattr(self.obj, "line_count", None)  # annotated by the fee sheet selectors
        return bool(count) if count is not None else self.obj.lines.exists()


def _has_lines(ctx: FeeSheetContext) -> Decision:
    return ALLOW if ctx.has_lines else deny(_("The sheet has no line to pay."))


def _fee_permission(flow: Flow, sheet, user, row: Transition) -> Decision:
    """Finance signs off, returns and pays; the centre computes. Whoever prepared a sheet does not sign it off."""
    decision = _permission(flow, sheet, user, row)
    if decision and row.action == "sign_off" and sheet.prepared_by_id == getattr(user, "pk", None):
        return deny(_("The person who prepared the sheet cannot sign it off."))
    return decision


FEE_ROWS = (
    Transition("recompute", gettext_lazy("Compute again"), (FeeSheetStatus.DRAFT,), FeeSheetStatus.DRAFT,
               NETWORK_MANAGERS, style="outline-primary"),
    Transition("sign_off", gettext_lazy("Sign off for payment"), (FeeSheetStatus.DRAFT,), FeeSheetStatus.SIGNED_OFF,
               FEE_SIGNERS, guards=(_has_lines,), style="success"),
    Transition("paid", gettext_lazy("Record the payment"), (FeeSheetStatus.SIGNED_OFF,), FeeSheetStatus.PAID,
               FEE_SIGNERS, needs=("reference",), optional=("paid_on",), style="success"),
    Transition("return", gettext_lazy("Return to draft"), (FeeSheetStatus.SIGNED_OFF,), FeeSheetStatus.DRAFT,
               FEE_SIGNERS, needs=("reason",), style="outline-danger"),
)

fee_sheet_flow = Flow(
    FEE_ROWS, permission=_fee_permission, context=FeeSheetContext,
    wrong_state=_by_action(FEE_ROWS, {
        "recompute": lambda sheet: _("This fee sheet is %(status)s: a finance officer must return it before it is "
                                     "computed again.") % {"status": sheet.get_status_display().lower()},
        "sign_off": lambda sheet: _("Only a draft can be signed off (now: %(status)s).") % {
            "status": sheet.get_status_display()},
        "paid": lambda sheet: _("A sheet is paid only after it is signed off (now: %(status)s).") % {
            "status": sheet.get_status_display()},
        "return": lambda sheet: _("Only a signed-off sheet that is not paid yet can be returned."),
    }),
    input_messages={"reference": gettext_lazy("Give the payment reference (voucher number).")},
)


def actions_of(flow: Flow, obj, user, *, on_date: datetime.date | None = None) -> dict:
    """The options of the object's state by action, for a template: `{% if actions.sign_off.allowed %}`."""
    return {option.action: option for option in flow.options(obj, user, on_date=on_date)}


# --- status badges ----------------------------------------------------------------------------------------------------

SUCCESS, WAITING, CLOSED, NEW = "text-bg-success", "text-bg-warning", "text-bg-secondary", "text-bg-info"
badges.register("network.application", {ApplicationStatus.SUBMITTED: WAITING, ApplicationStatus.ACCEPTED: SUCCESS,
                                        ApplicationStatus.REFUSED: CLOSED}, default=NEW)
badges.register("network.collaborator", {CollaboratorStatus.APPLICANT: NEW, CollaboratorStatus.ACTIVE: SUCCESS,
                                         CollaboratorStatus.SUSPENDED: WAITING, CollaboratorStatus.ENDED: CLOSED},
                default=NEW)
badges.register("network.task", {TaskStatus.OPEN: WAITING, TaskStatus.DONE: SUCCESS, TaskStatus.CANCELLED: CLOSED},
                default=NEW)
badges.register("network.record", {RecordStatus.SUBMITTED: WAITING, RecordStatus.ACCEPTED: SUCCESS,
                                   RecordStatus.REJECTED: CLOSED, RecordStatus.CONVERTED: SUCCESS}, default=NEW)
badges.register("network.proposal", {ProposalStatus.PROPOSED: WAITING, ProposalStatus.ACCEPTED: SUCCESS,
                                     ProposalStatus.REJECTED: CLOSED}, default=NEW)
badges.register("network.fee_sheet", {FeeSheetStatus.DRAFT: NEW, FeeSheetStatus.SIGNED_OFF: WAITING,
                                      FeeSheetStatus.PAID: SUCCESS}, default=NEW)


# --- locks: the states that promise no more changes (core/locks.py)

fee_sheet_lock = Lock(
    "network.fee_sheet_paid", states=(FeeSheetStatus.PAID,), test=lambda sheet: sheet.status == FeeSheetStatus.PAID,
    reason=lambda sheet: _("The fee sheet is paid: it can no longer be changed."))

# Fees signed off under a regulation were computed from its scheme: from then on only its end date may be set (to make
# room for the regulation that replaces it); any other change is a new regulation.
REGULATION_OPEN_FIELDS = {"effective_to"}
regulation_lock = Lock(
    "network.regulation_applied",
    test=lambda regulation: regulation.pk is not None
    and regulation.fee_sheets.exclude(status=FeeSheetStatus.DRAFT).exists(),
    reason=lambda regulation: _("Fees signed off under this regulation were computed from it: only its end date can "
                                "still be set. Issue a new regulation for any other change."))
