"""The lifecycle of a periodic report: draft → submitted → approved → locked, as a transition table of the core
engine (core/flows.py).

Each row says the states an action starts from, the state it leads to, who may take it (the drafters, or the role
the report type names as approver or unlocker), what must be true first and which inputs it needs. The report page
asks `report_flow.options` which buttons to show and why the others are unavailable; `report_transition` in
services checks and applies a row: approval freezes the figures in a snapshot, returning or unlocking keeps that
snapshot in the history and the figures are live again. The badge tone of every state is registered here too.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Act, Flow, FlowContext, Transition
from khuyencong.core.permissions import ALLOW, Decision, deny

from .models import Report, ReportSnapshot, ReportStatus
from .permissions import DRAFTERS, approver_roles, unlock_roles
from .report_selectors import live_figures

badges.register("report", {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.APPROVED: "text-bg-success",
    ReportStatus.LOCKED: "text-bg-dark",
}, icons={ReportStatus.LOCKED: "bi-lock-fill"})


# --- guards: each answers whether the action is possible yet, and why not


def period_ended(ctx: FlowContext) -> Decision:
    report = ctx.obj
    if ctx.on_date <= report.period_end:
        return deny(_("The period ends on %(date)s: the report can be submitted from the next day.") % {
            "date": report.period_end.strftime("%d/%m/%Y")})
    return ALLOW


def has_results(ctx: FlowContext) -> Decision:
    if not ctx.obj.results.strip():
        return deny(_("Write the results section before submitting."))
    return ALLOW


# --- effects: the fields each action fills in (saved with the new state by `report_flow.commit`)


def record_submission(act: Act) -> None:
    act.set(submitted_at=timezone.now(), submitted_by_id=act.actor.pk, return_reason="")


def take_snapshot(act: Act) -> dict:
    """Approval freezes the figures the report shows. The snapshot is part of an official Vietnamese document: its
    labels are frozen in Vietnamese whatever the language of the person approving."""
    with translation.override(settings.LANGUAGE_CODE):
        figures = live_figures(user=act.actor, report=act.obj)
    snapshot = ReportSnapshot.objects.create(report=act.obj, taken_by=act.actor, data=figures)
    act.set(approved_at=timezone.now(), approved_by_id=act.actor.pk, snapshot_id=snapshot.pk)
    return {"snapshot": [None, snapshot.pk]}


def record_lock(act: Act) -> None:
    act.set(locked_at=timezone.now())


def release_snapshot(act: Act) -> dict:
    """Returning or unlocking keeps the snapshot in the history, with the reason, and makes the figures live again."""
    reason = act.input("reason")[:2000]
    if act.obj.snapshot_id:
        ReportSnapshot.objects.filter(pk=act.obj.snapshot_id).update(superseded_at=timezone.now(),
                                                                      superseded_reason=reason)
        act.set(snapshot_id=None)
    if act.transition.action == "return":
        act.set(return_reason=reason, approved_at=None, approved_by_id=None)
    else:
        act.set(locked_at=None)
    return {"reason": [None, act.input("reason")]}


# --- who may act


def _approver_label(report: Report) -> str:
    return Role(report.report_type.approver_role).label


def _unlocker_label(report: Report) -> str:
    return Role(report.report_type.unlock_role).label


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", pgettext_lazy("report action", "Submit"),
               (ReportStatus.DRAFT,), ReportStatus.SUBMITTED, DRAFTERS,
               guards=(period_ended, has_results), effects=(record_submission,),
               who=gettext_lazy("DoIT officers or centre staff of the province")),
    Transition("approve", pgettext_lazy("report action", "Approve"),
               (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, lambda report: approver_roles(report.report_type),
               effects=(take_snapshot,), style="success", who=_approver_label),
    Transition("lock", pgettext_lazy("report action", "Lock"),
               (ReportStatus.APPROVED,), ReportStatus.LOCKED, lambda report: approver_roles(report.report_type),
               effects=(record_lock,), style="dark", who=_approver_label),
    Transition("return", pgettext_lazy("report action", "Return for correction"),
               (ReportStatus.SUBMITTED, ReportStatus.APPROVED), ReportStatus.DRAFT,
               lambda report: approver_roles(report.report_type),
               effects=(release_snapshot,), needs=("reason",), style="outline-danger", who=_approver_label),
    Transition("unlock", pgettext_lazy("report action", "Unlock"),
               (ReportStatus.LOCKED,), ReportStatus.SUBMITTED, lambda report: unlock_roles(report.report_type),
               effects=(release_snapshot,), needs=("reason",), style="outline-danger", who=_unlocker_label),
)


def _wrong_state(report: Report, label: str) -> str:
    return _("Not possible while the report is %(status)s.") % {"status": report.get_status_display().lower()}


report_flow = Flow(TRANSITIONS, wrong_state=_wrong_state, permission=role_permission, explain_to_others=True)


def returned_reason(report: Report) -> str:
    """Why the report was returned for correction, while it waits as a draft to be corrected ("" otherwise)."""
    return report.return_reason if report.status == ReportStatus.DRAFT else ""
