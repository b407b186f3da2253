"""The legal figures of the awards, read from the rules module (rows in data/parameters.json), and the dates they
give: the certificate's validity and the complaint deadlines (working days)."""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from khuyencong.rules import engine

CRITERIA_FILE = Path(__file__).parent / "data" / "criteria.json"


def default_criteria() -> list[dict]:
    return json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))["criteria"]


def pass_score(on_date: datetime.date) -> engine.ParameterValue:
    return engine.parameter("awards-pass-score", on_date)


def council_size(level: str, on_date: datetime.date) -> tuple[engine.ParameterValue, engine.ParameterValue]:
    return (engine.parameter(f"awards-council-min-{level}", on_date),
            engine.parameter(f"awards-council-max-{level}", on_date))


def jury_min(on_date: datetime.date) -> engine.ParameterValue:
    return engine.parameter("awards-jury-min", on_date)


def valid_until(issued_on: datetime.date) -> datetime.date:
    """31 December of the issue year + N (Art 17.3; N a parameter row)."""
    years = engine.parameter("awards-validity-years", issued_on).as_int
    return datetime.date(issued_on.year + years, 12, 31)


def complaint_deadline(announced_on: datetime.date) -> datetime.date:
    """The last day to complain: N working days after the announcement (Art 20)."""
    days = engine.parameter("awards-complaint-days", announced_on).as_int
    return engine.add_working_days(announced_on, days)


def answer_deadline(received_on: datetime.date) -> datetime.date:
    days = engine.parameter("awards-complaint-answer-days", received_on).as_int
    return engine.add_working_days(received_on, days)


def mean(totals: list[int]) -> Decimal | None:
    if not totals:
        return None
    return (Decimal(sum(totals)) / Decimal(len(totals))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
