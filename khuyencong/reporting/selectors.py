"""Indicator values: THE reads that dashboards, exports, the API and the periodic reports share.

`indicator_values(code, …)` gives one indicator, whole or broken down; `indicator_table(…)` every indicator (or the
chosen ones) for a period; `indicator_matrix(…)` several indicators by one breakdown. All are scoped with
`accounts.scope.user_scope`: a provincial user only ever counts their province's rows.

Queries: each *source* of the catalogue (indicators.SOURCES) is read with ONE aggregate query, whatever the number
of indicators asking it and the number of rows:

    SELECT <breakdown key>, COUNT(*) FILTER (WHERE …), SUM(amount) FILTER (WHERE …), …
    FROM <source table> JOIN … WHERE <scope> AND <period> GROUP BY <breakdown key>

The whole table of indicators is therefore one query per source (14 at most); a breakdown adds at most two small
lookups for labels (names of provinces, of contents) and, under the legacy geography, two reads of the succession
table restricted to the units found.

Geography. Records point at today's units (a 2019 project of Long An reads "Tây Ninh" since the import resolved
its commune). `geography="current"` groups by today's province. `geography="legacy"` (periods starting before
1/7/2025) shows the former 63 provinces "as it was": a record goes to the former province recorded at the time
(an establishment's former unit, an event's organiser province at the time), else to the former province of its
current commune's predecessors (each current commune was formed within one former province), else to the former
province of its current province that carried the same name (or the lowest code). Because each record lands in
exactly one former province and that province is a predecessor of its current one, national totals are equal
under both geographies and the former provinces of a current province add up to it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import InvalidInput, NotFound, PermissionDenied
from khuyencong.core.figures import format_percent, rate_percent
from khuyencong.core.money import format_vnd_short
from khuyencong.core.periods import Period
from khuyencong.events.vocab import EventKind
from khuyencong.geo.models import REFORM_DATE, AdminUnit
from khuyencong.geo.selectors import former_province_of_communes, former_province_of_provinces
from khuyencong.projects.models import ProjectKind
from khuyencong.projects.selectors import late_q
from khuyencong.registry.models import Gender
from khuyencong.rules.models import ContentItem, EntityType, FundSource

from . import aggregate_cache
from .indicators import (
    BREAKDOWNS,
    CATALOGUE,
    COUNT,
    PERCENT,
    SOURCES,
    TREND_YEARS,
    VND,
    Context,
    Indicator,
    Source,
)

GEOGRAPHIES = ("current", "legacy")
NO_PLACE = "none"  # key of records without a province (events of national agencies)


# --- values ---------------------------------------------------------------------------------------------------------


def format_value(value, unit: str) -> str:
    """Readable figure: money in triệu/tỷ, rates with one decimal, counts grouped with dots."""
    if value is None:
        return "—"
    if unit == VND:
        return format_vnd_short(int(value))
    if unit == PERCENT:
        return format_percent(value)
    return f"{int(value):,}".replace(",", ".")


@dataclass(frozen=True)
class IndicatorValue:
    key: object  # the breakdown key (a province code, "national", a year…) or None for the whole
    label: str
    value: int | Decimal | None
    unit: str
    unit_label: str = ""
    # A rate's two counts (35 communes covered of 38): shown beside the rate, as the module's own page shows them.
    numerator: int | None = None
    denominator: int | None = None

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": _json_number(self.value), "unit": self.unit,
                "unit_label": str(self.unit_label), "display": self.display,
                **({"numerator": _json_number(self.numerator), "denominator": _json_number(self.denominator)}
                   if self.unit == PERCENT else {})}


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    unit_label: str
    value: int | Decimal | None
    group: str = ""
    numerator: int | None = None  # a rate's two counts, as on IndicatorValue
    denominator: int | None = None

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)

    def as_dict(self) -> dict:
        """JSON-serialisable, for the snapshot of a locked report."""
        return {"code": self.code, "name": str(self.name), "unit": self.unit, "unit_label": str(self.unit_label),
                "value": _json_number(self.value), "display": self.display, "group": self.group}


def _json_number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rate(numerator, denominator) -> Decimal | None:
    return rate_percent(numerator, denominator)


# --- arguments ------------------------------------------------------------------------------------------------------


def get_indicator(code: str) -> Indicator:
    indicator = CATALOGUE.get(code)
    if indicator is None:
        raise NotFound(_("Unknown indicator “%(code)s”: see the catalogue of indicators.") % {"code": code},
                       code="unknown_indicator")
    return indicator


def parse_period(period) -> Period:
    if isinstance(period, Period):
        return period
    return Period.parse(str(period or ""))


def check_geography(geography: str, period: Period) -> str:
    if geography not in GEOGRAPHIES:
        raise InvalidInput(_("Unknown geography “%(g)s”: write current or legacy.") % {"g": geography},
                           field="geography")
    if geography == "legacy" and period.start >= REFORM_DATE:
        raise InvalidInput(_("The former provinces exist only for periods starting before 1/7/2025."),
                           field="geography")
    return geography


def resolve_province(user, province) -> AdminUnit | None:
    """A current province (unit, id-less code or None) the user may see; NotFound / PermissionDenied otherwise."""
    if province in (None, ""):
        return None
    if not isinstance(province, AdminUnit):
        try:
            code = int(province)
        except (TypeError, ValueError):
            code = None
        province = AdminUnit.objects.filter(scheme="current", level="province", code=code).first() if code else None
        if province is None:
            raise NotFound(_("Unknown province code."), code="unknown_province")
    if not user_scope(user).touches_province(province.pk):
        raise PermissionDenied(_("You may not see the figures of this province."))
    return province


def default_province(user) -> AdminUnit | None:
    """The province a provincial user's dashboard shows (None for national users: the whole country)."""
    scope = user_scope(user)
    if scope.national:
        return None
    ids = sorted(scope.province_ids | scope.commune_province_ids)
    return AdminUnit.objects.filter(pk=ids[0]).first() if ids else None


