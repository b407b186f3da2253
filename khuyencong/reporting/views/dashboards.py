"""Dashboards (national, provincial), the indicator catalogue and the comparison of provinces, with their xlsx.

Thin views over reporting.selectors: every figure on a page, in its export and in the API comes from the same
`indicator_matrix` call. The dashboard runs a fixed number of aggregate queries whatever the data size:

- the indicator table: one aggregate query per source of the catalogue (≤ 15);
- the trend (4 indicators × 10 years): one GROUP BY year per source (4);
- money by KC content and by fund: one GROUP BY content, two GROUP BY fund, and the content names (4);
- the table by province: one GROUP BY province per source (≤ 9), plus the names of the provinces;
- the late projects (1) and the map (2: located supported establishments, their projects);
- the province selector (1), the user's scope (2), the session (2).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import DomainError, PermissionDenied
from khuyencong.core.exports import write_table
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from .. import selectors
from ..indicators import BREAKDOWNS, CATALOGUE, GROUPS, PERCENT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# "Disbursed" on every screen means paid out (advances + payments − refunds): the card, the rate beside it, the
# table by province and the trend all read the indicator `kc_paid`, whose definition the rate's label states.
CARDS = ("projects", "kc_allocated", "kc_paid", "disbursement_rate", "establishments_supported",
         "trainees", "collaborators_active", "projects_late")
FUNNEL = ("kc_planned", "kc_allocated", "kc_contracted", "kc_advanced", "kc_disbursed", "kc_settled")
# Short names on the charts' axes (the tables beside them give the full names).
SHORT = {
    "kc_planned": pgettext_lazy("money", "Planned"),
    "kc_allocated": pgettext_lazy("money", "Allocated"),
    "kc_contracted": pgettext_lazy("money", "Contracted"),
    "kc_advanced": pgettext_lazy("money", "Advanced"),
    "kc_disbursed": pgettext_lazy("money", "Disbursed"),
    "kc_paid": pgettext_lazy("money", "Paid out"),
    "kc_settled": pgettext_lazy("money", "Settled"),
}
FUND_SHORT = {"national": pgettext_lazy("fund", "National"), "local": pgettext_lazy("fund", "Local")}
TREND = ("projects", "kc_allocated", "kc_paid", "support_turns")
BY_PROVINCE = ("projects", "kc_allocated", "kc_paid", "disbursement_rate", "establishments_supported",
               "support_turns", "trainees", "collaborators_active", "commune_coverage_rate", "projects_late")
FUND_CHART = ("kc_planned", "kc_allocated", "kc_paid")
COMPARE_DEFAULT = ("support_turns", "kc_allocated", "trainees", "demo_models", "collaborators_active")
QUARTERS = [("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]
MENU_LABEL = pgettext_lazy("menu", "Reports")  # the top menu's entry (web/navigation.py), translated here
NORMALISERS = selectors.NORMALISERS


def _norm_labels() -> dict:
    return {"": _("As counted"), "establishments": _("Per 1,000 establishments in the registry"),
            "collaborators": _("Per active collaborator"), "billion": _("Per billion đồng allocated")}


# --- choices read from the query string -----------------------------------------------------------------------------


class Choice:
    """The period, province and geography a page shows, read from the query string; what could not be used is
    said in `notes` (a Vietnamese sentence each) instead of failing the page."""

    def __init__(self, request):
        self.notes: list[str] = []
        today = timezone.localdate()
        self.user = request.user
        self.scope = user_scope(request.user)
        self.period = self._period(request.GET, today)
        self.province = self._province(request.GET.get("province", ""))
        self.geography = request.GET.get("geography", "current")
        if self.geography not in selectors.GEOGRAPHIES:
            self.geography = "current"
        if self.geography == "legacy" and not selectors.legacy_allowed(self.period):
            self.notes.append(_("The former provinces exist only for periods starting before 1/7/2025: the figures "
                                "are shown under today's provinces."))
            self.geography = "current"

    def _period(self, params, today) -> Period:
        text = params.get("period", "")
        if not text and params.get("year"):
            quarter = params.get("quarter", "")
            text = f"{params['year']}-Q{quarter}" if quarter in ("1", "2", "3", "4") else params["year"]
        if text:
            try:
                return Period.parse(text)
            except DomainError as exc:
                self.notes.append(exc.message)
        return Period.calendar_year(today.year)

    def _province(self, code: str) -> AdminUnit | None:
        if code:
            try:
                return selectors.resolve_province(self.user, code)
            except DomainError as exc:
                self.notes.append(exc.message)
        return selectors.default_province(self.user)

    @property
    def year(self) -> int:
        return self.period.start.year

    @property
    def quarter(self) -> str:
        return str((self.period.start.month - 1) // 3 + 1) if self.period.kind == "quarter" else ""

    @property
    def geography_label(self) -> str:
        if self.geography == "legacy":
            return _("Former provinces (63, before 1/7/2025), as it was")
        return _("Today's provinces (34, since 1/7/2025)")

    @property
    def place_label(self) -> str:
        return self.province.name if self.province else _("Whole country")

    def query(self, **extra) -> str:
        params = {"period": str(self.period), "geography": self.geography}
        if self.province:
            params["province"] = self.province.code
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode({k: v for k, v in params.items() if v != ""})

    def notes_for_export(self) -> list[str]:
        return [
            _("Period: %(period)s") % {"period": self.period.label},
            _("Scope: %(place)s") % {"place": self.place_label},
            _("Geography: %(g)s") % {"g": self.geography_label},
            _("Generated on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")},
        ]


def _require_scope(request) -> None:
    if user_scope(request.user).is_empty:
        raise PermissionDenied(_("Your account has no role that shows figures."))


def _forbidden(request, exc: DomainError):
    return render(request, "reporting/dashboards/forbidden.html", {"message": exc.message}, status=403)


def _year_options(choice: Choice) -> list[int]:
    today = timezone.localdate()
    return list(range(today.year + 1, 2015, -1)) if choice.year <= today.year + 1 else [choice.year]


def _provinces(choice: Choice):
    """Provinces a national user may pick (none for a provincial user: the dashboard is theirs)."""
    if not choice.scope.national:
        return []
    return list(AdminUnit.objects.filter(scheme="current", level="province").order_by("code")
                .values("code", "name"))


# --- drill-down ----------------------------------------------------------------------------------------------------


def drill_url(code: str, *, year: int, province_code: int | None) -> str:
    """The list of the records an indicator counts (projects, establishments, events, collaborators)."""
    indicator = CATALOGUE[code]
    place = {"province": province_code} if province_code else {}
    if indicator.group in ("projects", "money"):
        params = {"year": year, **place}
        if code == "projects_national":
            params["fund"] = "national"
        elif code == "projects_local":
            params["fund"] = "local"
        return f"{reverse('project_list')}?{urlencode(params)}"
    if indicator.group == "late":
        return f"{reverse('project_list')}?{urlencode({'late': 1, **place})}"
    if indicator.group == "beneficiaries":
        params = {**place} if code == "establishments_registered" else {"supported": "yes", **place}
        return f"{reverse('establishment_list')}?{urlencode(params)}"
    if indicator.group == "events":
        kind = {"training_courses": "training", "trainees": "training", "trainees_employed": "training",
                "study_tours": "study_tour", "fairs": "fair", "booths": "fair"}.get(code, "")
        return f"{reverse('event_list')}?{urlencode({'year': year, 'kind': kind, **place})}"
    if code == "commune_coverage_rate":
        return f"{reverse('network_coverage')}?{urlencode(place)}"
    if code.startswith("registration"):
        return f"{reverse('network_field_list')}?{urlencode(place)}"
    return f"{reverse('network_collaborator_list')}?{urlencode(place)}"


# --- the dashboard --------------------------------------------------------------------------------------------------


def _dashboard_data(choice: Choice) -> dict:
    user, period, province, geography = choice.user, choice.period, choice.province, choice.geography
    # the table and the table by province share their reads (one province-grouped query per source)
    rows, by_province = selectors.indicator_table_and_provinces(BY_PROVINCE, user=user, period=period,
                                                                province=province, geography=geography)
    by_code = {row.code: row for row in rows}
    trend = selectors.indicator_matrix(TREND, user=user, period=period, province=province, breakdown="year")
    content = selectors.indicator_values("kc_planned", user=user, period=period, province=province,
                                         breakdown="content")
    fund = selectors.indicator_matrix(FUND_CHART, user=user, period=period,
                                      province=province, breakdown="fund")
    return {"rows": rows, "by_code": by_code, "trend": trend, "content": content, "fund": fund,
            "by_province": by_province}


def _province_table(choice: Choice, by_province: dict, *, every_row: bool = False) -> tuple[list, list, int]:
    """Rows of the table by province: each province's values in the columns' order, with its drill-down link."""
    columns = [{"code": code, "name": str(CATALOGUE[code].name), "unit": CATALOGUE[code].unit_label}
               for code in BY_PROVINCE]
    keys: dict = {}
    for code in BY_PROVINCE:
        for value in by_province[code]:
            keys.setdefault(value.key, value.label)
    index = {code: {v.key: v for v in by_province[code]} for code in BY_PROVINCE}
    table = []
    hidden = 0
    for key, label in sorted(keys.items(), key=lambda kv: (kv[0] == selectors.NO_PLACE, str(kv[0]).zfill(3))):
        link = None
        if choice.geography == "current" and key != selectors.NO_PLACE and choice.scope.national and not \
                choice.province:
            link = "?" + choice.query(province=key)
        cells = [index[code].get(key) for code in BY_PROVINCE]
        if not every_row and choice.scope.national and not any(v and v.value for v in cells):
            hidden += 1
            continue  # a province with no figure at all: counted in the note under the table
        table.append({"key": key, "label": label, "link": link,
                      "cells": [v or _zero(code, key, label) for code, v in zip(BY_PROVINCE, cells, strict=True)]})
    return columns, table, hidden


def _zero(code: str, key, label: str):
    """A province without any row of a count or an amount has 0 of it; a rate without a denominator has none."""
    indicator = CATALOGUE[code]
    return selectors.IndicatorValue(key=key, label=label, value=None if indicator.is_rate else 0,
                                    unit=indicator.unit, unit_label=str(indicator.unit_label))


def _chart_data(choice: Choice, data: dict) -> dict:
    by_code = data["by_code"]
    trend = data["trend"]
    years = [v.key for v in trend["projects"]]
    return {
        "geography": choice.geography_label,
        "period": choice.period.label,
        "trend": {
            "years": years,
            "series": [{"code": code, "name": str(CATALOGUE[code].name), "unit": CATALOGUE[code].unit,
                        "values": [v.value for v in trend[code]]} for code in TREND],
        },
        "content": [{"name": v.label, "value": v.value, "display": v.display} for v in data["content"] if v.value],
        "fund": {
            "funds": [str(FUND_SHORT.get(key, key)) for key in _fund_keys(data["fund"])],
            "series": [{"name": str(SHORT[code]),
                        "values": [next((v.value for v in data["fund"][code] if v.key == key), 0)
                                   for key in _fund_keys(data["fund"])]}
                       for code in FUND_CHART],
        },
        "funnel": [{"name": str(CATALOGUE[code].name), "short": str(SHORT[code]), "value": by_code[code].value,
                    "display": by_code[code].display} for code in FUNNEL],
        # Provinces with a collaborator only: 34 bars at 0 % say nothing.
        "coverage": [{"name": _short_place(v.label), "value": float(v.value)}
                     for v in data["by_province"]["commune_coverage_rate"]
                     if v.key != selectors.NO_PLACE and v.value],
    }


def _fund_keys(fund: dict) -> list[str]:
    keys = {v.key for values in fund.values() for v in values}
    return [key for key in ("national", "local") if key in keys]


def _short_place(name: str) -> str:
    """"Tỉnh Lai Châu" → "Lai Châu", "Thành phố Cần Thơ" → "TP Cần Thơ": labels under a chart's bars."""
    for prefix, short in (("Thành phố ", "TP "), ("Tỉnh ", "")):
        if name.startswith(prefix):
            return short + name[len(prefix):]
    return name


