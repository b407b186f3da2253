"""Services of periodic reports: the journey draft → submitted → approved → locked, the snapshot that keeps a
locked report's figures, unlock and return with their reason in the audit trail, and each refusal."""

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.periods import Period
from khuyencong.events.tests.scope_cases import make_course
from khuyencong.reporting import services
from khuyencong.reporting.models import Report, ReportSnapshot, ReportStatus
from khuyencong.reporting.report_selectors import report_figures
from khuyencong.reporting.selectors import indicator_table

from .scope_cases_reports import doit, make_report, report_type

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.lc", full_name="Lò Thị Hoa")


@pytest.fixture
def manager():
    return make_user(role=Role.DOIT_MANAGER, province_code=12, username="ld.sct.lc", full_name="Tẩn Văn Minh")


@pytest.fixture
def ministry():
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.t", full_name="Nguyễn Văn Thành")


def _create(actor, period="2026-Q1", code="doit_quarterly", province=12):
    return services.report_create(actor=actor, report_type=report_type(code), organisation=doit(province),
                                  period=Period.parse(period), today=D(2026, 4, 5))


def _write(report, actor, text="Đã tổ chức các lớp đào tạo nghề."):
    return services.report_update_narrative(actor=actor, report=report, version=report.version,
                                            data={"results": text, "situation": "Tình hình chung."})


def _figure(report_figures: dict, code: str):
    return next(row["value"] for row in report_figures["rows"] if row["code"] == code)


def test_quarterly_report_journey_and_locked_figures_do_not_move(officer, manager):
    report = _create(officer)
    assert report.status == ReportStatus.DRAFT and report.due_date == D(2026, 4, 15)
    _write(report, officer)
    services.report_submit(actor=officer, report=report, today=D(2026, 4, 5))
    services.report_approve(actor=manager, report=report)
    services.report_lock(actor=manager, report=report)
    report = Report.objects.select_related("snapshot").get(pk=report.pk)
    assert report.status == ReportStatus.LOCKED and report.locked_at
    frozen = report.snapshot.data
    assert frozen["period"] == "2026-Q1" and frozen["geography"] == "current" and frozen["rows"]
    before = _figure(frozen, "training_courses")

    # The data changes after locking: a training course held in the quarter.
    make_course(12)
    live = indicator_table(user=manager, period=Period.parse("2026-Q1"), province=report.province,
                           codes=["training_courses"])
    assert live[0].value == (before or 0) + 1  # the live selector sees the new course
    figures, is_frozen = report_figures(user=manager, report=Report.objects.get(pk=report.pk))
    assert is_frozen and _figure(figures, "training_courses") == before  # the locked report does not
    # A report still in draft for the same quarter shows the new course.
    draft = _create(officer, code="province_quarterly")
    live_figures, draft_frozen = report_figures(user=officer, report=draft)
    assert not draft_frozen and _figure(live_figures, "training_courses") == (before or 0) + 1


def test_unlock_needs_the_named_role_and_a_reason_and_is_audited(officer, manager, ministry):
    report = make_report(12, state="locked", actor=manager)
    old_snapshot = report.snapshot_id
    with pytest.raises(PermissionDenied) as refused:
        services.report_unlock(actor=manager, report=report, reason="Sửa số liệu")
    assert refused.value.message == "Chỉ Cán bộ Cục ĐCK mới thực hiện được thao tác này."
    with pytest.raises(InvalidInput) as no_reason:
        services.report_unlock(actor=ministry, report=report, reason="  ")
    assert no_reason.value.field == "reason"
    services.report_unlock(actor=ministry, report=report, reason="Tỉnh báo cáo thiếu số liệu quý")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.snapshot_id is None
    kept = ReportSnapshot.objects.get(pk=old_snapshot)
    assert kept.superseded_at and kept.superseded_reason == "Tỉnh báo cáo thiếu số liệu quý"
    event = audit_events_for(report).filter(action="report.unlock").get()
    assert event.actor == ministry
    assert event.changes["reason"] == [None, "Tỉnh báo cáo thiếu số liệu quý"]
    assert event.changes["status"] == ["locked", "submitted"]
    # Approved again: a new snapshot, the old one still in the history.
    services.report_approve(actor=manager, report=report)
    assert report.snapshots.count() == 2 and report.snapshot_id != old_snapshot


