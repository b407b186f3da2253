"""The lifecycle of an event: planned → approved → held → reported → settled (or cancelled before it is held).

One table of `core.flows` says, for each action, the states it starts from, the state it leads to, who may take it
and what must be true first. The event page asks `event_flow.options` which buttons to show and why the others are
unavailable; `event_transition` in services applies one.
"""

import datetime
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Act, Flow, FlowContext, Transition
from khuyencong.core.locks import Lock
from khuyencong.core.permissions import ALLOW, Decision, deny

from .models import AttendanceSheet, EventStatus, FollowUpStatus, MissionReport, ParticipantRole


class EventContext(FlowContext):
    """What the guards of one event read, each fact once for all the guards of a page."""

    @cached_property
    def lines(self) -> int:
        return self.obj.budget_lines.count()

    @cached_property
    def lines_unspent(self) -> int:
        return self.obj.budget_lines.filter(spent_vnd__isnull=True).count()

    @cached_property
    def places(self) -> int:
        return self.obj.places.count()

    @cached_property
    def days(self) -> int:
        return self.obj.itinerary.count()

    @cached_property
    def _participants(self) -> list[tuple[str, str]]:
        return list(self.obj.participants.values_list("role", "result"))

    @cached_property
    def participants(self) -> int:
        return len(self._participants)

    @cached_property
    def trainees(self) -> int:
        return sum(1 for role, _result in self._participants if role == ParticipantRole.TRAINEE)

    @cached_property
    def trainees_without_result(self) -> int:
        return sum(1 for role, result in self._participants if role == ParticipantRole.TRAINEE and not result)

    @cached_property
    def report_signed(self) -> bool:
        return MissionReport.objects.filter(event=self.obj, signed=True).exists()

    @cached_property
    def lessons(self) -> int:
        return self.obj.lessons.count()

    @cached_property
    def sheet_days(self) -> set[datetime.date]:
        return set(AttendanceSheet.objects.filter(event=self.obj).values_list("day", flat=True))

    @cached_property
    def booths(self) -> int:
        return self.obj.booths.count()

    @cached_property
    def booths_certified(self) -> int:
        return self.obj.booths.filter(certified=True).count()


def _days(event) -> list[datetime.date]:
    return [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]


# --- guards: each allows the action or says why it is not possible yet


def has_budget(ctx: EventContext) -> Decision:
    if not ctx.lines:
        return deny(_("Add the budget lines before asking for approval."))
    return ALLOW


def has_place(ctx: EventContext) -> Decision:
    event = ctx.obj
    if event.is_study_tour and not (ctx.places or ctx.days):
        return deny(_("Name the host provinces (places or itinerary) before asking for approval."))
    if not event.is_study_tour and not ctx.places and not event.venue:
        return deny(_("Give the place or venue before asking for approval."))
    return ALLOW


def has_ended(ctx: EventContext) -> Decision:
    if ctx.obj.end_date > ctx.on_date:
        return deny(_("The event ends on %(date)s: it can be marked as held from that day.") % {
            "date": ctx.obj.end_date.strftime("%d/%m/%Y")})
    return ALLOW


def has_participants(ctx: EventContext) -> Decision:
    if ctx.obj.is_training and not ctx.trainees:
        return deny(_("Add the trainees before marking the course as held."))
    if not ctx.participants:
        return deny(_("Add the participants before marking the event as held."))
    return ALLOW


def report_ready(ctx: EventContext) -> Decision:
    event = ctx.obj
    if event.is_study_tour:
        if not ctx.report_signed:
            return deny(_("Sign the mission report first."))
        if not ctx.lessons:
            return deny(_("Record at least one lesson learned from the tour: that is what the tour was for."))
    if event.is_training and ctx.trainees_without_result:
        return deny(_("Record the result of every trainee (%(n)s without a result).") % {
            "n": ctx.trainees_without_result})
    if event.is_fair and not ctx.booths_certified:
        return deny(_("Certify which exhibitors took part before reporting."))
    return ALLOW


def attendance_signed(ctx: EventContext) -> Decision:
    missing = [d for d in _days(ctx.obj) if d not in ctx.sheet_days]
    if missing:
        return deny(_("Upload the signed attendance list of every day (missing: %(days)s).") % {
            "days": ", ".join(d.strftime("%d/%m/%Y") for d in missing[:5]) + ("…" if len(missing) > 5 else "")})
    return ALLOW


def spending_recorded(ctx: EventContext) -> Decision:
    if ctx.lines_unspent:
        return deny(_("Record what was spent on every budget line (%(n)s missing).") % {"n": ctx.lines_unspent})
    return ALLOW


