"""Scores and fees on a hand-checked case: one collaborator, the first quarter of 2026.

Status: active from 10/01, suspended from 01/02, active again from 15/03 → active in January and March (2 months).
Work dated in the quarter: 5 accepted surveys (3 in January, 2 in March; one more waiting and one rejected do not
count), needs registered on 12/01 (accepted) and 20/02 (turned into a project on 18/03) and one rejected, 2 accepted
reports (a session in January, a follow-up visit in March; a session still waiting does not count), 4 tasks due
(2 done on time, 1 late, 1 still open; a cancelled one does not count).

Scheme: 500.000 per active month + 30.000 per survey + 300.000 per conversion + 50.000 per report
  = 1.000.000 + 150.000 + 300.000 + 100.000 = 1.550.000 đồng.
Score (surveys 40 at 4/month, needs 20 at 1/month, conversions 10 at 1/month, reports 10 at 1/month, tasks 20):
  40 × 5/8 + 20 × 2/2 + 10 × 1/2 + 10 × 2/2 + 20 × 2/4 = 25 + 20 + 5 + 10 + 10 = 70,0.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.periods import Period, PeriodKind

from .. import performance, services
from ..models import CollaboratorStatusChange, FeeSheetStatus
from .conftest import LAI_CHAU
from .factories import make_collaborator, make_record, make_regulation, make_task

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = Period(PeriodKind.QUARTER, 2026, 1)
JANUARY = Period(PeriodKind.MONTH, 2026, 1)
FEBRUARY = Period(PeriodKind.MONTH, 2026, 2)


@pytest.fixture
def worked(db):
    collaborator = make_collaborator(LAI_CHAU, start=D(2026, 1, 10))
    CollaboratorStatusChange.objects.create(collaborator=collaborator, status="suspended", on_date=D(2026, 2, 1))
    CollaboratorStatusChange.objects.create(collaborator=collaborator, status="active", on_date=D(2026, 3, 15))
    for day, status in [(D(2026, 1, 12), "accepted"), (D(2026, 1, 20), "accepted"), (D(2026, 1, 28), "accepted"),
                        (D(2026, 3, 16), "accepted"), (D(2026, 3, 20), "accepted"), (D(2026, 3, 25), "submitted"),
                        (D(2026, 1, 15), "rejected"), (D(2025, 12, 30), "accepted")]:
        make_record(collaborator, "survey", occurred_on=day, status=status)
    make_record(collaborator, "need", occurred_on=D(2026, 1, 12), status="accepted", content_code="machinery")
    make_record(collaborator, "need", occurred_on=D(2026, 2, 20), status="converted", content_code="machinery",
                converted_at=timezone.make_aware(datetime.datetime(2026, 3, 18, 9, 0)))
    make_record(collaborator, "need", occurred_on=D(2026, 3, 21), status="rejected", content_code="machinery")
    make_record(collaborator, "communication", occurred_on=D(2026, 1, 22), status="accepted", topic="x",
                participants=10)
    make_record(collaborator, "followup", occurred_on=D(2026, 3, 22), status="accepted")
    make_record(collaborator, "communication", occurred_on=D(2026, 3, 30), status="submitted", topic="y",
                participants=10)
    make_task(collaborator, due_date=D(2026, 1, 20), status="done", done_on=D(2026, 1, 19))
    make_task(collaborator, due_date=D(2026, 1, 31), status="done", done_on=D(2026, 1, 31))
    make_task(collaborator, due_date=D(2026, 3, 20), status="done", done_on=D(2026, 3, 24))
    make_task(collaborator, due_date=D(2026, 3, 28), status="open")
    make_task(collaborator, due_date=D(2026, 3, 10), status="cancelled")
    return collaborator


def test_activity_of_the_quarter(worked):
    activity = performance.activity_for([worked.pk], Q1)[worked.pk]
    assert activity == performance.Activity(surveys=5, registrations=2, conversions=1, reports=2, tasks_due=4,
                                            tasks_on_time=2, months_active=2)


def test_months_active_follow_the_status_history(worked):
    assert performance.activity_for([worked.pk], FEBRUARY)[worked.pk].months_active == 0
    assert performance.activity_for([worked.pk], JANUARY)[worked.pk].months_active == 1


def test_score_and_fees_of_the_quarter(worked):
    regulation = make_regulation(LAI_CHAU)
    activity = performance.activity_for([worked.pk], Q1)[worked.pk]
    assert performance.score(list(regulation.criteria.all()), activity) == Decimal("70.0")
    fees = performance.fees(performance.scheme_of(regulation), activity)
    assert (fees.base_vnd, fees.survey_vnd, fees.conversion_vnd, fees.report_vnd, fees.total_vnd) == (
        1_000_000, 150_000, 300_000, 100_000, 1_550_000)


def test_monthly_cap_limits_the_fee(worked):
    regulation = make_regulation(LAI_CHAU, monthly_cap_vnd=600_000)
    fees = performance.fees(performance.scheme_of(regulation), performance.activity_for([worked.pk], Q1)[worked.pk])
    assert (fees.cap_reduction_vnd, fees.total_vnd) == (350_000, 1_200_000)


def test_january_alone(worked):
    regulation = make_regulation(LAI_CHAU)
    activity = performance.activity_for([worked.pk], JANUARY)[worked.pk]
    # 40 × 3/4 + 20 × 1/1 + 10 × 0 + 10 × 1/1 + 20 × 2/2 = 30 + 20 + 0 + 10 + 20
    assert performance.score(list(regulation.criteria.all()), activity) == Decimal("80.0")
    assert performance.fees(performance.scheme_of(regulation), activity).total_vnd == 500_000 + 90_000 + 50_000


def test_no_active_month_no_score(worked):
    regulation = make_regulation(LAI_CHAU)
    assert performance.score(list(regulation.criteria.all()),
                             performance.activity_for([worked.pk], FEBRUARY)[worked.pk]) is None


def test_fee_sheet_is_signed_off_by_finance_then_paid(worked):
    regulation = make_regulation(LAI_CHAU)
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    finance = make_user(Role.FINANCE_OFFICER, LAI_CHAU)
    sheet = services.fee_sheet_prepare(actor=staff, province=worked.province, period=Q1)
    line = sheet.lines.get()
    assert (line.collaborator, line.months_active, line.total_vnd, line.score) == (worked, 2, 1_550_000,
                                                                                   Decimal("70.0"))
    assert sheet.total_vnd == 1_550_000 and sheet.scheme["regulation"] == regulation.number
    with pytest.raises(PermissionDenied, match="Chỉ kế toán của tỉnh"):
        services.fee_sheet_sign_off(actor=staff, sheet=sheet, version=sheet.version)
    with pytest.raises(InvalidInput, match="sau khi được ký duyệt"):
        services.fee_sheet_mark_paid(actor=finance, sheet=sheet, version=sheet.version, reference="UNC 1")
    services.fee_sheet_sign_off(actor=finance, sheet=sheet, version=sheet.version)
    assert sheet.status == FeeSheetStatus.SIGNED_OFF and sheet.signed_by == finance
    with pytest.raises(InvalidInput, match="kế toán phải trả lại"):
        services.fee_sheet_prepare(actor=staff, province=worked.province, period=Q1)
    with pytest.raises(InvalidInput, match="số chứng từ"):
        services.fee_sheet_mark_paid(actor=finance, sheet=sheet, version=sheet.version, reference="")
    services.fee_sheet_mark_paid(actor=finance, sheet=sheet, version=sheet.version, reference="UNC 15/2026",
                                 paid_on=D(2026, 4, 10))
    assert sheet.status == FeeSheetStatus.PAID and sheet.payment_reference == "UNC 15/2026"


def test_the_preparer_cannot_sign_off_and_a_recompute_invalidates_an_open_form(worked):
    make_regulation(LAI_CHAU)
    both = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    from khuyencong.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, organisation=both.assignments.get().organisation,
                                  role=Role.FINANCE_OFFICER, scope_level="province", province=worked.province)
    sheet = services.fee_sheet_prepare(actor=both, province=worked.province, period=Q1)
    with pytest.raises(PermissionDenied, match="Người lập bảng không được tự ký duyệt"):
        services.fee_sheet_sign_off(actor=make_user_again(both), sheet=sheet, version=sheet.version)
    finance = make_user(Role.FINANCE_OFFICER, LAI_CHAU)
    seen = sheet.version
    services.fee_sheet_prepare(actor=both, province=worked.province, period=Q1)
    from khuyencong.core.errors import Conflict

    with pytest.raises(Conflict):
        services.fee_sheet_sign_off(actor=finance, sheet=sheet, version=seen)


def make_user_again(user):
    """The same person in a fresh request (the role cache of the first object is dropped)."""
    from khuyencong.accounts.models import User

    return User.objects.get(pk=user.pk)


def test_returned_sheet_can_be_recomputed(worked):
    make_regulation(LAI_CHAU)
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    finance = make_user(Role.FINANCE_OFFICER, LAI_CHAU)
    sheet = services.fee_sheet_prepare(actor=staff, province=worked.province, period=Q1)
    services.fee_sheet_sign_off(actor=finance, sheet=sheet, version=sheet.version)
    with pytest.raises(InvalidInput, match="Nêu lý do"):
        services.fee_sheet_return(actor=finance, sheet=sheet, version=sheet.version, reason="")
    services.fee_sheet_return(actor=finance, sheet=sheet, version=sheet.version, reason="Thiếu phiếu của tháng 3")
    again = services.fee_sheet_prepare(actor=staff, province=worked.province, period=Q1)
    assert again.pk == sheet.pk and again.status == FeeSheetStatus.DRAFT and again.lines.count() == 1


def test_periods_parse_and_label():
    assert Period.parse("2026-Q1") == Q1 and Period.parse("2026-01") == JANUARY
    assert (Q1.start, Q1.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert Q1.previous() == Period(PeriodKind.QUARTER, 2025, 4)
    with pytest.raises(InvalidInput):
        Period.parse("2026-13")


def test_no_base_fee_after_the_term_and_late_applicant_rows_do_not_end_activity(db):
    collaborator = make_collaborator(LAI_CHAU, start=D(2025, 11, 1))
    collaborator.term_end = D(2026, 1, 31)
    collaborator.save(update_fields=["term_end"])
    # Typed into the system on 10/02/2026 although appointed in 2025: the applicant row comes after.
    CollaboratorStatusChange.objects.filter(collaborator=collaborator, status="applicant").update(
        on_date=D(2026, 2, 10))
    assert performance.activity_for([collaborator.pk], JANUARY)[collaborator.pk].months_active == 1
    assert performance.activity_for([collaborator.pk], FEBRUARY)[collaborator.pk].months_active == 0
    assert performance.activity_for([collaborator.pk], Q1)[collaborator.pk].months_active == 1
