"""The lifecycle of a periodic report: draft → submitted → approved → locked.

One table says, for each action, the states it starts from, the state it leads to, who may take it (the drafters,
or the role the report type names as approver or unlocker), what must be true first and which inputs it needs.
The report page asks `available_actions` which buttons to show and why the others are unavailable; the services
apply one with `check` and then the action's effect (snapshot on approval, snapshot kept in history on unlock).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import roles_in
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.flows import ActionOption

from .models import Report, ReportStatus
from .permissions import DRAFTERS, approver_roles, unlock_roles

Guard = Callable[[Report, datetime.date], str | None]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    who: str  # "drafters", "approver" or "unlocker": resolved against the report type
    guards: tuple[Guard, ...] = ()
    inputs: tuple[str, ...] = ()  # required inputs: "reason"
    style: str = "primary"
    effect: str = ""  # "snapshot" (take the figures), "release" (keep the snapshot in history, figures live again)


# --- guards: each returns why the action is not possible yet, or None


def period_ended(report: Report, today: datetime.date) -> str | None:
    if today <= report.period_end:
        return _("The period ends on %(date)s: the report can be submitted from the next day.") % {
            "date": report.period_end.strftime("%d/%m/%Y")}
    return None


def has_results(report: Report, today: datetime.date) -> str | None:
    if not report.results.strip():
        return _("Write the results section before submitting.")
    return None


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", pgettext_lazy("report action", "Submit"),
               (ReportStatus.DRAFT,), ReportStatus.SUBMITTED, "drafters",
               (period_ended, has_results)),
    Transition("approve", pgettext_lazy("report action", "Approve"),
               (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, "approver",
               style="success", effect="snapshot"),
    Transition("lock", pgettext_lazy("report action", "Lock"),
               (ReportStatus.APPROVED,), ReportStatus.LOCKED, "approver",
               style="dark"),
    Transition("return", pgettext_lazy("report action", "Return for correction"),
               (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
               ReportStatus.DRAFT, "approver", inputs=("reason",), style="outline-danger", effect="release"),
    Transition("unlock", pgettext_lazy("report action", "Unlock"),
               (ReportStatus.LOCKED,), ReportStatus.SUBMITTED, "unlocker",
               inputs=("reason",), style="outline-danger", effect="release"),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}


def roles_for(transition: Transition, report: Report) -> tuple[str, ...]:
    if transition.who == "approver":
        return approver_roles(report.report_type)
    if transition.who == "unlocker":
        return unlock_roles(report.report_type)
    return DRAFTERS


def who_label(transition: Transition, report: Report) -> str:
    if transition.who == "drafters":
        return _("DoIT officers or centre staff of the province")
    role = report.report_type.approver_role if transition.who == "approver" else report.report_type.unlock_role
    return Role(role).label


def _reasons(transition: Transition, report: Report, user, today: datetime.date) -> list[str]:
    if report.status not in transition.sources:
        return [_("Not possible while the report is %(status)s.") % {
            "status": report.get_status_display().lower()}]
    reasons = []
    if not roles_in(user, report.province_id) & set(roles_for(transition, report)):
        reasons.append(_("Only %(who)s can do this.") % {"who": who_label(transition, report)})
    for guard in transition.guards:
        reason = guard(report, today)
        if reason:
            reasons.append(reason)
    return reasons


def available_actions(report: Report, user, today: datetime.date) -> list[ActionOption]:
    """The actions that start from the report's state, each allowed or with the reasons it is not (yet)."""
    return [ActionOption(t.action, str(t.label), not (reasons := _reasons(t, report, user, today)), reasons,
                         t.inputs, t.style)
            for t in TRANSITIONS if report.status in t.sources]


def check(report: Report, action: str, user, today: datetime.date, inputs: dict) -> Transition:
    """The transition to apply, or the refusal (PermissionDenied for the role, InvalidInput for the rest)."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise InvalidInput(_("Unknown action “%(action)s”.") % {"action": action}, field="action")
    if report.status not in transition.sources:
        raise InvalidInput(_("Not possible while the report is %(status)s.") % {
            "status": report.get_status_display().lower()}, code="wrong_state")
    if not roles_in(user, report.province_id) & set(roles_for(transition, report)):
        raise PermissionDenied(_("Only %(who)s can do this.") % {"who": who_label(transition, report)})
    for guard in transition.guards:
        reason = guard(report, today)
        if reason:
            raise InvalidInput(reason, code="guard")
    for name in transition.inputs:
        if not str(inputs.get(name) or "").strip():
            raise InvalidInput(_("Give the reason."), field=name)
    return transition
