"""What periodic reports put in a user's work inbox (`web.inbox`), read from the report lifecycle table: drafts to
submit once their period has ended (the `period_ended` guard, read in the query), with their due date; submitted
reports to approve and approved ones to lock, for the role the report type names as approver, in the provinces
where the user holds it.

For a user who watches: the drafts past their due date in the user's provinces.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, actionable_q, allowed_labels
from khuyencong.core.periods import Period

from .flows import report_flow
from .models import Report, ReportStatus, ReportType
from .report_selectors import Timeliness, report_timeliness

STEP_ACTIONS = frozenset({"submit", "approve", "lock"})
WATCH_DAYS = 7


def _reports(user):
    scope = user_scope(user)
    qs = Report.objects.select_related("report_type", "province")
    return qs if scope.national else qs.filter(province_id__in=scope.province_ids)


def _item(report: Report, step: str, today: datetime.date) -> InboxItem:
    draft = report.status == ReportStatus.DRAFT
    since = report.period_end + datetime.timedelta(days=1) if draft else (
        report.submitted_at or report.updated_at).date()
    return InboxItem(title=f"{report.report_type.short_name} — {Period.parse(report.period).label}",
                     code=report.number, where=report.province.short_name,
                     url=reverse("report_detail", args=[report.pk]), step=step, since=since,
                     due=report.due_date if draft else None,
                     late=report_timeliness(report, today) == Timeliness.OVERDUE)


def step_condition(user, today: datetime.date) -> Q:
    """The reports whose state offers the user a step: the approver is named by each report type."""
    def provinces_for(roles):
        return acting_province_ids(user, roles)

    condition = actionable_q(report_flow, provinces_for, {"submit"}, extra={"submit": Q(period_end__lt=today)})
    for report_type in ReportType.objects.order_by("pk"):  # a handful of types, one query
        for row in report_flow.transitions:
            if row.action not in {"approve", "lock"}:
                continue
            provinces = acting_province_ids(user, row.roles_for(Report(report_type=report_type)))
            if provinces is not None and not provinces:
                continue
            step = Q(status__in=row.sources, report_type=report_type)
            condition |= step if provinces is None else step & Q(province_id__in=provinces)
    return condition


def step_group(user, today: datetime.date) -> InboxGroup:
    qs = _reports(user).filter(step_condition(user, today))
    group = InboxGroup("report_step", _("Periodic reports waiting for your step"), total=qs.count(),
                       url=reverse("report_list"))
    for report in qs.order_by("due_date", "province__code", "pk")[:GROUP_LIMIT]:
        labels = allowed_labels(report_flow, report, user, STEP_ACTIONS)
        if labels:
            group.items.append(_item(report, " / ".join(labels), today))
    return group


def watch_group(user, today: datetime.date) -> InboxGroup:
    qs = _reports(user).filter(status=ReportStatus.DRAFT,
                               due_date__lte=today + datetime.timedelta(days=WATCH_DAYS))
    group = InboxGroup("report_watch", _("Periodic reports due or overdue"), total=qs.count(),
                       url=reverse("report_list"), watch=True)
    for report in qs.order_by("due_date", "province__code", "pk")[:GROUP_LIMIT]:
        group.items.append(_item(report, report.get_status_display(), today))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    return [watch_group(user, today)] if watch else [step_group(user, today)]