def context_for(period: Period, *, trend: bool = False, today: datetime.date | None = None) -> Context:
    today = today or timezone.localdate()
    year = period.start.year
    as_of = min(period.end, today) if period.start <= today else period.end
    if trend:
        years = tuple(range(year - TREND_YEARS + 1, year + 1))
        return Context(years=years, start=datetime.date(years[0], 1, 1), as_of=as_of, today=today)
    return Context(years=(year,), start=period.start, as_of=as_of, today=today)


# --- the engine -----------------------------------------------------------------------------------------------------


def _scoped(source: Source, ctx: Context, *, user, province: AdminUnit | None):
    qs = user_scope(user).filter(source.base(ctx), province=source.province, commune=source.commune)
    if province is not None:
        qs = qs.filter(**{source.province: province.pk})
    return qs.order_by()


def _aggregate(source: Source, measures: set[str], ctx: Context, *, user, province, breakdown: str | None,
               geography: str, snapshot: str | None) -> dict:
    """{key: {measure: value}} in one query (plus, for the legacy geography, two reads of the succession table),
    or none when the same aggregate was read in the same state of the database (`aggregate_cache`)."""
    parts = ("aggregate", source.name, tuple(sorted(measures)), ctx, _scope_key(user), getattr(province, "pk", None),
             breakdown, geography)
    return aggregate_cache.read(parts, lambda: _read_aggregate(
        source, measures, ctx, user=user, province=province, breakdown=breakdown, geography=geography), snapshot)


def _scope_key(user) -> tuple:
    scope = user_scope(user)
    return scope.national, tuple(sorted(scope.province_ids)), tuple(sorted(scope.commune_ids))


