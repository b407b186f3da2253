import datetime

import pytest
from django.utils.translation import override

from khuyencong.core.errors import InvalidInput
from khuyencong.core.periods import Period, PeriodKind, month_bounds


@pytest.mark.parametrize("text, start, end, label", [
    ("2026", (2026, 1, 1), (2026, 12, 31), "Năm 2026"),
    ("2026-H1", (2026, 1, 1), (2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026-h2", (2026, 7, 1), (2026, 12, 31), "6 tháng cuối năm 2026"),
    ("2026-Q3", (2026, 7, 1), (2026, 9, 30), "Quý III/2026"),
    ("2024-02", (2024, 2, 1), (2024, 2, 29), "Tháng 2/2024"),
])
def test_parse_label_and_round_trip(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))
    with override("vi"):
        assert period.label == label
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-13", "2026-H3", "1800", "quý 3"])
def test_bad_periods_are_refused_in_vietnamese(text):
    with pytest.raises(InvalidInput) as error:
        Period.parse(text)
    assert error.value.field == "period"


def test_neighbours_cross_years():
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert str(Period.parse("2025-12").next()) == "2026-01"
    assert Period.parse("2026-H2").contains(datetime.date(2026, 7, 1))
    assert not Period.parse("2026-H2").contains(datetime.date(2026, 6, 30))


def test_a_period_is_kind_year_and_number_as_rows_store_it():
    q1 = Period(PeriodKind.QUARTER, 2026, 1)
    assert Period.parse("2026-Q1") == q1 == Period.of("quarter", 2026, 1)
    assert q1.months == [(2026, 1), (2026, 2), (2026, 3)] and q1.key == "2026-Q1"
    assert Period.containing(datetime.date(2026, 5, 9), PeriodKind.QUARTER) == Period.quarter(2026, 2)
    assert Period.containing(datetime.date(2026, 5, 9)) == Period.month(2026, 5)
    assert Period.parse("2026").months[-1] == (2026, 12) and Period.calendar_year(2026).number == 1
    assert month_bounds(2024, 2) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert sorted([Period.parse("2026-Q2"), Period.parse("2026-Q1")]) == [Period.parse("2026-Q1"),
                                                                          Period.parse("2026-Q2")]


def test_a_module_may_accept_only_some_kinds():
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER)
    assert Period.parse("2026-3", kinds=kinds) == Period.month(2026, 3)
    for text in ("2026", "2026-H1", "2026-13"):
        with pytest.raises(InvalidInput) as error, override("vi"):
            Period.parse(text, kinds=kinds)
        assert "2026-Q1" in error.value.message
