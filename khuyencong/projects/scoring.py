"""Appraisal scoring: the sheets are data (`data/appraisal_sheets.json`: criteria, weights, maximum points, how a
criterion “not applicable” counts, the pass mark); this module reads them and computes a sheet's total and the
council's result. No number of the sheet is written in code.

Total of one member's sheet, on the sheet's scale (100):  Σ points × weight ÷ Σ max_points × weight × scale,
both sums over the criteria the member scored (a criterion marked not applicable, where the sheet allows it, is left
out of both). The council's average is the mean of its members' totals; it passes at `pass_average` or above.
"""

import copy
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput

DATA_FILE = Path(__file__).resolve().parent / "data" / "appraisal_sheets.json"
CENT = Decimal("0.01")


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def sheet_for(level: str) -> dict:
    """A copy of the sheet the data file names for this appraisal level (a council keeps it as it was)."""
    data = _data()
    return copy.deepcopy(data["sheets"][data["use"][level]])


def _points(value, criterion: dict) -> Decimal | None:
    if value is None or value == "":
        if criterion.get("allow_na"):
            return None
        raise InvalidInput(_("Score “%(criterion)s” (it cannot be marked not applicable).") % {
            "criterion": criterion["label"]}, field=f"c_{criterion['code']}")
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput(_("“%(value)s” is not a number of points.") % {"value": value},
                           field=f"c_{criterion['code']}") from exc
    if not points.is_finite() or points < 0 or points > Decimal(str(criterion["max_points"])):
        raise InvalidInput(_("“%(criterion)s” is scored from 0 to %(max)s points.") % {
            "criterion": criterion["label"], "max": criterion["max_points"]}, field=f"c_{criterion['code']}")
    if (points * 2) % 1:
        raise InvalidInput(_("Points are given in whole or half points."), field=f"c_{criterion['code']}")
    return points


def clean_scores(sheet: dict, scores: dict) -> dict:
    """criterion code → points as a string ("12.5") or None (not applicable); refuses unknown or missing ones."""
    codes = {c["code"] for c in sheet["criteria"]}
    unknown = set(scores) - codes
    if unknown:
        raise InvalidInput(_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    clean = {}
    for criterion in sheet["criteria"]:
        points = _points(scores.get(criterion["code"]), criterion)
        clean[criterion["code"]] = None if points is None else str(points.normalize() if points % 1 else int(points))
    if all(value is None for value in clean.values()):
        raise InvalidInput(_("Score at least one criterion."))
    return clean


def total_of(sheet: dict, scores: dict) -> Decimal:
    got, possible = Decimal(0), Decimal(0)
    for criterion in sheet["criteria"]:
        value = scores.get(criterion["code"])
        if value is None:
            continue
        weight = Decimal(str(criterion["weight"]))
        got += Decimal(str(value)) * weight
        possible += Decimal(str(criterion["max_points"])) * weight
    if not possible:
        return Decimal(0)
    return (got / possible * Decimal(str(sheet["scale"]))).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CouncilResult:
    members: int
    scored: int
    average: Decimal | None
    pass_average: Decimal
    complete: bool

    @property
    def passed(self) -> bool:
        return self.complete and self.average is not None and self.average >= self.pass_average

    @property
    def missing(self) -> int:
        return self.members - self.scored


def council_result(sheet: dict, totals: list[Decimal], members: int) -> CouncilResult:
    average = (sum(totals, Decimal(0)) / len(totals)).quantize(CENT, rounding=ROUND_HALF_UP) if totals else None
    return CouncilResult(members=members, scored=len(totals), average=average,
                         pass_average=Decimal(str(sheet["pass_average"])),
                         complete=bool(members) and len(totals) == members)