@login_required
def dashboard(request):
    try:
        _require_scope(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    choice = Choice(request)
    data = _dashboard_data(choice)
    columns, province_rows, hidden = _province_table(choice, data["by_province"])
    by_code = data["by_code"]
    province_code = choice.province.code if choice.province else None
    cards = [{"row": by_code[code], "link": drill_url(code, year=choice.year, province_code=province_code)}
             for code in CARDS]
    groups = []
    for group, label in GROUPS.items():
        items = [{"row": row, "link": drill_url(row.code, year=choice.year, province_code=province_code)}
                 for row in data["rows"] if row.group == group]
        groups.append({"label": label, "items": items})
    late = selectors.late_projects(user=request.user, period=choice.period, province=choice.province)
    points = selectors.map_points(user=request.user, period=choice.period, province=choice.province)
    return render(request, "reporting/dashboards/dashboard.html", {
        "choice": choice, "cards": cards, "groups": groups, "columns": columns, "province_rows": province_rows,
        "hidden_provinces": hidden,
        "late": late, "late_link": drill_url("projects_late", year=choice.year, province_code=province_code),
        "charts": _chart_data(choice, data), "points": points,
        "map_areas": _map_areas(choice, data["by_province"]), "map_figure": CATALOGUE[MAP_FIGURE],
        "tiles": {"url": settings.KC_MAP_TILE_URL, "attribution": settings.KC_MAP_TILE_ATTRIBUTION},
        "years": _year_options(choice), "provinces": _provinces(choice), "quarters": QUARTERS,
        "legacy_allowed": selectors.legacy_allowed(choice.period),
        "late_rows": [by_code[c] for c in ("projects_late", "projects_late_progress", "projects_late_acceptance",
                                           "projects_late_settlement")],
        "coverage": by_code["commune_coverage_rate"], "collaborators": by_code["collaborators_active"],
        "export_query": choice.query(),
    })


MAP_FIGURE = "establishments_supported"


def _map_areas(choice: Choice, by_province: dict) -> list[dict]:
    """The map's choropleth: supported establishments by today's province, the values of the table by province (a
    province without any is 0 there too). The former provinces have no outline: none then."""
    if choice.geography != "current":
        return []
    values = {v.key: v for v in by_province[MAP_FIGURE] if v.key != selectors.NO_PLACE}
    if not choice.province:
        for unit in AdminUnit.objects.filter(scheme="current", level="province").values("code", "name"):
            values.setdefault(unit["code"], _zero(MAP_FIGURE, unit["code"], unit["name"]))
    return [{"code": v.key, "value": float(v.value) if v.value is not None else None, "display": v.display}
            for v in values.values()]


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value, unit: str):
    """Numbers stay numbers in the sheet: đồng and counts as integers, rates with one decimal."""
    if value is None:
        return None
    if unit == PERCENT:
        return f"{value:.1f}".replace(".", ",")  # the sheet writer keeps integers only as numbers
    return int(value)