def test_return_for_correction_needs_a_reason_and_reopens_the_draft(officer, manager):
    report = make_report(12, state="submitted", actor=officer)
    with pytest.raises(InvalidInput):
        services.report_return(actor=manager, report=report, reason="")
    services.report_return(actor=manager, report=report, reason="Bổ sung khó khăn")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.return_reason == "Bổ sung khó khăn"
    _write(report, officer, "Đã bổ sung.")
    assert audit_events_for(report).filter(action="report.return").exists()


@pytest.mark.parametrize("role, action, allowed", [
    (Role.CENTRE_STAFF, "submit", True), (Role.DOIT_OFFICER, "submit", True), (Role.VIEWER, "submit", False),
    (Role.FINANCE_OFFICER, "submit", False), (Role.DOIT_OFFICER, "approve", False),
    (Role.CENTRE_STAFF, "approve", False), (Role.DOIT_MANAGER, "approve", True),
    (Role.MINISTRY_OFFICER, "approve", False),
])
def test_who_may_act(role, action, allowed, officer):
    report = make_report(12, state="draft" if action == "submit" else "submitted", actor=officer)
    user = make_user(role=role, province_code=None if role == Role.MINISTRY_OFFICER else 12)
    if allowed:
        services.report_transition(actor=user, report=report, action=action, today=D(2026, 7, 10))
        assert audit_events_for(report).filter(action=f"report.{action}", actor=user).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.report_transition(actor=user, report=report, action=action, today=D(2026, 7, 10))


def test_another_province_cannot_create_or_act(officer):
    tay_ninh = make_user(role=Role.DOIT_MANAGER, province_code=80)
    with pytest.raises(PermissionDenied) as refused:
        _create(tay_ninh)
    assert refused.value.message == "Bạn có vai trò cần thiết nhưng không phải cho tỉnh này."
    report = make_report(12, state="submitted", actor=officer)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=tay_ninh, report=report)


def test_submit_guards_period_and_results(officer):
    report = _create(officer)
    with pytest.raises(InvalidInput) as early:
        services.report_submit(actor=officer, report=report, today=D(2026, 3, 31))
    assert "31/03/2026" in early.value.message
    with pytest.raises(InvalidInput) as empty:
        services.report_submit(actor=officer, report=report, today=D(2026, 4, 2))
    assert empty.value.code == "guard"


def test_bad_input_is_refused_in_vietnamese(officer):
    with pytest.raises(InvalidInput) as wrong_kind:
        _create(officer, period="2026-H1")
    assert wrong_kind.value.field == "period" and "quý" in wrong_kind.value.message
    with pytest.raises(InvalidInput) as future:
        services.report_create(actor=officer, report_type=report_type(), organisation=doit(12),
                               period=Period.parse("2027-Q1"), today=D(2026, 11, 1))
    assert "chưa bắt đầu" in future.value.message
    _create(officer)
    with pytest.raises(Conflict) as twice:
        _create(officer)
    assert twice.value.code == "duplicate" and "Quý I/2026" in twice.value.message


def test_concurrent_narrative_edits_are_detected(officer):
    report = _create(officer)
    opened = report.version
    services.report_update_narrative(actor=officer, report=report, version=opened, data={"results": "Bản A"})
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(Conflict):
        services.report_update_narrative(actor=officer, report=stale, version=opened, data={"results": "Bản B"})
    assert Report.objects.get(pk=report.pk).results == "Bản A"


def test_only_a_draft_is_edited(officer, manager):
    report = make_report(12, state="submitted", actor=officer)
    with pytest.raises(PermissionDenied):
        _write(report, officer)
    with pytest.raises(InvalidInput) as wrong:
        services.report_lock(actor=manager, report=report)
    assert wrong.value.code == "wrong_state"
