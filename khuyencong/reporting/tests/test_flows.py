"""The report lifecycle table: which actions a user is offered, and why the others are unavailable."""

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.reporting import flows
from khuyencong.reporting.models import ReportStatus

from .scope_cases_reports import make_report

D = datetime.date
pytestmark = pytest.mark.django_db


AFTER_Q2 = D(2026, 7, 10)


def _options(report, user, today=AFTER_Q2):
    return {o.action: o for o in flows.report_flow.options(report, user, on_date=today)}


def test_every_state_has_its_actions():
    assert {t.action for t in flows.TRANSITIONS} == {"submit", "approve", "lock", "return", "unlock"}
    reachable = {t.target for t in flows.TRANSITIONS} | {ReportStatus.DRAFT}
    assert reachable == set(ReportStatus.values)


def test_draft_offers_submit_with_reasons():
    officer = make_user(role=Role.DOIT_OFFICER, province_code=12)
    report = make_report(12, period="2026-Q2")
    options = _options(report, officer, today=D(2026, 6, 1))
    assert list(options) == ["submit"] and not options["submit"].allowed
    assert options["submit"].reasons == ["Kỳ báo cáo kết thúc ngày 30/06/2026: có thể gửi báo cáo từ ngày hôm sau."]
    assert _options(report, officer)["submit"].allowed


def test_submitted_offers_approve_and_return_to_the_approver_only():
    report = make_report(12, state="submitted")
    manager = make_user(role=Role.DOIT_MANAGER, province_code=12)
    officer = make_user(role=Role.DOIT_OFFICER, province_code=12)
    assert {a for a, o in _options(report, manager).items() if o.allowed} == {"approve", "return"}
    refused = _options(report, officer)["approve"]
    assert not refused.allowed
    assert refused.reasons == ["Chỉ Lãnh đạo Sở Công Thương mới thực hiện được thao tác này."]
    assert _options(report, manager)["return"].inputs == ("reason",)


def test_locked_offers_unlock_to_the_ministry_only():
    report = make_report(12, state="locked")
    manager = make_user(role=Role.DOIT_MANAGER, province_code=12)
    ministry = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
    assert list(_options(report, manager)) == ["unlock"] and not _options(report, manager)["unlock"].allowed
    assert _options(report, ministry)["unlock"].allowed