def _read_aggregate(source: Source, measures: set[str], ctx: Context, *, user, province, breakdown: str | None,
                    geography: str) -> dict:
    qs = _scoped(source, ctx, user=user, province=province)
    aggregates = {f"m_{m}": source.measures[m](ctx) for m in sorted(measures)}
    if breakdown is None:
        return {None: _strip(qs.aggregate(**aggregates))}
    if breakdown == "province" and geography == "legacy":
        keys = {"g_p": F(source.province), "g_c": F(source.commune) if source.commune else None,
                "g_l": source.legacy() if source.legacy else None}
        keys = {k: v for k, v in keys.items() if v is not None}
        rows = list(qs.values(**keys).annotate(**aggregates))
        return _to_legacy(rows)
    if breakdown == "province":
        key = F(source.province)
    else:
        key = source.dims[breakdown]
        key = F(key) if isinstance(key, str) else key
    rows = qs.values(g_k=key).annotate(**aggregates)
    return {row["g_k"]: _strip(row) for row in rows}


def _strip(row: dict) -> dict:
    return {k[2:]: (v or 0) for k, v in row.items() if k.startswith("m_")}


def _to_legacy(rows: list[dict]) -> dict:
    """Groups (former province recorded, current commune, current province) → former province id."""
    by_commune = former_province_of_communes({r["g_c"] for r in rows if r.get("g_c") and not r.get("g_l")})
    by_province = former_province_of_provinces(
        {r["g_p"] for r in rows if r.get("g_p") and not r.get("g_l") and r.get("g_c") not in by_commune})
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        key = row.get("g_l") or by_commune.get(row.get("g_c")) or by_province.get(row.get("g_p"))
        for measure, value in _strip(row).items():
            out[key][measure] += value
    return {k: dict(v) for k, v in out.items()}


def _check_breakdown(indicator: Indicator, breakdown: str | None) -> None:
    if breakdown is None:
        return
    if breakdown not in BREAKDOWNS or breakdown not in indicator.breakdowns:
        allowed = ", ".join(indicator.breakdowns)
        raise InvalidInput(
            _("The indicator “%(code)s” has no breakdown “%(b)s”; it has: %(allowed)s.") % {
                "code": indicator.code, "b": breakdown, "allowed": allowed}, field="breakdown")


def _wanted(indicators) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for indicator in indicators:
        for source, measure in (*indicator.parts, *indicator.denominator):
            wanted[source].add(measure)
    return wanted


def _values(indicators, data: dict, *, breakdown: str | None, ctx: Context) -> dict[str, list[IndicatorValue]]:
    """The indicators' values from the sources' aggregates {source: {key: {measure: value}}}."""
    labels = _labels(breakdown, data, ctx)
    result = {}
    for indicator in indicators:
        keys = set()
        for source, _m in (*indicator.parts, *indicator.denominator):
            keys |= set(data[source])
        if breakdown is None:
            keys = {None}
        elif breakdown == "year":
            keys = set(ctx.years)
        values = []
        name, unit_label = str(indicator.name), str(indicator.unit_label)  # translated once, not once per key
        for key in keys:
            num = sum(data[s].get(key, {}).get(m, 0) for s, m in indicator.parts)
            den = None
            if indicator.is_rate:
                den = sum(data[s].get(key, {}).get(m, 0) for s, m in indicator.denominator)
                value = _rate(num, den)
            else:
                value = num
            label = labels.get(key, str(key)) if breakdown else name
            values.append(IndicatorValue(key=_public_key(key, breakdown, labels), label=label, value=value,
                                         unit=indicator.unit, unit_label=unit_label,
                                         numerator=num if indicator.is_rate else None, denominator=den))
        result[indicator.code] = _ordered(values, breakdown)
    return result


