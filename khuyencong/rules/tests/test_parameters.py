"""Legal parameters (a province's row wins, a date outside every row is refused) and working days (weekends and the
holidays of the rules skipped)."""

import datetime
from decimal import Decimal

import pytest

from khuyencong.core.errors import InvalidInput
from khuyencong.rules import engine
from khuyencong.rules.models import Holiday, Parameter

pytestmark = pytest.mark.django_db

D = datetime.date
JAN_2024 = D(2024, 1, 1)


def _param(value, province_code=None, start=JAN_2024, end=None):
    return Parameter.objects.create(
        key=f"t:{province_code}:{start}", code="test-cap", label="Trần hỗ trợ", value=Decimal(value),
        unit="percent", basis="NĐ 32/2024/NĐ-CP, Điều 26", effective_from=start, effective_to=end,
        province_code=province_code)


def test_the_province_row_wins_over_the_national_one():
    _param("30")
    _param("25", province_code=12)
    assert engine.parameter("test-cap", D(2026, 1, 1)).value == Decimal("30")
    assert engine.parameter("test-cap", D(2026, 1, 1), province=12).value == Decimal("25")
    assert engine.parameter("test-cap", D(2026, 1, 1), province=79).as_int == 30


def test_a_date_no_row_covers_is_refused_with_the_figure_named():
    _param("30", start=D(2025, 1, 1))
    with pytest.raises(InvalidInput) as exc:
        engine.parameter("test-cap", D(2024, 6, 1))
    assert exc.value.code == "rule_missing"
    assert "test-cap" in exc.value.message and "01/06/2024" in exc.value.message


def test_working_days_skip_weekends_and_holidays():
    Holiday.objects.create(key="h1", name="Ngày nghỉ thử", basis="BLLĐ 2019, Điều 112",
                           effective_from=D(2026, 10, 14), effective_to=D(2026, 10, 14))
    # Monday 12/10/2026 + 3 working days: Tue 13, (Wed 14 a holiday), Thu 15, Fri 16.
    assert engine.add_working_days(D(2026, 10, 12), 3) == D(2026, 10, 16)
    # Friday + 1 working day is the next Monday.
    assert engine.add_working_days(D(2026, 10, 16), 1) == D(2026, 10, 19)
    assert engine.working_days_between(D(2026, 10, 12), D(2026, 10, 19)) == 4
    assert engine.working_days_between(D(2026, 10, 19), D(2026, 10, 19)) == 0
    assert not engine.is_working_day(D(2026, 10, 14))
    assert engine.add_working_days(D(2026, 10, 16), 0) == D(2026, 10, 16)


def test_the_loaded_calendar_knows_tet():
    from django.core.management import call_command

    call_command("load_rules", verbosity=0)
    assert not engine.is_working_day(D(2026, 2, 17))  # Tết Bính Ngọ
    assert engine.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
