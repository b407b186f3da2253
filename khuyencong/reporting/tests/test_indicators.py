"""The indicator catalogue and its selectors: values from the data, scope, breakdowns, errors, a fixed number of
queries, and the history under the former provinces adding up to today's."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as tr

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, NotFound, PermissionDenied
from khuyencong.core.periods import Period
from khuyencong.events.models import Event
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.reporting.indicators import BREAKDOWNS, CATALOGUE, COUNT, PERCENT, SOURCES, VND
from khuyencong.reporting.selectors import (
    format_value,
    indicator_matrix,
    indicator_table,
    indicator_values,
)

from .scope_cases_dashboards import make_figures

D = datetime.date
TODAY = D(2026, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.chitieu")


@pytest.fixture
def lai_chau():
    return make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.chitieu")


def _table(user, period="2026", **kw):
    return {row.code: row.value for row in indicator_table(user=user, period=period, today=TODAY, **kw)}


def test_catalogue_is_consistent():
    required = {"projects", "kc_planned", "kc_allocated", "kc_contracted", "kc_advanced", "kc_disbursed",
                "kc_settled", "disbursement_rate", "counterpart_funds", "establishments_supported", "support_turns",
                "demo_models", "machines_supported", "training_courses", "trainees", "trainees_employed",
                "study_tours", "fairs", "booths", "collaborators_active", "commune_coverage_rate",
                "registrations_converted", "projects_late", "projects_late_progress", "projects_late_acceptance",
                "projects_late_settlement"}
    assert required <= set(CATALOGUE)
    for indicator in CATALOGUE.values():
        assert indicator.unit in (VND, PERCENT, COUNT)
        assert indicator.is_rate == (indicator.unit == PERCENT)
        assert str(indicator.name) and str(indicator.definition) and str(indicator.formula)
        for source, measure in (*indicator.parts, *indicator.denominator):
            assert measure in SOURCES[source].measures, indicator.code
        for breakdown in indicator.breakdowns:
            assert breakdown in BREAKDOWNS
            if breakdown not in ("province",):
                for source in indicator.sources:
                    assert breakdown in SOURCES[source].dims, (indicator.code, breakdown, source)
    # Names are Vietnamese in the interface.
    assert str(CATALOGUE["disbursement_rate"].name) == tr("Disbursement rate (paid out ÷ allocated)") != \
        "Disbursement rate (paid out ÷ allocated)"


def test_values_come_from_the_data_and_respect_the_scope(ministry, lai_chau):
    make_figures(12)
    make_figures(80)
    national = _table(ministry)
    assert national["kc_allocated"] == 1_212_000_000 + 8_080_000_000
    assert national["kc_planned"] == national["kc_allocated"]
    assert national["kc_contracted"] == national["kc_allocated"]
    assert national["kc_advanced"] == 303_000_000 + 2_020_000_000
    assert national["kc_disbursed"] == 606_000_000 + 4_040_000_000
    # "giải ngân" counts advances too: paid out = advances + disbursements − refunds, over the allocated money
    assert national["kc_paid"] == national["kc_advanced"] + national["kc_disbursed"]
    assert national["disbursement_rate"] == Decimal("75.0")
    assert national["counterpart_funds"] == 606_000_000 + 4_040_000_000
    assert national["projects"] == national["projects_national"] == 2 and national["projects_local"] == 0
    assert national["establishments_supported"] == 2 and national["support_turns"] == 4
    assert national["machines_supported"] == 2 and national["demo_models"] == 0
    assert national["training_courses"] == 2 and national["trainees"] == 4 and national["trainees_employed"] == 2
    assert national["projects_late"] == 2 and national["projects_late_progress"] == 2
    assert national["projects_late_acceptance"] == 2 and national["projects_late_settlement"] == 0
    assert national["commune_coverage_rate"] == Decimal("0.0")
    own = _table(lai_chau)
    assert own["kc_allocated"] == 1_212_000_000 and own["projects"] == 1 and own["trainees"] == 2
    # A national user may narrow to a province; a provincial user may not look at another one.
    assert _table(ministry, province=80)["kc_allocated"] == 8_080_000_000
    with pytest.raises(PermissionDenied):
        _table(lai_chau, province=80)
    # Another year shows nothing of 2026; a quarter counts what was approved and paid by its end (approval in
    # March, contract in April, advance in May, disbursement in June; the trainings in May).
    assert _table(ministry, period="2025")["kc_allocated"] == 0
    q1 = _table(ministry, period="2026-Q1")
    assert q1["projects"] == 2 and q1["kc_allocated"] == national["kc_allocated"] and q1["kc_contracted"] == 0
    assert q1["trainees"] == 0 and q1["disbursement_rate"] == Decimal("0.0")
    q2 = _table(ministry, period="2026-Q2")
    assert q2["kc_disbursed"] == national["kc_disbursed"] and q2["trainees"] == 4


def test_breakdowns(ministry):
    make_figures(12)
    make_figures(80, year=2024)
    by_year = indicator_values("kc_allocated", user=ministry, period="2026", breakdown="year", today=TODAY)
    assert [v.key for v in by_year] == list(range(2017, 2027))
    assert {v.key: v.value for v in by_year if v.value} == {2024: 8_080_000_000, 2026: 1_212_000_000}
    by_province = indicator_values("kc_allocated", user=ministry, period="2026", breakdown="province", today=TODAY)
    assert [(v.key, v.value) for v in by_province] == [(12, 1_212_000_000)]
    assert by_province[0].label == "Tỉnh Lai Châu"
    by_content = indicator_values("kc_planned", user=ministry, period="2026", breakdown="content", today=TODAY)
    assert [(v.key, v.value) for v in by_content] == [("machinery", 1_212_000_000)]
    by_fund = indicator_values("projects", user=ministry, period="2026", breakdown="fund", today=TODAY)
    assert [(v.key, v.value) for v in by_fund] == [("national", 1)]
    by_gender = indicator_values("trainees", user=ministry, period="2026", breakdown="gender", today=TODAY)
    assert {v.key: v.value for v in by_gender} == {"female": 1, "male": 1}
    rate = indicator_values("disbursement_rate", user=ministry, period="2026", breakdown="year", today=TODAY)
    assert {v.key: v.value for v in rate if v.value is not None} == {2024: Decimal("75.0"), 2026: Decimal("75.0")}
    matrix = indicator_matrix(["kc_allocated", "kc_disbursed"], user=ministry, period="2024", breakdown="province",
                              today=TODAY)
    assert matrix["kc_disbursed"][0].key == 80 and matrix["kc_disbursed"][0].value == 4_040_000_000


def test_errors_are_clear(ministry):
    with pytest.raises(NotFound) as unknown:
        indicator_values("nope", user=ministry, period="2026")
    assert "nope" in unknown.value.message
    with pytest.raises(InvalidInput) as period:
        indicator_values("projects", user=ministry, period="2026-Q5")
    assert period.value.field == "period"
    with pytest.raises(InvalidInput) as breakdown:
        indicator_values("establishments_supported", user=ministry, period="2026", breakdown="year")
    assert breakdown.value.field == "breakdown"
    with pytest.raises(InvalidInput) as geography:
        indicator_values("projects", user=ministry, period="2026", breakdown="province", geography="legacy")
    assert geography.value.field == "geography"
    with pytest.raises(NotFound):
        indicator_values("projects", user=ministry, period="2026", province=99)


def test_table_costs_a_fixed_number_of_queries(ministry):
    make_figures(12)
    ministry = type(ministry).objects.get(pk=ministry.pk)
    with CaptureQueriesContext(connection) as few:
        indicator_table(user=ministry, period="2026", today=TODAY)
    for code in (80, 92, 79):
        make_figures(code)
    make_figures(12, title="Đề án thứ hai")
    ministry = type(ministry).objects.get(pk=ministry.pk)
    with CaptureQueriesContext(connection) as many:
        rows = indicator_table(user=ministry, period="2026", today=TODAY)
    assert len(many) == len(few) <= len(SOURCES) + 3
    assert {r.code: r.value for r in rows}["projects"] == 5
    snapshot = rows[0].as_dict()
    assert set(snapshot) >= {"code", "name", "unit", "value", "display"}


def test_readable_numbers():
    assert format_value(12_500_000_000, VND) == "12,5 tỷ"
    assert format_value(450_000_000, VND) == "450 triệu"
    assert format_value(Decimal("45.3"), PERCENT) == "45,3 %"
    assert format_value(12345, COUNT) == "12.345"
    assert format_value(None, PERCENT) == "—"


def _commune_from(current_code: int, legacy_code: int) -> AdminUnit:
    """A current commune of the current province formed from communes of the former province."""
    return (AdminUnit.objects.filter(scheme="current", level="commune", province__code=current_code,
                                     predecessors__legacy__level="commune",
                                     predecessors__legacy__province__code=legacy_code)
            .order_by("code").first())


def test_history_adds_up_under_former_and_current_provinces(ministry):
    """2016–2024: Tây Ninh today = Long An (80) + former Tây Ninh (72); Hồ Chí Minh City = HCMC (79) + Bình Dương
    (74) + Bà Rịa–Vũng Tàu (77); Lai Châu unchanged. Figures go to the former province of their commune, of the
    establishment's recorded former unit, or of the event's organiser province at the time."""
    places = [(80, 80), (80, 72), (79, 74), (79, 77), (79, 79), (12, 12)]
    for n, year in enumerate(range(2016, 2025)):
        current, legacy = places[n % len(places)]
        make_figures(current, year=year, commune=_commune_from(current, legacy), allocated=(n + 1) * 100_000_000,
                     trainees=n % 3 + 1, title=f"Đề án lịch sử {year}")
        current2, legacy2 = places[(n + 2) % len(places)]
        make_figures(current2, year=year, commune=_commune_from(current2, legacy2), fund="local",
                     allocated=(n + 3) * 70_000_000, title=f"Đề án địa phương {year}")
    # An event recorded with its organiser's province at the time (Bình Dương) and an establishment with its
    # recorded former unit.
    Event.objects.filter(title__endswith="-2019", province__code=79).update(
        organiser_unit_then=AdminUnit.objects.get(scheme="legacy", level="province", code=74))
    successor = dict(Succession.objects.filter(legacy__level="province").values_list("legacy__code",
                                                                                      "current__code"))
    codes = [c for c, i in CATALOGUE.items() if "province" in i.breakdowns and not i.is_rate]
    for year in range(2016, 2025):
        current = indicator_matrix(codes, user=ministry, period=str(year), breakdown="province", today=TODAY)
        legacy = indicator_matrix(codes, user=ministry, period=str(year), breakdown="province", geography="legacy",
                                  today=TODAY)
        totals = {row.code: row.value for row in indicator_table(user=ministry, period=str(year), today=TODAY,
                                                                 codes=codes)}
        for code in codes:
            now = {v.key: v.value for v in current[code]}
            then = {v.key: v.value for v in legacy[code]}
            assert sum(now.values()) == sum(then.values()) == totals[code], (year, code)
            regrouped: dict = {}
            for legacy_code, value in then.items():
                regrouped[successor.get(legacy_code, legacy_code)] = regrouped.get(
                    successor.get(legacy_code, legacy_code), 0) + value
            assert {k: v for k, v in regrouped.items() if v} == {k: v for k, v in now.items() if v}, (year, code)
    # The former provinces really are shown: Long An and the former Tây Ninh separately in 2017.
    then_2017 = indicator_values("kc_allocated", user=ministry, period="2017", breakdown="province",
                                 geography="legacy", today=TODAY)
    assert {v.key for v in then_2017} == {72, 77}
    assert "Tây Ninh" in next(v.label for v in then_2017 if v.key == 72)
    event_2019 = indicator_values("training_courses", user=ministry, period="2019", breakdown="province",
                                  geography="legacy", today=TODAY)
    assert 74 in {v.key for v in event_2019}


def test_period_objects_and_strings_agree(ministry):
    make_figures(12)
    assert _table(ministry, period=Period.calendar_year(2026)) == _table(ministry, period="2026")
