"""Periods of the product: a month, a quarter, a half-year or a year, with the Vietnamese labels used in reports.

A period is written in URLs, the API, exports and stored rows as `2026` (year), `2026-H1` (the first six months),
`2026-Q3` (quarter III) or `2026-07` (month). `Period.parse` reads that form; `str(period)` and `period.key` write
it back; `period.label` names it for people ("Quý III/2026", "6 tháng đầu năm 2026").

A period is (kind, year, number): the month 1–12, the quarter 1–4, the half 1–2, or 1 for a year. A module that
knows only some kinds (collaborators' fees: months and quarters) passes `kinds=` to `parse`.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.errors import InvalidInput

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
FIRST_YEAR, LAST_YEAR = 1990, 2100
_FORMS = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{1,2})))?$")


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Six months")
    YEAR = "year", gettext_lazy("Year")


# How many of each kind a year holds.
_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
_MONTHS_LONG = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class Period:
    kind: str
    year: int
    number: int = 1

    def __post_init__(self):
        # Any TextChoices with the same values (a model's own PeriodKind) is accepted and stored as this module's.
        if self.kind not in PeriodKind.values:
            raise InvalidInput(_("Unknown kind of period “%(kind)s”.") % {"kind": self.kind}, field="period")
        object.__setattr__(self, "kind", PeriodKind(str(self.kind)))

    # --- making one ---

    @classmethod
    def calendar_year(cls, year: int) -> "Period":
        return cls.of(PeriodKind.YEAR, year, 1)

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        if half not in (1, 2):
            raise InvalidInput(_("A half-year is 1 or 2."), field="period")
        return cls.of(PeriodKind.HALF, year, half)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if quarter not in (1, 2, 3, 4):
            raise InvalidInput(_("A quarter is 1 to 4."), field="period")
        return cls.of(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        if not 1 <= month <= 12:
            raise InvalidInput(_("A month is 1 to 12."), field="period")
        return cls.of(PeriodKind.MONTH, year, month)

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> "Period":
        """The period of a stored row (kind, year, number), checked."""
        if kind not in PeriodKind.values or not 1 <= number <= _PER_YEAR[PeriodKind(str(kind))]:
            raise InvalidInput(_("Unknown period “%(text)s”: write 2026, 2026-H1, 2026-Q3 or 2026-07.")
                               % {"text": f"{year}-{kind}-{number}"}, field="period")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(_("The year %(year)s is out of range.") % {"year": year}, field="period")
        return cls(kind, year, number)

    @classmethod
    def parse(cls, text: str, *, kinds=None) -> "Period":
        """`2026`, `2026-H1`, `2026-Q3` or `2026-07`; anything else is an InvalidInput with a Vietnamese message.

        `kinds` limits the kinds accepted (e.g. months and quarters only)."""
        match = _FORMS.match((text or "").strip().upper())
        if not match:
            raise cls._unknown(text, kinds)
        year = int(match["year"])
        if match["half"]:
            kind, number = PeriodKind.HALF, int(match["half"][1])
        elif match["quarter"]:
            kind, number = PeriodKind.QUARTER, int(match["quarter"][1])
        elif match["month"]:
            kind, number = PeriodKind.MONTH, int(match["month"])
            if not 1 <= number <= 12:
                raise cls._unknown(text, kinds)
        else:
            kind, number = PeriodKind.YEAR, 1
        if kinds is not None and kind not in kinds:
            raise cls._unknown(text, kinds)
        return cls.of(kind, year, number)

    @staticmethod
    def _unknown(text, kinds) -> InvalidInput:
        if kinds is not None and set(kinds) == {PeriodKind.MONTH, PeriodKind.QUARTER}:
            return InvalidInput(_("Give the period as a month (2026-03) or a quarter (2026-Q1)."), field="period")
        return InvalidInput(_("Unknown period “%(text)s”: write 2026, 2026-H1, 2026-Q3 or 2026-07.")
                            % {"text": text}, field="period")

    @classmethod
    def containing(cls, day: datetime.date, kind: str = PeriodKind.MONTH) -> "Period":
        kind = PeriodKind(str(kind))
        return cls(kind, day.year, (day.month - 1) // _MONTHS_LONG[kind] + 1)

    # --- reading one ---

    @property
    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs the period covers."""
        length = _MONTHS_LONG[self.kind]
        first = (self.number - 1) * length + 1
        return [(self.year, m) for m in range(first, first + length)]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0][1], 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        return month_bounds(self.year, self.months[-1][1])[1]

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == PeriodKind.HALF:
            return f"{self.year}-H{self.number}"
        return str(self.year)

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """The Vietnamese way of naming the period in a report: "Quý III/2026", "6 tháng đầu năm 2026"…"""
        if self.kind == PeriodKind.MONTH:
            return _("Month %(month)s/%(year)s") % {"month": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[self.number], "year": self.year}
        if self.kind == PeriodKind.HALF:
            if self.number == 1:
                return _("First six months of %(year)s") % {"year": self.year}
            return _("Last six months of %(year)s") % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    def previous(self) -> "Period":
        return Period.containing(self.start - datetime.timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return Period.containing(self.end + datetime.timedelta(days=1), self.kind)

    def year_before(self) -> "Period":
        """The same period one year earlier: Q3/2026 → Q3/2025."""
        return Period.of(self.kind, self.year - 1, self.number)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __lt__(self, other: "Period") -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month."""
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
