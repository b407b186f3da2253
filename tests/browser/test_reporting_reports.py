"""Periodic reports in the browser: the DoIT officer of Lai Châu opens the quarterly report, writes it and submits
it; the DoIT manager approves and locks it; the ministry sees it on the completeness page. Desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.reporting.models import Report, ReportStatus
from khuyencong.reporting.tests.scope_cases_reports import report_type

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_users(admin_units):
    accounts_demo.seed()
    report_type()


def _switch(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, accounts_demo.DEMO_PASSWORD)


def test_create_submit_approve_lock(live_server, page, phone, screenshot, demo_users):
    login(page, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reporting/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo định kỳ")
    page.get_by_role("link", name="Lập báo cáo").click()
    page.get_by_label("Loại báo cáo").select_option("doit_quarterly")
    page.get_by_label("Kỳ báo cáo").select_option("2026-Q3")
    screenshot(page, "reports-01-create")
    page.get_by_role("button", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quý III/2026")
    expect(page.locator("#figures")).to_contain_text("Số liệu tính trực tiếp từ dữ liệu")
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_be_disabled()
    expect(page.locator("#actions")).to_contain_text("Cần viết phần kết quả thực hiện trước khi gửi.")
    page.get_by_label("Số văn bản").fill("215/BC-SCT")
    page.get_by_label("I. Tình hình chung").fill("Hoạt động khuyến công quý III/2026 được triển khai theo kế hoạch.")
    page.get_by_label("II. Kết quả thực hiện").fill("Đã ký hợp đồng các đề án và tổ chức các lớp đào tạo nghề.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu báo cáo.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("alert").first).to_contain_text("tình trạng “đã gửi”")
    screenshot(page, "reports-02-submitted")

    _switch(page, live_server, "ld.sct.laichau")
    report = Report.objects.get(period="2026-Q3")
    page.goto(f"{live_server.url}/reporting/reports/{report.pk}/")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("#figures")).to_contain_text("Số liệu đã chốt khi phê duyệt")
    page.get_by_role("button", name="Khóa").click()
    expect(page.get_by_role("alert").first).to_contain_text("tình trạng “đã khóa”")
    expect(page.locator("#actions")).to_contain_text("Chỉ Cán bộ Cục ĐCK mới thực hiện được thao tác này.")
    screenshot(page, "reports-03-locked")
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED and report.snapshot_id

    login(phone, live_server, "ld.sct.laichau", accounts_demo.DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/reporting/reports/{report.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Quý III/2026")
    screenshot(phone, "reports-04-locked-phone")

    _switch(page, live_server, "cuc.dck")
    page.goto(f"{live_server.url}/reporting/reports/completeness/?period=2026-Q3")
    row = page.get_by_role("row", name=re.compile("Tỉnh Lai Châu"))
    expect(row).to_contain_text("Đã khóa")
    expect(page.get_by_role("row", name=re.compile("Tỉnh Tây Ninh"))).to_contain_text("Quá hạn, chưa nộp")
    screenshot(page, "reports-05-completeness")
