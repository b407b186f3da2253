"""The lifecycle of an event: planned → approved → held → reported → settled (or cancelled before it is held).

One table says, for each action, the states it starts from, the state it leads to, who may take it and what must be
true first. The event page asks `available_actions` which buttons to show and why the others are unavailable;
`event_transition` in services applies one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.flows import ActionOption

from .models import Event, EventStatus, ParticipantRole
from .permissions import acting_roles

Guard = Callable[[Event, dict], str | None]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[Guard, ...] = ()
    inputs: tuple[str, ...] = ()  # required inputs: "reference", "reason"
    style: str = "primary"


def facts(event: Event) -> dict:
    """What the guards look at, read in a few queries."""
    from .models import AttendanceSheet, MissionReport

    participants = list(event.participants.values_list("role", "result"))
    trainees = [r for role, r in participants if role == ParticipantRole.TRAINEE]
    return {
        "lines": event.budget_lines.count(),
        "lines_unspent": event.budget_lines.filter(spent_vnd__isnull=True).count(),
        "places": event.places.count(),
        "days": event.itinerary.count(),
        "participants": len(participants),
        "trainees": len(trainees),
        "trainees_without_result": sum(1 for r in trainees if not r),
        "report_signed": MissionReport.objects.filter(event=event, signed=True).exists(),
        "lessons": event.lessons.count(),
        "sheet_days": set(AttendanceSheet.objects.filter(event=event).values_list("day", flat=True)),
        "booths": event.booths.count(),
        "booths_certified": event.booths.filter(certified=True).count(),
    }


def _days(event: Event) -> list[datetime.date]:
    return [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]


# --- guards: each returns why the action is not possible yet, or None


def has_budget(event, f):
    if not f["lines"]:
        return _("Add the budget lines before asking for approval.")
    return None


def has_place(event, f):
    if event.is_study_tour and not (f["places"] or f["days"]):
        return _("Name the host provinces (places or itinerary) before asking for approval.")
    if not event.is_study_tour and not f["places"] and not event.venue:
        return _("Give the place or venue before asking for approval.")
    return None


def has_ended(event, f):
    if event.end_date > f["on_date"]:
        return _("The event ends on %(date)s: it can be marked as held from that day.") % {
            "date": event.end_date.strftime("%d/%m/%Y")}
    return None


def has_participants(event, f):
    if event.is_training and not f["trainees"]:
        return _("Add the trainees before marking the course as held.")
    if not f["participants"]:
        return _("Add the participants before marking the event as held.")
    return None


def report_ready(event, f):
    if event.is_study_tour:
        if not f["report_signed"]:
            return _("Sign the mission report first.")
        if not f["lessons"]:
            return _("Record at least one lesson learned from the tour: that is what the tour was for.")
    if event.is_training and f["trainees_without_result"]:
        return _("Record the result of every trainee (%(n)s without a result).") % {"n": f["trainees_without_result"]}
    if event.is_fair and not f["booths_certified"]:
        return _("Certify which exhibitors took part before reporting.")
    return None


def attendance_signed(event, f):
    missing = [d for d in _days(event) if d not in f["sheet_days"]]
    if missing:
        return _("Upload the signed attendance list of every day (missing: %(days)s).") % {
            "days": ", ".join(d.strftime("%d/%m/%Y") for d in missing[:5]) + ("…" if len(missing) > 5 else "")}
    return None


def spending_recorded(event, f):
    if f["lines_unspent"]:
        return _("Record what was spent on every budget line (%(n)s missing).") % {"n": f["lines_unspent"]}
    return None


EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.MINISTRY_OFFICER)
APPROVERS = (Role.SYSTEM_ADMIN, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
SETTLERS = (Role.SYSTEM_ADMIN, Role.FINANCE_OFFICER)

TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", gettext_lazy("Approve"), (EventStatus.PLANNED,), EventStatus.APPROVED, APPROVERS,
               (has_budget, has_place), ("reference",)),
    Transition("hold", gettext_lazy("Mark as held"), (EventStatus.APPROVED,), EventStatus.DONE, EDITORS,
               (has_ended, has_participants)),
    Transition("report", gettext_lazy("Mark as reported"), (EventStatus.DONE,), EventStatus.REPORTED, EDITORS,
               (report_ready,)),
    Transition("settle", gettext_lazy("Settle"), (EventStatus.REPORTED,), EventStatus.SETTLED, SETTLERS,
               (attendance_signed, spending_recorded), ("reference",), "success"),
    Transition("cancel", gettext_lazy("Cancel"), (EventStatus.PLANNED, EventStatus.APPROVED), EventStatus.CANCELLED,
               EDITORS + APPROVERS, (), ("reason",), "outline-danger"),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}

ROLE_NAMES = {
    EDITORS: gettext_lazy("centre staff or a DoIT officer of the organising province"),
    APPROVERS: gettext_lazy("a DoIT manager of the organising province"),
    SETTLERS: gettext_lazy("the finance officer of the organising province"),
    EDITORS + APPROVERS: gettext_lazy("centre staff or DoIT staff of the organising province"),
}


def _check(transition: Transition, event: Event, user, f: dict) -> list[str]:
    reasons = []
    if event.status not in transition.sources:
        reasons.append(_("Not possible while the event is %(status)s.") % {"status": event.get_status_display()})
        return reasons
    if not acting_roles(user, event.province_id) & set(transition.roles):
        reasons.append(_("Only %(who)s can do this.") % {"who": ROLE_NAMES[transition.roles]})
    for guard in transition.guards:
        reason = guard(event, f)
        if reason:
            reasons.append(reason)
    return reasons


def available_actions(event: Event, user, on_date: datetime.date) -> list[ActionOption]:
    """The actions that start from the event's state, each allowed or with the reasons it is not (yet)."""
    candidates = [t for t in TRANSITIONS if event.status in t.sources]
    if not candidates:
        return []
    f = {**facts(event), "on_date": on_date}
    return [ActionOption(t.action, str(t.label), not (reasons := _check(t, event, user, f)), reasons, t.inputs,
                         t.style) for t in candidates]


def check(event: Event, action: str, user, on_date: datetime.date, inputs: dict) -> Transition:
    """The transition to apply, or the refusal (PermissionDenied for the role, InvalidInput for the rest)."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise InvalidInput(_("Unknown action “%(action)s”.") % {"action": action}, field="action")
    if event.status not in transition.sources:
        raise InvalidInput(_("Not possible while the event is %(status)s.") % {"status": event.get_status_display()},
                           code="wrong_state")
    if not acting_roles(user, event.province_id) & set(transition.roles):
        raise PermissionDenied(_("Only %(who)s can do this.") % {"who": ROLE_NAMES[transition.roles]})
    f = {**facts(event), "on_date": on_date}
    for guard in transition.guards:
        reason = guard(event, f)
        if reason:
            raise InvalidInput(reason, code="guard")
    for name in transition.inputs:
        if not str(inputs.get(name) or "").strip():
            raise InvalidInput({"reference": _("Give the number of the decision or voucher."),
                                "reason": _("Give the reason.")}[name], field=name)
    return transition