def indicator_matrix(codes, *, user, period, province=None, breakdown: str | None = None,
                     geography: str = "current", today: datetime.date | None = None) -> dict[str, list[IndicatorValue]]:
    """Several indicators by one breakdown (or whole, breakdown None): each source read once."""
    period = parse_period(period)
    geography = check_geography(geography, period)
    indicators = [get_indicator(code) for code in codes]
    for indicator in indicators:
        _check_breakdown(indicator, breakdown)
    province = resolve_province(user, province)
    ctx = context_for(period, trend=breakdown == "year", today=today)
    snapshot = aggregate_cache.database_state()
    data = {name: _aggregate(SOURCES[name], measures, ctx, user=user, province=province, breakdown=breakdown,
                             geography=geography, snapshot=snapshot)
            for name, measures in _wanted(indicators).items()}
    return _values(indicators, data, breakdown=breakdown, ctx=ctx)


# Sources whose measures add up over the province groups (each row, or each establishment counted, lies in exactly
# one group), so the whole is the sum of the groups. Not "coverage": a commune counted once (COUNT DISTINCT unit)
# could be covered from two provinces' rows.
ADDITIVE_BY_PROVINCE = frozenset(SOURCES) - {"coverage"}


def indicator_table_and_provinces(province_codes, *, user, period, province=None, codes=None,
                                  geography: str = "current", today: datetime.date | None = None
                                  ) -> tuple[list[IndicatorRow], dict[str, list[IndicatorValue]]]:
    """(`indicator_table(…)`, `indicator_matrix(province_codes, breakdown="province")`) for the dashboard, sharing
    the reads: each source is read ONCE grouped by current province with every measure both need, and the whole
    is the sum of the groups (the sources in ADDITIVE_BY_PROVINCE); the other sources, and the former provinces'
    breakdown, are read as before. Same figures as the two calls, about half the aggregate queries."""
    period = parse_period(period)
    geography = check_geography(geography, period)
    codes = list(codes) if codes is not None else list(CATALOGUE)
    table_indicators = [get_indicator(code) for code in codes]
    province_indicators = [get_indicator(code) for code in province_codes]
    for indicator in province_indicators:
        _check_breakdown(indicator, "province")
    province = resolve_province(user, province)
    ctx = context_for(period, today=today)
    table_wanted, province_wanted = _wanted(table_indicators), _wanted(province_indicators)
    grouped_wanted: dict[str, set[str]] = defaultdict(set)
    for name in set(table_wanted) | (set(province_wanted) if geography == "current" else set()):
        if name in ADDITIVE_BY_PROVINCE or (geography == "current" and name in province_wanted):
            grouped_wanted[name] = table_wanted.get(name, set()) | (
                province_wanted.get(name, set()) if geography == "current" else set())
    snapshot = aggregate_cache.database_state()
    grouped = {name: _aggregate(SOURCES[name], measures, ctx, user=user, province=province, breakdown="province",
                                geography="current", snapshot=snapshot)
               for name, measures in grouped_wanted.items()}
    whole = {}
    for name, measures in table_wanted.items():
        if name in grouped and name in ADDITIVE_BY_PROVINCE:
            totals = dict.fromkeys(measures, 0)
            for row in grouped[name].values():
                for measure in measures:
                    totals[measure] += row.get(measure, 0)
            whole[name] = {None: totals}
        else:
            whole[name] = _aggregate(SOURCES[name], measures, ctx, user=user, province=province, breakdown=None,
                                     geography=geography, snapshot=snapshot)
    values = _values(table_indicators, whole, breakdown=None, ctx=ctx)
    rows = [_row(i, values[i.code][0]) for i in table_indicators]
    if geography == "current":
        by_province = {name: grouped[name] for name in province_wanted}
    else:
        by_province = {name: _aggregate(SOURCES[name], measures, ctx, user=user, province=province,
                                        breakdown="province", geography=geography, snapshot=snapshot)
                       for name, measures in province_wanted.items()}
    return rows, _values(province_indicators, by_province, breakdown="province", ctx=ctx)