# --- effects: the fields each action fills in, returned as changes for the audit trail


def record_approval(act: Act) -> dict:
    return act.set(approval_reference=act.input("reference")[:120], approved_on=act.on_date)


def record_settlement(act: Act) -> dict:
    return act.set(settlement_reference=act.input("reference")[:120], settled_on=act.on_date)


def record_cancellation(act: Act) -> dict:
    return act.set(status_note=act.input("reason")[:300])


EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.MINISTRY_OFFICER)
APPROVERS = (Role.SYSTEM_ADMIN, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
SETTLERS = (Role.SYSTEM_ADMIN, Role.FINANCE_OFFICER)

ROLE_NAMES = {
    EDITORS: gettext_lazy("centre staff or a DoIT officer of the organising province"),
    APPROVERS: gettext_lazy("a DoIT manager of the organising province"),
    SETTLERS: gettext_lazy("the finance officer of the organising province"),
    EDITORS + APPROVERS: gettext_lazy("centre staff or DoIT staff of the organising province"),
}

TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", gettext_lazy("Approve"), (EventStatus.PLANNED,), EventStatus.APPROVED, APPROVERS,
               guards=(has_budget, has_place), effects=(record_approval,), needs=("reference",),
               who=ROLE_NAMES[APPROVERS]),
    Transition("hold", gettext_lazy("Mark as held"), (EventStatus.APPROVED,), EventStatus.DONE, EDITORS,
               guards=(has_ended, has_participants), who=ROLE_NAMES[EDITORS]),
    # Reporting closes the record (`event_lock`): the signed lists and what was spent are recorded before it.
    Transition("report", gettext_lazy("Mark as reported"), (EventStatus.DONE,), EventStatus.REPORTED, EDITORS,
               guards=(report_ready, attendance_signed, spending_recorded), who=ROLE_NAMES[EDITORS]),
    Transition("settle", gettext_lazy("Settle"), (EventStatus.REPORTED,), EventStatus.SETTLED, SETTLERS,
               guards=(attendance_signed, spending_recorded), effects=(record_settlement,), needs=("reference",),
               style="success", who=ROLE_NAMES[SETTLERS]),
    Transition("cancel", gettext_lazy("Cancel"), (EventStatus.PLANNED, EventStatus.APPROVED), EventStatus.CANCELLED,
               EDITORS + APPROVERS, effects=(record_cancellation,), needs=("reason",), style="outline-danger",
               who=ROLE_NAMES[EDITORS + APPROVERS]),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}


def _wrong_state(event, _label: str) -> str:
    return _("Not possible while the event is %(status)s.") % {"status": event.get_status_display()}


event_flow = Flow(
    TRANSITIONS,
    wrong_state=_wrong_state,
    permission=role_permission,
    context=EventContext,
    input_messages={"reference": gettext_lazy("Give the number of the decision or voucher."),
                    "reason": gettext_lazy("Give the reason.")},
    explain_to_others=True,
)


# --- locks: the states that promise no more changes (core/locks.py); every write of the event refuses with them

CLOSED = (EventStatus.REPORTED, EventStatus.SETTLED, EventStatus.CANCELLED)

event_lock = Lock(
    "event.closed", states=CLOSED, test=lambda event: event.status in CLOSED,
    reason=lambda event: _("The event is %(status)s: it can no longer be changed.") % {
        "status": event.get_status_display().lower()})
budget_lock = Lock(
    "event.budget_approved", states=(EventStatus.APPROVED, EventStatus.DONE, *CLOSED),
    test=lambda event: event.status != EventStatus.PLANNED,
    reason=lambda event: _("The budget was approved: it can no longer be changed (record what was spent instead)."))
mission_report_lock = Lock(
    "event.mission_report_signed", test=lambda report: report.signed,
    reason=lambda report: _("The mission report is signed: its text can no longer be changed."))


def target_label(action: str) -> str:
    """The name of the state an action leads to ("" for an unknown action)."""
    row = BY_ACTION.get(action)
    return str(EventStatus(row.target).label) if row else ""


# --- status badges

badges.register("event", {EventStatus.PLANNED: "text-bg-light border", EventStatus.APPROVED: "text-bg-info",
                          EventStatus.SETTLED: "text-bg-success", EventStatus.CANCELLED: "text-bg-secondary"},
                default="text-bg-primary")
badges.register("followup", {FollowUpStatus.ADOPTED: "text-bg-success", FollowUpStatus.DROPPED: "text-bg-secondary"},
                default="text-bg-warning")
