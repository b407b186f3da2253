"""Activity, score and fees of collaborators over a period, from the regulation's criteria and fee scheme.

Everything a collaborator is paid or scored on is counted here once, so the performance page, the fee sheet and the
collaborator's own page agree:

* surveys: establishment surveys accepted by the centre, dated in the period;
* registrations: needs registrations dated in the period and not rejected;
* conversions: registrations turned into a project proposal during the period;
* reports: communication sessions and follow-up visits accepted, dated in the period;
* tasks: tasks due in the period (cancelled ones aside), and those done by their due date;
* months active: months of the period in which the collaborator was active, within their term, on at least one
  day (the base fee is paid for such a month in full).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from khuyencong.core.periods import Period, month_bounds

from .models import (
    Collaborator,
    CollaboratorStatus,
    CollaboratorStatusChange,
    CollaboratorTask,
    FieldKind,
    FieldRecord,
    Metric,
    RecordStatus,
    Regulation,
    TaskStatus,
)

REPORT_KINDS = (FieldKind.COMMUNICATION, FieldKind.FOLLOWUP)


@dataclass
class Activity:
    surveys: int = 0
    registrations: int = 0
    conversions: int = 0
    reports: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0
    months_active: int = 0

    def value(self, metric: str) -> int:
        return {Metric.SURVEYS: self.surveys, Metric.REGISTRATIONS: self.registrations,
                Metric.CONVERSIONS: self.conversions, Metric.REPORTS: self.reports,
                Metric.TASKS_ON_TIME: self.tasks_on_time}[metric]

    @property
    def anything(self) -> bool:
        return bool(self.months_active or self.surveys or self.registrations or self.conversions or self.reports
                    or self.tasks_due)


@dataclass
class Fees:
    base_vnd: int = 0
    survey_vnd: int = 0
    conversion_vnd: int = 0
    report_vnd: int = 0
    cap_reduction_vnd: int = 0
    total_vnd: int = 0
    parts: dict = field(default_factory=dict)


def active_intervals(changes: list[CollaboratorStatusChange],
                     term_end: datetime.date | None = None) -> list[tuple[datetime.date, datetime.date | None]]:
    """[start, end) spans during which the status was active, from the dated status changes (in date order),
    cut at the end of the current term. An "applicant" row never ends a span: it records when the person entered
    the system, which can be after an appointment typed in afterwards (an existing network being digitised)."""
    spans = []
    start = None
    for change in changes:
        if change.status == CollaboratorStatus.ACTIVE and start is None:
            start = change.on_date
        elif change.status in (CollaboratorStatus.SUSPENDED, CollaboratorStatus.ENDED) and start is not None:
            if change.on_date > start:
                spans.append((start, change.on_date))
            start = None
    if start is not None:
        spans.append((start, None))
    if term_end is not None:
        limit = term_end + datetime.timedelta(days=1)
        spans = [(s, limit if e is None or e > limit else e) for s, e in spans if s < limit]
    return spans


def months_active(spans, period: Period) -> int:
    count = 0
    for year, month in period.months:
        first, last = month_bounds(year, month)
        if any(start <= last and (end is None or end > first) for start, end in spans):
            count += 1
    return count


def activity_for(collaborator_ids, period: Period) -> dict[int, Activity]:
    """Activity of each collaborator in the period, in three queries whatever their number."""
    ids = list(collaborator_ids)
    result = {pk: Activity() for pk in ids}
    if not ids:
        return result
    start, end = period.start, period.end
    in_period = Q(occurred_on__gte=start, occurred_on__lte=end)
    rows = (
        FieldRecord.objects.filter(collaborator_id__in=ids)
        .filter(in_period | Q(converted_at__date__gte=start, converted_at__date__lte=end))
        .values("collaborator_id")
        .annotate(
            surveys=Count("pk", filter=in_period & Q(kind=FieldKind.SURVEY, status=RecordStatus.ACCEPTED)),
            registrations=Count("pk", filter=in_period & Q(kind=FieldKind.NEED) & ~Q(status=RecordStatus.REJECTED)),
            conversions=Count("pk", filter=Q(kind=FieldKind.NEED, status=RecordStatus.CONVERTED,
                                             converted_at__date__gte=start, converted_at__date__lte=end)),
            reports=Count("pk", filter=in_period & Q(kind__in=REPORT_KINDS, status=RecordStatus.ACCEPTED)),
        )
        .order_by()
    )
    for row in rows:
        activity = result[row["collaborator_id"]]
        activity.surveys, activity.registrations = row["surveys"], row["registrations"]
        activity.conversions, activity.reports = row["conversions"], row["reports"]
    tasks = (
        CollaboratorTask.objects.filter(collaborator_id__in=ids, due_date__gte=start, due_date__lte=end)
        .exclude(status=TaskStatus.CANCELLED)
        .values("collaborator_id")
        .annotate(due=Count("pk"),
                  on_time=Count("pk", filter=Q(status=TaskStatus.DONE, done_on__lte=F("due_date"))))
        .order_by()
    )
    for row in tasks:
        result[row["collaborator_id"]].tasks_due = row["due"]
        result[row["collaborator_id"]].tasks_on_time = row["on_time"]
    changes: dict[int, list] = {pk: [] for pk in ids}
    for change in CollaboratorStatusChange.objects.filter(collaborator_id__in=ids, on_date__lte=end).order_by(
            "collaborator_id", "on_date", "id"):
        changes[change.collaborator_id].append(change)
    terms = dict(Collaborator.objects.filter(pk__in=ids).values_list("pk", "term_end"))
    for pk, rows_ in changes.items():
        result[pk].months_active = months_active(active_intervals(rows_, terms.get(pk)), period)
    return result


def score(criteria, activity: Activity) -> Decimal | None:
    """Σ weight × achievement, achievement capped at 1: a count against monthly target × months active, tasks on time
    as the share of due tasks. No task due counts as fully achieved (nothing was missed). A collaborator with no
    active month is not scored."""
    if activity.months_active == 0:
        return None
    total = Decimal(0)
    for criterion in criteria:
        if criterion.metric == Metric.TASKS_ON_TIME:
            ratio = (Decimal(activity.tasks_on_time) / activity.tasks_due) if activity.tasks_due else Decimal(1)
        else:
            target = (criterion.monthly_target or 0) * activity.months_active
            ratio = Decimal(1) if target == 0 else min(Decimal(1), Decimal(activity.value(criterion.metric)) / target)
        total += criterion.weight * ratio
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def scheme_of(regulation: Regulation) -> dict:
    """The fee amounts as a sheet keeps them (what was applied stays readable if the regulation changes later)."""
    return {
        "regulation": regulation.number,
        "monthly_base_vnd": regulation.monthly_base_vnd,
        "per_survey_vnd": regulation.per_survey_vnd,
        "per_conversion_vnd": regulation.per_conversion_vnd,
        "per_report_vnd": regulation.per_report_vnd,
        "monthly_cap_vnd": regulation.monthly_cap_vnd,
    }


def fees(scheme: dict, activity: Activity) -> Fees:
    result = Fees(
        base_vnd=scheme["monthly_base_vnd"] * activity.months_active,
        survey_vnd=scheme["per_survey_vnd"] * activity.surveys,
        conversion_vnd=scheme["per_conversion_vnd"] * activity.conversions,
        report_vnd=scheme["per_report_vnd"] * activity.reports,
    )
    subtotal = result.base_vnd + result.survey_vnd + result.conversion_vnd + result.report_vnd
    cap = scheme.get("monthly_cap_vnd")
    if cap is not None:
        result.cap_reduction_vnd = max(0, subtotal - cap * activity.months_active)
    result.total_vnd = subtotal - result.cap_reduction_vnd
    return result
