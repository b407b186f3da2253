"""Reporting periods: a month, a quarter, a half-year or a year, with the Vietnamese labels used in reports.

A period is written in URLs, the API and exports as `2026` (year), `2026-H1` (the first six months), `2026-Q3`
(quarter III) or `2026-07` (month). `Period.parse` reads that form; `str(period)` writes it back.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.errors import InvalidInput

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FORMS = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{2})))?$")


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Six months")
    YEAR = "year", gettext_lazy("Year")


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        if half not in (1, 2):
            raise InvalidInput(_("A half-year is 1 or 2."), field="period")
        start_month = 1 if half == 1 else 7
        return cls(datetime.date(year, start_month, 1), _month_end(year, start_month + 5), PeriodKind.HALF)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if quarter not in (1, 2, 3, 4):
            raise InvalidInput(_("A quarter is 1 to 4."), field="period")
        start_month = 3 * quarter - 2
        return cls(datetime.date(year, start_month, 1), _month_end(year, start_month + 2), PeriodKind.QUARTER)

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        if not 1 <= month <= 12:
            raise InvalidInput(_("A month is 1 to 12."), field="period")
        return cls(datetime.date(year, month, 1), _month_end(year, month), PeriodKind.MONTH)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """`2026`, `2026-H1`, `2026-Q3` or `2026-07`; anything else is an InvalidInput with a Vietnamese message."""
        match = _FORMS.match((text or "").strip().upper())
        if not match:
            raise InvalidInput(
                _("Unknown period “%(text)s”: write 2026, 2026-H1, 2026-Q3 or 2026-07.") % {"text": text},
                field="period")
        year = int(match["year"])
        if not 1990 <= year <= 2100:
            raise InvalidInput(_("The year %(year)s is out of range.") % {"year": year}, field="period")
        if match["half"]:
            return cls.half(year, int(match["half"][1]))
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"][1]))
        if match["month"]:
            return cls.month(year, int(match["month"]))
        return cls.year(year)

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> "Period":
        if kind == PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        if kind == PeriodKind.QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == PeriodKind.HALF:
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        return cls.year(day.year)

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """The Vietnamese way of naming the period in a report: "Quý III/2026", "6 tháng đầu năm 2026"…"""
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("Month %(month)s/%(year)s") % {"month": self.start.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[(self.start.month - 1) // 3 + 1], "year": year}
        if self.kind == PeriodKind.HALF:
            if self.start.month == 1:
                return _("First six months of %(year)s") % {"year": year}
            return _("Last six months of %(year)s") % {"year": year}
        return _("Year %(year)s") % {"year": year}

    def previous(self) -> "Period":
        return Period.containing(self.start - datetime.timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return Period.containing(self.end + datetime.timedelta(days=1), self.kind)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
