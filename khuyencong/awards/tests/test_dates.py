"""Validity (31/12 of the issue year + 2) and the complaint deadlines (working days) around year ends and holidays."""

import datetime

import pytest

from .. import rules

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("issued", "until"), [
    (datetime.date(2026, 12, 31), datetime.date(2028, 12, 31)),
    (datetime.date(2027, 1, 1), datetime.date(2029, 12, 31)),
    (datetime.date(2027, 2, 28), datetime.date(2029, 12, 31)),
])
def test_validity_ends_on_31_december_of_issue_year_plus_two(issued, until):
    assert rules.valid_until(issued) == until


def test_complaint_deadline_skips_new_year_and_weekends():
    # Announced Thursday 24/12/2026: 15 working days, 1/1/2027 is a holiday.
    assert rules.complaint_deadline(datetime.date(2026, 12, 24)) == datetime.date(2027, 1, 15)


def test_complaint_deadline_skips_tet():
    # Announced Friday 29/01/2027; Tết holidays 5, 8, 9, 10 February 2027.
    assert rules.complaint_deadline(datetime.date(2027, 1, 29)) == datetime.date(2027, 2, 25)


def test_answer_deadline_is_ten_working_days():
    assert rules.answer_deadline(datetime.date(2027, 2, 4)) == datetime.date(2027, 2, 24)
    assert rules.answer_deadline(datetime.date(2027, 3, 1)) == datetime.date(2027, 3, 15)


def test_figures_come_from_rule_rows():
    assert rules.pass_score(datetime.date(2027, 1, 1)).as_int == 70
    low, high = rules.council_size("region", datetime.date(2027, 1, 1))
    assert (low.as_int, high.as_int) == (9, 11)
    assert "Điều 9" in low.basis