def indicator_values(code: str, *, user, period, province=None, breakdown: str | None = None,
                     geography: str = "current", today: datetime.date | None = None) -> list[IndicatorValue]:
    """One indicator, whole (one value, key None) or by a breakdown: province (today's or the former ones),
    fund, content, kind, year (the trend: the period's year and the nine before), gender, ethnic."""
    return indicator_matrix([code], user=user, period=period, province=province, breakdown=breakdown,
                            geography=geography, today=today)[code]


def indicator_table(*, user, period, province=None, codes=None, geography: str = "current",
                    today: datetime.date | None = None) -> list[IndicatorRow]:
    """One row per indicator of the catalogue (or the codes given, in that order), in one query per source."""
    codes = list(codes) if codes is not None else list(CATALOGUE)
    values = indicator_matrix(codes, user=user, period=period, province=province, geography=geography,
                              today=today)
    return [_row(CATALOGUE[code], values[code][0]) for code in codes]


def _row(indicator: Indicator, value: IndicatorValue) -> IndicatorRow:
    return IndicatorRow(code=indicator.code, name=str(indicator.name), unit=indicator.unit,
                        unit_label=str(indicator.unit_label), value=value.value, group=indicator.group,
                        numerator=value.numerator, denominator=value.denominator)


def indicator_tables_by_province(provinces, *, user, period, codes=None, geography: str = "current",
                                 today: datetime.date | None = None) -> dict[int, list[IndicatorRow]]:
    """{province id: its indicator table}, for every province given, in ONE grouped query per source
    (`GROUP BY province`) instead of `indicator_table` province by province (34 × the queries). The figures are
    those of `indicator_table(province=…)`: each source is filtered by, and grouped on, the same province column,
    so a sum, a count or a distinct count within a group is that province's; a province without rows gets 0 (a
    rate without a denominator: None), as its own aggregate would."""
    codes = list(codes) if codes is not None else list(CATALOGUE)
    for province in provinces:
        if not user_scope(user).touches_province(province.pk):
            raise PermissionDenied(_("You may not see the figures of this province."))
    period = parse_period(period)
    check_geography(geography, period)  # a whole-province value is the same under both geographies
    matrix = indicator_matrix(codes, user=user, period=period, breakdown="province", today=today)
    by_code = {code: {v.key: v.value for v in values} for code, values in matrix.items()}
    tables = {}
    for province in provinces:
        rows = []
        for code in codes:
            indicator = CATALOGUE[code]
            value = by_code[code].get(province.code)
            if value is None and not indicator.is_rate:
                value = 0
            rows.append(IndicatorRow(code=code, name=str(indicator.name), unit=indicator.unit,
                                     unit_label=str(indicator.unit_label), value=value, group=indicator.group))
        tables[province.pk] = rows
    return tables


def indicator_by_province(codes, *, user, period, geography: str = "current",
                          today: datetime.date | None = None) -> dict[str, dict]:
    """{code: {province key: IndicatorValue}}: the comparison of provinces and the national dashboard's table."""
    matrix = indicator_matrix(codes, user=user, period=period, breakdown="province", geography=geography,
                              today=today)
    return {code: {v.key: v for v in values} for code, values in matrix.items()}


# --- comparison of provinces ---------------------------------------------------------------------------------------

# How a comparison may normalise counts: by the indicator that is the basis, times a factor.
NORMALISERS = {
    "": (None, None),
    "establishments": ("establishments_registered", 1000),
    "collaborators": ("collaborators_active", 1),
    "billion": ("kc_allocated", 1_000_000_000),
}


