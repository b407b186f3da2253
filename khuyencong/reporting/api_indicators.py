"""Indicator catalogue and values.

`GET /api/v1/indicators` lists the catalogue; `GET /api/v1/indicators/{code}/values` gives one indicator's values
for a period, whole or by a breakdown, scoped to the caller (reporting.selectors.indicator_values, the function the
pages and the periodic reports use). Errors: `{code, detail, field}` — unknown indicator or province 404, a period,
breakdown or geography the indicator does not have 422, a province outside the caller's scope 403.
"""

from decimal import Decimal

from ninja import Router, Schema

from .indicators import BREAKDOWNS, CATALOGUE, GROUPS
from .selectors import indicator_values, parse_period

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
    from django.utils import timezone

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
                    "value": float(v.value) if isinstance(v.value, Decimal) else v.value} for v in values],
    }