@login_required
def dashboard_export(request):
    """The dashboard's tables in one workbook: the indicators, the table by province, the trend."""
    try:
        _require_scope(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    choice = Choice(request)
    data = _dashboard_data(choice)
    rows = [[n, str(GROUPS[row.group]), row.name, str(row.unit_label), _cell(row.value, row.unit), row.code]
            for n, row in enumerate(data["rows"], start=1)]
    columns, province_rows, _hidden = _province_table(choice, data["by_province"], every_row=True)
    head = [_("Province") if choice.geography == "current" else _("Former province")]
    head += [f"{c['name']} ({c['unit']})" for c in columns]
    body = [[r["label"], *[_cell(v.value, v.unit) if v else None for v in r["cells"]]] for r in province_rows]
    totals = [_("Total")]
    for code in BY_PROVINCE:
        totals.append(_cell(data["by_code"][code].value, CATALOGUE[code].unit))
    body.append(totals)
    trend = data["trend"]
    trend_head = [_("Year"), *[f"{CATALOGUE[c].name} ({CATALOGUE[c].unit_label})" for c in TREND]]
    trend_body = [[year, *[_cell(trend[c][i].value, CATALOGUE[c].unit) for c in TREND]]
                  for i, year in enumerate(v.key for v in trend["projects"])]
    title = _("KC indicators — %(place)s — %(period)s") % {"place": choice.place_label,
                                                            "period": choice.period.label}
    content = write_table(
        title=title, headers=[_("No."), _("Group"), _("Indicator"), _("Unit"), _("Value"), _("Code")], rows=rows,
        sheet_name=_("Indicators"), widths=[6, 26, 48, 14, 20, 28], notes=choice.notes_for_export(),
        extra_sheets=[(_("By province"), head, body), (_("Trend"), trend_head, trend_body)])
    place = f"-{choice.province.code:02d}" if choice.province else ""
    return _xlsx(content, f"chi-tieu-khuyen-cong-{choice.period}{place}-{choice.geography}.xlsx")


# --- the catalogue --------------------------------------------------------------------------------------------------


def _catalogue_rows():
    for group, label in GROUPS.items():
        items = [i for i in CATALOGUE.values() if i.group == group]
        yield label, items


@login_required
def indicator_catalogue(request):
    return render(request, "reporting/dashboards/catalogue.html", {
        "groups": list(_catalogue_rows()), "breakdowns": BREAKDOWNS})


@login_required
def indicator_catalogue_export(request):
    rows = [[i.code, str(i.name), str(i.unit_label), str(i.definition), str(i.formula),
             ", ".join(str(BREAKDOWNS[b]) for b in i.breakdowns)] for i in CATALOGUE.values()]
    content = write_table(
        title=_("Catalogue of KC indicators"),
        headers=[_("Code"), _("Indicator"), _("Unit"), _("Definition"), _("How it is computed"), _("Breakdowns")],
        rows=rows, sheet_name=_("Indicators"), widths=[28, 36, 12, 60, 70, 40],
        notes=[_("Generated on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}])
    return _xlsx(content, "danh-muc-chi-tieu-khuyen-cong.xlsx")


# --- comparison of provinces ----------------------------------------------------------------------------------------


def _compare_codes(request) -> list[str]:
    codes = [c for c in request.GET.getlist("codes") if c in CATALOGUE]
    return codes or list(COMPARE_DEFAULT)


def _comparison(request) -> tuple["Choice", str, list[str], dict]:
    """What the comparison page and its export share: the choice, the normaliser, the indicators and the data."""
    choice = Choice(request)
    norm = request.GET.get("norm", "")
    norm = norm if norm in NORMALISERS else ""
    codes = _compare_codes(request)
    data = selectors.province_comparison(user=request.user, period=choice.period, codes=codes, norm=norm,
                                         geography=choice.geography)
    return choice, norm, codes, data


@login_required
def compare(request):
    try:
        _require_scope(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    choice, norm, codes, data = _comparison(request)
    query = choice.query(norm=norm)
    query += "".join(f"&codes={c}" for c in codes)
    return render(request, "reporting/dashboards/compare.html", {
        "choice": choice, "data": data, "codes": codes, "norm": norm, "norms": _norm_labels(),
        "norm_label": _norm_labels()[norm], "quarters": QUARTERS,
        "catalogue": list(_catalogue_rows()), "years": _year_options(choice), "export_query": query,
        "legacy_allowed": selectors.legacy_allowed(choice.period),
    })


@login_required
def compare_export(request):
    try:
        _require_scope(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    choice, norm, _codes, data = _comparison(request)
    head = [_("Province") if choice.geography == "current" else _("Former province")]
    for column in data["columns"]:
        head += [f"{column['name']} ({column['unit']})"]
        if column["normalised"]:
            head.append(f"{column['name']} — {_norm_labels()[norm].lower()}")
        head += [_("Rank"), _("Same period a year earlier"), _("Change (%)")]
    body = []
    for province in data["provinces"]:
        line = [province["label"]]
        for column in data["columns"]:
            cell = column["cells"][province["key"]]
            unit = CATALOGUE[column["code"]].unit
            line.append(_cell(cell["value"], unit))
            if column["normalised"]:
                line.append(f"{cell['shown']:.2f}".replace(".", ",") if cell["shown"] is not None else None)
            change = f"{cell['change']:.1f}".replace(".", ",") if cell["change"] is not None else None
            line += [cell.get("rank"), _cell(cell["previous"], unit), change]
        body.append(line)
    totals = [_("Total")]
    for column in data["columns"]:
        totals.append(_cell(column["total"], CATALOGUE[column["code"]].unit))
        totals += [None] * ((1 if column["normalised"] else 0) + 3)
    body.append(totals)
    notes = [*choice.notes_for_export(), _norm_labels()[norm],
             _("Trend: compared with %(period)s.") % {"period": data["previous_period"].label}]
    content = write_table(title=_("Comparison of provinces — %(period)s") % {"period": choice.period.label},
                          headers=head, rows=body, sheet_name=_("Comparison"), notes=notes)
    return _xlsx(content, f"so-sanh-tinh-{choice.period}-{choice.geography}.xlsx")
