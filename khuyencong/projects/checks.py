"""The questions a project asks the rules: the quote of a content, a beneficiary's eligibility, the next deadline,
the advance limits. Shared by the flow's guards and the services; nothing here writes."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import format_vnd
from khuyencong.registry.services import eligibility_of
from khuyencong.rules import engine
from khuyencong.rules.models import FundSource

from .models import Project, ProjectStatus


def jsonable(value):
    """Dates as ISO strings, decimals as strings, models as their str: what a JSON snapshot can hold."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if hasattr(value, "_meta"):
        return str(value)
    return value


def dmy(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


# --- quotes ---------------------------------------------------------------------------------------------------------


def quote_for(*, project: Project, content, eligible_cost: int, variant: str = "", on_date: datetime.date):
    """The most the project's fund may pay for this content on the date (rules.engine.support_quote)."""
    return engine.support_quote(
        content, project.plan.fund, project.province.code if project.plan.fund == FundSource.LOCAL else None,
        eligible_cost, on_date, variant=variant or None, priority=project.priority,
    )


def quote_limit_message(*, content_name: str, requested: int, quote) -> str:
    """Why a request above the quote is refused, naming the limit and its rule."""
    if quote.limited_by == engine.LIMITED_BY_CAP:
        limit = _("the cap of %(cap)s") % {"cap": format_vnd(quote.cap_vnd)}
    else:
        limit = _("%(percent)s %% of the eligible cost") % {"percent": jsonable(quote.percent)}
    return _(
        "The requested support for “%(content)s” (%(requested)s) is above the most the rule allows, %(support)s "
        "(%(limit)s, %(basis)s)."
    ) % {
        "content": content_name,
        "requested": format_vnd(requested),
        "support": format_vnd(quote.support_vnd),
        "limit": limit,
        "basis": quote.rule.basis,
    }


def requote_problems(project: Project, contents, on_date: datetime.date) -> list[str]:
    """Contents whose request exceeds the quote of the rules in force on the date (or has no rule then)."""
    problems = []
    for row in contents:
        try:
            quote = quote_for(project=project, content=row.content, eligible_cost=row.eligible_cost_vnd,
                              variant=row.variant, on_date=on_date)
        except InvalidInput as exc:
            problems.append(exc.message)
            continue
        if row.requested_support_vnd > quote.support_vnd:
            problems.append(quote_limit_message(content_name=row.content.name, requested=row.requested_support_vnd,
                                                quote=quote))
    return problems


# --- eligibility ----------------------------------------------------------------------------------------------------


def eligibility_snapshot(establishment, on_date: datetime.date) -> dict:
    """{eligible, needs_review, reasons, basis, checked_on} of an establishment on a date; no rule → eligible None."""
    try:
        result = eligibility_of(establishment, on_date)
    except InvalidInput as exc:
        return {"eligible": None, "needs_review": False, "reasons": [exc.message], "basis": [],
                "checked_on": on_date}
    return {"eligible": result.eligible and not result.needs_review, "needs_review": result.needs_review,
            "reasons": list(result.reasons), "basis": list(result.basis), "checked_on": on_date}


# --- deadlines ------------------------------------------------------------------------------------------------------

# The calendar rule (rules.DeadlineRule code) that bounds each step, when the step waits for one.
STEP_DEADLINES = {
    ProjectStatus.DRAFT: "register_doit",
    ProjectStatus.RETURNED: "register_doit",
    ProjectStatus.SUBMITTED: "register_ministry",
    ProjectStatus.BASE_APPRAISED: "register_ministry",
    ProjectStatus.ACCEPTED: "settlement_dossier",
    ProjectStatus.SETTLEMENT_SUBMITTED: "liquidation_settlement",
}
RUNNING = (ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Deadline:
    due: datetime.date | None
    label: str = ""
    basis: str = ""


def next_deadline(project: Project, status: str) -> Deadline:
    """The deadline of the step the project is in: a calendar rule of its plan year (fund, province), the planned
    end while it runs, or none. A step the rules give no date for has none: nothing is guessed."""
    if status in RUNNING:
        if project.end_date:
            return Deadline(project.end_date, _("Planned end of the project"), "")
        return Deadline(None)
    code = STEP_DEADLINES.get(status)
    if code is None:
        return Deadline(None)
    items = {item["code"]: item for item in engine.calendar(project.plan.year, project.plan.fund,
                                                              project.province.code)}
    item = items.get(code)
    if item is None:
        return Deadline(None)
    if item["due_date"] is not None:
        return Deadline(item["due_date"], item["label"], item["basis"])
    if item["kind"] == "after_event" and project.accepted_on:
        return Deadline(project.accepted_on + datetime.timedelta(days=item["days_after"]), item["label"],
                        item["basis"])
    return Deadline(None)


# --- advances -------------------------------------------------------------------------------------------------------


def advance_snapshot(content_codes, on_date: datetime.date) -> dict:
    """The advance rules of the project's contents on a date: {"contents": {code: {...}}, "treasury_cap": {...}}."""
    contents = {}
    cap = None
    for code in sorted(set(content_codes)):
        info = engine.advance_rule(code, on_date)
        first = info.first_advance_rule
        contents[code] = {
            "first_percent": jsonable(info.first_advance_percent),
            "basis": first.basis if first else "",
            "key": first.key if first else "",
            "condition": first.condition if first else "",
        }
        if info.treasury_cap_rule is not None:
            cap = {"percent": jsonable(info.treasury_cap_percent), "basis": info.treasury_cap_rule.basis,
                   "key": info.treasury_cap_rule.key, "mark": info.treasury_cap_rule.mark}
    return {"contents": contents, "treasury_cap": cap}


def percent_of(amount: int, percent_text: str) -> int:
    return engine.floor_percent(amount, Decimal(percent_text))


# --- monthly progress reports ---------------------------------------------------------------------------------------

REPORT_RULE = "monthly_progress_report"


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def next_month(value: datetime.date) -> datetime.date:
    return datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)


def report_rule(project: Project) -> dict | None:
    """The calendar rule of the monthly progress report for the project's plan (fund, province), or None when the
    rules ask for none (a local fund whose province configured no such rule)."""
    for item in engine.calendar(project.plan.year, project.plan.fund, project.province.code):
        if item["code"] == REPORT_RULE and item["day"]:
            return item
    return None


def report_deadline(rule: dict, period: datetime.date) -> datetime.date:
    """The day the report of a month is due: the rule's day of that month (the last day of a short month)."""
    last = calendar.monthrange(period.year, period.month)[1]
    return period.replace(day=min(rule["day"], last))


def first_report_period(rule: dict, on_date: datetime.date) -> datetime.date:
    """The first month a report is owed for, when the project starts (or resumes) on `on_date`: this month, or the
    next one when this month's deadline has already passed."""
    period = month_start(on_date)
    return period if on_date <= report_deadline(rule, period) else next_month(period)


def next_report_due(project: Project, reported: set[datetime.date]) -> Deadline:
    """The deadline of the earliest month, from `project.reports_from`, without a report."""
    rule = report_rule(project)
    if rule is None or project.reports_from is None:
        return Deadline(None)
    period = project.reports_from
    while period in reported:
        period = next_month(period)
    return Deadline(report_deadline(rule, period), rule["label"], rule["basis"])
