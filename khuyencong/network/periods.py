"""Evaluation and fee periods: a month ("2026-03") or a quarter ("2026-Q1")."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput

from .models import PeriodKind

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = (text or "").strip()
        if match := _QUARTER.fullmatch(text):
            return cls(PeriodKind.QUARTER, int(match.group(1)), int(match.group(2)))
        if (match := _MONTH.fullmatch(text)) and 1 <= int(match.group(2)) <= 12:
            return cls(PeriodKind.MONTH, int(match.group(1)), int(match.group(2)))
        raise InvalidInput(_("Give the period as a month (2026-03) or a quarter (2026-Q1)."), field="period")

    @classmethod
    def of(cls, kind: str, year: int, number: int) -> "Period":
        limit = 12 if kind == PeriodKind.MONTH else 4
        if kind not in PeriodKind.values or not 1 <= number <= limit or not 2000 <= year <= 2100:
            raise InvalidInput(_("Give the period as a month (2026-03) or a quarter (2026-Q1)."), field="period")
        return cls(kind, year, number)

    @classmethod
    def containing(cls, day: datetime.date, kind: str = PeriodKind.MONTH) -> "Period":
        if kind == PeriodKind.QUARTER:
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(PeriodKind.MONTH, day.year, day.month)

    @property
    def months(self) -> list[tuple[int, int]]:
        if self.kind == PeriodKind.MONTH:
            return [(self.year, self.number)]
        first = (self.number - 1) * 3 + 1
        return [(self.year, m) for m in range(first, first + 3)]

    @property
    def start(self) -> datetime.date:
        year, month = self.months[0]
        return datetime.date(year, month, 1)

    @property
    def end(self) -> datetime.date:
        year, month = self.months[-1]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}" if self.kind == PeriodKind.QUARTER else f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(q)s/%(year)s") % {"q": ROMAN[self.number], "year": self.year}
        return _("Month %(month)02d/%(year)s") % {"month": self.number, "year": self.year}

    def previous(self) -> "Period":
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, 12 if self.kind == PeriodKind.MONTH else 4)

    def __str__(self) -> str:
        return self.label


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
