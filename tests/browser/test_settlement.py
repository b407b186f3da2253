"""Settlement in the browser: a DoIT appraiser clears one possible double support and upholds another, which becomes a
refund in the project's ledger; the centre records an obstacle, sees the at-risk list and writes a policy proposal."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User
from khuyencong.projects import services as project_services
from khuyencong.projects.models import LedgerEntry, Project
from khuyencong.projects.tests.factories import make_establishment, make_plan
from khuyencong.projects.tests.journey import draft, walk
from khuyencong.registry.models import SupportRecord
from khuyencong.settlement import services
from khuyencong.settlement.models import PolicyProposal

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def findings(admin_units):
    call_command("load_rules", verbosity=0)
    accounts_demo.seed()
    names = {"centre": "ttkc.laichau", "doit": "sct.laichau", "manager": "ld.sct.laichau", "ministry": "cuc.dck",
             "finance": "ketoan.laichau"}
    users = {key: User.objects.get(username=name) for key, name in names.items()}
    establishment = make_establishment(12, name="Hợp tác xã chè Sìn Hồ")
    project = draft(users, make_plan(year=2027, fund="national"), establishment, title="Hỗ trợ máy sao chè Sìn Hồ")
    project = walk(project, users, until="contract")
    project_services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=150_000_000)
    for year, fund, what in ((2027, "local", "Máy sấy chè (ngân sách tỉnh)"), (2025, "national", "Máy vò chè")):
        SupportRecord.objects.create(establishment=establishment, year=year, fund=fund, content_code="machinery",
                                     description=what, amount=60_000_000)
    return project, services.run_checks(actor=users["doit"], project=project)


def test_appraiser_clears_one_finding_and_upholds_another_into_a_refund(live_server, page, screenshot, findings):
    project, found = findings
    assert len(found) == 2
    login(page, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/settlement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phát hiện hỗ trợ trùng")
    expect(page.get_by_test_id("findings")).to_contain_text(project.code)
    screenshot(page, "settlement-01-findings")
    page.goto(f"{live_server.url}/settlement/findings/{found[0].pk}/")
    expect(page.get_by_test_id("side-by-side")).to_contain_text("Đề án này")
    expect(page.get_by_test_id("side-by-side")).to_contain_text("Hồ sơ còn lại")
    page.get_by_label("Lý do kết luận").first.fill("Đã đối chiếu hóa đơn: hai máy khác nhau.")
    page.get_by_role("button", name="Loại trừ: không trùng hỗ trợ").click()
    expect(page.get_by_test_id("finding-status")).to_have_text("Đã loại trừ")
    screenshot(page, "settlement-02-cleared")
    page.goto(f"{live_server.url}/settlement/findings/{found[1].pk}/")
    uphold = page.locator("form", has=page.get_by_role("button", name="Xác nhận trùng hỗ trợ, thu hồi kinh phí"))
    uphold.get_by_label("Lý do kết luận").fill("Cùng máy đã được hỗ trợ, thu hồi phần trùng.")
    uphold.get_by_label(re.compile("Số tiền thu hồi")).fill("50.000.000")
    uphold.get_by_role("button", name="Xác nhận trùng hỗ trợ, thu hồi kinh phí").click()
    expect(page.get_by_test_id("finding-status")).to_have_text("Đã xác nhận trùng")
    expect(page.get_by_test_id("refund")).to_contain_text("50.000.000")
    screenshot(page, "settlement-03-upheld-refund")
    refund = LedgerEntry.objects.get(project=project, kind="REFUND")
    assert refund.amount_vnd == 50_000_000


def test_obstacle_at_risk_and_policy_proposal(live_server, phone, screenshot, findings):
    project, _found = findings
    project_services.project_transition(project=project, action="start", actor=User.objects.get(
        username="ttkc.laichau"))
    # The planned end (the running step's deadline) is ten days away: the project is at risk.
    Project.objects.filter(pk=project.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=10))
    login(phone, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/settlement/projects/{project.pk}/")
    phone.get_by_text("Ghi vướng mắc", exact=True).click()
    phone.locator("#id_kind").select_option("missing_vouchers")
    phone.get_by_label("Mô tả").fill("Thiếu hóa đơn vận chuyển máy.")
    phone.get_by_label("Người xử lý").fill("Kế toán Trung tâm")
    phone.get_by_role("button", name="Ghi vướng mắc này").click()
    expect(phone.get_by_test_id("obstacles")).to_contain_text("Thiếu hóa đơn vận chuyển máy.")
    screenshot(phone, "settlement-04-obstacle-phone")
    phone.goto(f"{live_server.url}/settlement/at-risk/")
    expect(phone.get_by_test_id("at-risk")).to_contain_text(project.code)
    screenshot(phone, "settlement-05-at-risk-phone")
    phone.goto(f"{live_server.url}/settlement/proposals/new/")
    phone.get_by_label("Tiêu đề đề xuất").fill("Quyết toán từng phần khi thiếu chứng từ do bất khả kháng")
    phone.get_by_label("Vấn đề cần giải quyết").fill("Hồ sơ bị Kho bạc trả lại vì thiếu chứng từ.")
    phone.get_by_label("Văn bản đề xuất sửa đổi").select_option("committee_decision")
    phone.get_by_label("Nội dung đề xuất").fill("Cho phép quyết toán phần đã đủ chứng từ.")
    phone.get_by_label(re.compile("Thiếu chứng từ")).check()
    phone.get_by_role("button", name="Lưu bản nháp").click()
    expect(phone.get_by_test_id("proposal-status")).to_have_text("Bản nháp")
    phone.get_by_role("button", name="Trình").click()
    expect(phone.get_by_test_id("proposal-status")).to_have_text("Đã trình")
    screenshot(phone, "settlement-06-proposal-phone")
    assert PolicyProposal.objects.get().obstacles.count() == 1


def test_centre_records_an_invoice_already_settled_in_another_project(live_server, page, screenshot, findings):
    project, _found = findings
    names = {"centre": "ttkc.laichau", "doit": "sct.laichau", "manager": "ld.sct.laichau", "ministry": "cuc.dck",
             "finance": "ketoan.laichau"}
    users = {key: User.objects.get(username=name) for key, name in names.items()}
    settled = walk(draft(users, project.plan, make_establishment(12, name="Hộ kinh doanh chè Nậm Tăm"),
                         title="Hỗ trợ máy vò chè Nậm Tăm"), users, until="submit_settlement")
    services.invoice_add(actor=users["finance"], project=settled, data={
        "supplier_tax_code": "0100109106", "supplier_name": "Công ty Cơ khí Hà Nội", "number": "0000571",
        "issued_on": datetime.date(2026, 8, 20), "amount": 300_000_000})
    settled = walk(settled, users, until="settle")
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/settlement/projects/{project.pk}/")
    page.get_by_text("Ghi hóa đơn", exact=True).click()
    page.get_by_label("Mã số thuế bên bán").fill("0100 109 106")
    page.get_by_label("Số hóa đơn").fill("571")
    page.get_by_label("Ngày hóa đơn").fill("20/08/2026")
    page.get_by_label("Số tiền của hóa đơn (đồng)").fill("120.000.000")
    page.get_by_role("button", name="Ghi hóa đơn này").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi hóa đơn")
    expect(page.get_by_test_id("invoices")).to_contain_text("120.000.000")
    expect(page.get_by_test_id("hits")).to_contain_text(f"đã có trong hồ sơ quyết toán của đề án {settled.code}")
    expect(page.get_by_test_id("hits")).to_contain_text("Điều 7 khoản 4")
    screenshot(page, "settlement-07-same-invoice")