def province_comparison(*, user, period, codes, norm: str = "", geography: str = "current",
                        today: datetime.date | None = None) -> dict:
    """Provinces side by side, for the comparison page, its export and the API: for each indicator and province the
    value, the normalised value, the rank, the value of the same period a year earlier and the change; the column's
    total (counts and amounts).

    Two GROUP BY province per source (this period, the same period a year earlier), whatever the data size."""
    period = parse_period(period)
    geography = check_geography(geography, period)
    codes = [get_indicator(code).code for code in codes]
    if norm not in NORMALISERS:
        raise InvalidInput(_("Unknown normalisation “%(norm)s”.") % {"norm": norm}, field="norm")
    basis_code, factor = NORMALISERS[norm]
    wanted = list(dict.fromkeys([*codes, *([basis_code] if basis_code else [])]))
    now = indicator_by_province(wanted, user=user, period=period, geography=geography, today=today)
    previous_period = period.year_before()
    previous_geography = geography if legacy_allowed(previous_period) else "current"
    before = indicator_by_province(codes, user=user, period=previous_period, geography=previous_geography,
                                   today=today)
    keys: dict = {}
    for code in wanted:
        for key, value in now[code].items():
            keys.setdefault(key, value.label)
    keys.pop(NO_PLACE, None)
    columns = []
    for code in codes:
        indicator = CATALOGUE[code]
        normalise = bool(basis_code) and not indicator.is_rate and not (norm == "billion" and indicator.unit == VND)
        column = {"code": code, "name": str(indicator.name), "unit": str(indicator.unit_label),
                  "normalised": normalise, "cells": {}}
        scores = {}
        for key in keys:
            value = now[code].get(key)
            value = value.value if value else 0
            shown = value
            if normalise:
                basis = now[basis_code].get(key)
                basis = basis.value if basis else 0
                shown = round(float(value) * factor / float(basis), 2) if basis else None
            prev = before[code].get(key)
            prev = prev.value if prev else 0
            change = None
            if prev and value is not None:
                change = round((float(value) - float(prev)) * 100 / float(prev), 1)
            column["cells"][key] = {"value": value, "shown": shown, "previous": prev, "change": change,
                                    "display": format_value(value, indicator.unit),
                                    "normalised": normalise, "shown_display": _normalised_display(shown, indicator)}
            scores[key] = shown
        # Competition ranking: equal values share a rank (two provinces at 0 are both last, not 3rd and 4th).
        known = [float(v) for v in scores.values() if v is not None]
        for key, score in scores.items():
            if score is not None:
                column["cells"][key]["rank"] = 1 + sum(1 for other in known if other > float(score))
        # A rate does not add up across provinces.
        column["total"] = (None if indicator.unit == PERCENT
                           else sum((c["value"] or 0) for c in column["cells"].values()))
        columns.append(column)
    provinces = [{"key": key, "label": label} for key, label in sorted(keys.items(), key=lambda kv: kv[0])]
    rows = [{"key": p["key"], "label": p["label"], "cells": [c["cells"][p["key"]] for c in columns]}
            for p in provinces]
    return {"columns": columns, "provinces": provinces, "rows": rows, "period": period,
            "previous_period": previous_period, "geography": geography, "norm": norm}


def _normalised_display(value, indicator) -> str:
    if value is None:
        return "—"
    if indicator.unit == VND:
        return format_value(value, VND)
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


# --- labels and order -----------------------------------------------------------------------------------------------


def _labels(breakdown: str | None, data: dict, ctx: Context) -> dict:
    """{key: label} of a breakdown, the labels translated (str) once."""
    return {key: label if key == "_codes" else str(label) for key, label in _lazy_labels(breakdown, data, ctx).items()}


