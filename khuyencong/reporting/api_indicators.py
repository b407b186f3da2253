"""Indicator catalogue and values.

`GET /api/v1/indicators` lists the catalogue; `GET /api/v1/indicators/{code}/values` gives one indicator's values
for a period, whole or by a breakdown, scoped to the caller (reporting.selectors.indicator_values, the function the
pages and the periodic reports use); `GET /api/v1/indicators/compare` sets provinces side by side
(reporting.selectors.province_comparison, the function of the comparison page and its export). Errors: `{code,
detail, field}` — unknown indicator or province 404, a period, breakdown, geography or normalisation the indicator
does not have 422, a province outside the caller's scope 403.
"""

from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema

from .indicators import BREAKDOWNS, CATALOGUE, GROUPS
from .selectors import indicator_values, parse_period, province_comparison

router = Router(tags=["reporting"])


class IndicatorOut(Schema):
    code: str
    name: str
    group: str
    group_label: str
    unit: str
    unit_label: str
    definition: str
    formula: str
    breakdowns: list[str]


class ValueOut(Schema):
    key: str | int | None
    label: str
    value: int | float | None
    display: str
    numerator: int | None = None  # a rate's two counts (communes covered, communes), as the pages show them
    denominator: int | None = None


class ValuesOut(Schema):
    code: str
    name: str
    unit: str
    unit_label: str
    period: str
    period_label: str
    province: int | None
    breakdown: str | None
    breakdown_label: str | None
    geography: str
    values: list[ValueOut]


def _indicator_out(indicator) -> dict:
    return {"code": indicator.code, "name": str(indicator.name), "group": indicator.group,
            "group_label": str(GROUPS[indicator.group]), "unit": indicator.unit,
            "unit_label": str(indicator.unit_label), "definition": str(indicator.definition),
            "formula": str(indicator.formula), "breakdowns": list(indicator.breakdowns)}


@router.get("/indicators", response=list[IndicatorOut], summary="The catalogue of KC indicators",
            operation_id="indicator_list")
def indicator_list(request):
    return [_indicator_out(indicator) for indicator in CATALOGUE.values()]


@router.get("/indicators/{code}/values", response=ValuesOut, summary="Values of one indicator in your scope",
            operation_id="indicator_values", url_name="indicator_values")
def indicator_values_view(request, code: str, period: str = "", province: str = "", breakdown: str = "",
                          geography: str = "current"):
    """`period`: 2026, 2026-H1, 2026-Q3 or 2026-07 (default: this year). `province`: a current province code
    (provincial users: their own). `breakdown`: province, fund, content, kind, year, gender or ethnic, as the
    indicator allows. `geography`: current (34 provinces) or legacy (the 63 former ones, periods before
    1/7/2025)."""
    period_obj = parse_period(period or str(timezone.localdate().year))
    values = indicator_values(code, user=request.user, period=period_obj, province=province or None,
                              breakdown=breakdown or None, geography=geography)
    indicator = CATALOGUE[code]
    return {
        "code": code, "name": str(indicator.name), "unit": indicator.unit, "unit_label": str(indicator.unit_label),
        "period": str(period_obj), "period_label": period_obj.label, "province": int(province) if province else None,
        "breakdown": breakdown or None, "breakdown_label": str(BREAKDOWNS[breakdown]) if breakdown else None,
        "geography": geography,
        "values": [{"key": v.key, "label": v.label, "display": v.display,
                    "value": float(v.value) if isinstance(v.value, Decimal) else v.value,
                    "numerator": v.numerator, "denominator": v.denominator} for v in values],
    }


class CompareCellOut(Schema):
    province: str | int
    province_name: str
    value: int | float | None
    display: str
    normalised: float | None
    rank: int | None
    previous: int | float | None
    change: float | None


class CompareColumnOut(Schema):
    code: str
    name: str
    unit_label: str
    normalised: bool
    total: int | float | None
    provinces: list[CompareCellOut]


class CompareIn(Schema):
    codes: list[str]
    period: str = ""
    norm: str = ""
    geography: str = "current"


class CompareOut(Schema):
    period: str
    period_label: str
    previous_period: str
    geography: str
    norm: str
    indicators: list[CompareColumnOut]


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


@router.get("/indicators/compare", response=CompareOut, summary="Provinces side by side, in your scope",
            operation_id="indicator_compare", url_name="indicator_compare")
def indicator_compare(request, choice: Query[CompareIn]):
    """The comparison page's figures: for each indicator (`codes`, repeated) and province, the value, the value
    normalised by `norm` (establishments: per 1,000 registered establishments; collaborators: per active
    collaborator; billion: per billion đồng allocated), the rank, the same period a year earlier and the change
    in %."""
    data = province_comparison(user=request.user, period=choice.period or str(timezone.localdate().year),
                               codes=choice.codes, norm=choice.norm, geography=choice.geography)
    return {
        "period": str(data["period"]), "period_label": data["period"].label,
        "previous_period": str(data["previous_period"]), "geography": data["geography"], "norm": data["norm"],
        "indicators": [{
            "code": column["code"], "name": column["name"], "unit_label": column["unit"],
            "normalised": column["normalised"], "total": _number(column["total"]),
            "provinces": [{"province": p["key"], "province_name": p["label"], "value": _number(cell["value"]),
                           "display": cell["display"],
                           "normalised": _number(cell["shown"]) if column["normalised"] else None,
                           "rank": cell.get("rank"), "previous": _number(cell["previous"]), "change": cell["change"]}
                          for p in data["provinces"] for cell in [column["cells"][p["key"]]]],
        } for column in data["columns"]],
    }