def _lazy_labels(breakdown: str | None, data: dict, ctx: Context) -> dict:
    if breakdown is None:
        return {}
    keys = set()
    for rows in data.values():
        keys |= set(rows)
    if breakdown == "province":
        units = AdminUnit.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name", "code", "scheme")
        labels = {pk: name if scheme == "current" else _("%(name)s (former)") % {"name": name}
                  for pk, name, _c, scheme in units}
        labels["_codes"] = {pk: code for pk, _n, code, _s in units}
        labels[None] = _("Central agencies")
        return labels
    if breakdown == "fund":
        return dict(FundSource.choices)
    if breakdown == "kind":
        return {**dict(ProjectKind.choices), **dict(EventKind.choices), **dict(EntityType.choices)}
    if breakdown == "content":
        names = dict(ContentItem.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
        names[""] = _("Content not recorded")
        return names
    if breakdown == "year":
        return {year: str(year) for year in ctx.years}
    if breakdown == "gender":
        return {**dict(Gender.choices), "": _("Not recorded"), "yes": _("Owned by a woman"),
                "no": pgettext("owner", "Other")}
    if breakdown == "ethnic":
        return {"yes": _("Ethnic minority"), "no": pgettext("ethnic", "Other")}
    return {}


def _public_key(key, breakdown, labels):
    """Provinces are named by their code (stable across databases); records without a province by "none"."""
    if breakdown == "province":
        return labels["_codes"].get(key, NO_PLACE) if key is not None else NO_PLACE
    return key


def _ordered(values: list[IndicatorValue], breakdown: str | None) -> list[IndicatorValue]:
    if breakdown == "year":
        return sorted(values, key=lambda v: v.key)
    if breakdown == "province":
        return sorted(values, key=lambda v: (v.key == NO_PLACE, v.key if v.key != NO_PLACE else 0))
    return sorted(values, key=lambda v: (-(v.value or 0), str(v.label)))


# --- lists beside the figures ---------------------------------------------------------------------------------------


def late_projects(*, user, period, province=None, limit: int = 10, today: datetime.date | None = None):
    """The late projects behind the "late" indicators, the oldest deadline first (one query)."""
    period = parse_period(period)
    province = resolve_province(user, province)
    ctx = context_for(period, today=today)
    qs = _scoped(SOURCES["late"], ctx, user=user, province=province).filter(late_q(ctx.today))
    return aggregate_cache.read(
        ("late projects", ctx, _scope_key(user), getattr(province, "pk", None), limit),
        lambda: list(qs.select_related("province", "plan").order_by("due_date", "code")[:limit]))


def map_points(*, user, period, province=None, limit: int = 2000, today: datetime.date | None = None) -> list[dict]:
    """Supported establishments that have a GPS point, each with the projects of the year that support it
    (administrative units have no coordinates). Two queries, bounded by `limit`."""
    period = parse_period(period)
    province = resolve_province(user, province)
    ctx = context_for(period, today=today)
    return aggregate_cache.read(("map points", ctx, _scope_key(user), getattr(province, "pk", None), limit),
                                lambda: _read_map_points(ctx, user=user, province=province, limit=limit))


def _read_map_points(ctx: Context, *, user, province, limit: int) -> list[dict]:
    establishments = _scoped(SOURCES["establishments"], ctx, user=user, province=province).filter(
        latitude__isnull=False, longitude__isnull=False)
    rows = list(establishments.values("pk", "name", "latitude", "longitude", "commune__name", "province__name")
                .order_by("pk")[:limit])
    ids = [r["pk"] for r in rows]
    projects = defaultdict(list)
    links = (_scoped(SOURCES["beneficiaries"], ctx, user=user, province=province)
             .filter(establishment_id__in=ids).values_list("establishment_id", "project__code", "project__title")
             .order_by("project__code")) if ids else []
    for establishment_id, code, title in links:
        projects[establishment_id].append(f"{code} — {title}")
    return [{"id": r["pk"], "name": r["name"], "lat": float(r["latitude"]), "lng": float(r["longitude"]),
             "place": f"{r['commune__name']}, {r['province__name']}", "projects": projects.get(r["pk"], [])}
            for r in rows]


def legacy_allowed(period: Period) -> bool:
    return period.start < REFORM_DATE


__all__ = [
    "COUNT", "GEOGRAPHIES", "IndicatorRow", "IndicatorValue", "format_value", "indicator_by_province",
    "indicator_matrix", "indicator_table", "indicator_table_and_provinces", "indicator_tables_by_province",
    "indicator_values", "late_projects", "map_points",
]
