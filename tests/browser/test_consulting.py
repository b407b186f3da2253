"""Consulting services in the browser: the Lai Châu centre quotes, signs, assigns an engineer (refused for an expired
certificate, then accepted), logs two supervision visits from a phone, invoices, records the money and liquidates;
the revenue report shows it. A client with a KC project on the same work is flagged before signing."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User
from khuyencong.accounts.tests.factories import province
from khuyencong.consulting import services
from khuyencong.consulting.catalogue import load_service_lines
from khuyencong.consulting.models import Contract
from khuyencong.consulting.tests.helpers import commune_of, make_contract
from khuyencong.projects.models import ProjectBeneficiary
from khuyencong.projects.tests.factories import make_establishment, make_project

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def centre(admin_units):
    call_command("load_rules", verbosity=0)
    load_service_lines()
    accounts_demo.seed()
    staff = User.objects.get(username="ttkc.laichau")
    today = datetime.date.today()
    services.client_create(actor=staff, province=province(12), name="Công ty TNHH Điện nước Tam Đường",
                           tax_code="6200123456")
    services.certificate_add(actor=staff, engineer=staff, province=province(12), kind="supervision_electrical",
                             number="GSĐ-CU", issued_on=datetime.date(2019, 1, 1),
                             expires_on=today - datetime.timedelta(days=3))
    return staff


def test_centre_quotes_signs_supervises_invoices_and_liquidates(live_server, page, phone, screenshot, centre):
    staff, url = centre, live_server.url
    today = datetime.date.today()
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{url}/consulting/quotations/")
    page.get_by_label("Khách hàng").select_option(label="Công ty TNHH Điện nước Tam Đường")
    page.get_by_label("Lĩnh vực dịch vụ").select_option(label="Tư vấn giám sát thi công công trình điện")
    page.get_by_label("Phạm vi công việc").fill("Giám sát thi công trạm biến áp 250 kVA xưởng chè")
    page.get_by_label("Giá chưa thuế GTGT (đồng)").fill("100.000.000")
    page.get_by_role("button", name="Lập báo giá").click()
    expect(page.get_by_test_id("quotation-total")).to_have_text("110.000.000 ₫")
    page.get_by_role("button", name="Gửi khách hàng").click()
    page.get_by_role("button", name="Khách hàng chấp nhận").click()
    page.get_by_role("link", name="Lập hợp đồng").click()
    page.get_by_label("Số hợp đồng").fill("01/2026/HĐ-TVGS")
    page.get_by_label("Địa điểm (xã, phường)").select_option(index=1)
    page.get_by_label("Kết thúc").fill((today + datetime.timedelta(days=60)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi nhận hợp đồng").click()
    page.get_by_role("button", name="Ký hợp đồng").click()
    expect(page.locator("h1")).to_contain_text("Đã ký")
    # the expired certificate refuses the engineer, naming it and its expiry date
    page.get_by_label("Kỹ sư").select_option(value=str(staff.pk))
    page.get_by_role("button", name="Giao", exact=True).click()
    expired = (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    expect(page.locator("#assign")).to_contain_text("GSĐ-CU")
    expect(page.locator("#assign")).to_contain_text(f"đã hết hạn ngày {expired}")
    screenshot(page, "consulting-01-certificate-refused")
    services.certificate_add(actor=staff, engineer=staff, province=province(12), kind="supervision_electrical",
                             number="GSĐ-MOI", issued_on=datetime.date(2024, 1, 1),
                             expires_on=today + datetime.timedelta(days=700))
    page.get_by_label("Kỹ sư").select_option(value=str(staff.pk))
    page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.get_by_test_id("assigned")).to_contain_text("GSĐ-MOI")
    page.get_by_role("button", name="Bắt đầu thực hiện").click()
    contract = Contract.objects.get(number="01/2026/HĐ-TVGS")
    # two visits from a phone
    login(phone, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    for findings in ("Kiểm tra móng trạm, tiếp địa: đạt.", "Lắp đặt máy biến áp, tủ điện: đạt."):
        phone.goto(f"{url}/consulting/contracts/{contract.pk}/#visit")
        phone.get_by_label("Kết quả kiểm tra").fill(findings)
        phone.get_by_role("button", name="Lưu lần kiểm tra").click()
        expect(phone.locator("#visit")).to_contain_text(findings)
    expect(phone.get_by_test_id("visit")).to_have_count(2)
    screenshot(phone, "consulting-02-phone-visits")
    # invoice, money received, acceptance, liquidation
    page.goto(f"{url}/consulting/contracts/{contract.pk}/")
    page.get_by_label("Số hóa đơn").fill("0000123")
    page.get_by_label("Số tiền (đồng)").fill("110.000.000")
    page.get_by_role("button", name="Ghi nhận hóa đơn").click()
    expect(page.locator("#money")).to_contain_text("0000123")
    page.get_by_label("Số tiền đã thu (đồng)").fill("110.000.000")
    page.get_by_role("button", name="Ghi nhận tiền đã thu").click()
    expect(page.get_by_test_id("outstanding")).to_have_text("0 ₫")
    page.get_by_role("button", name="Ghi nhận nghiệm thu").click()
    page.get_by_role("button", name="Thanh lý hợp đồng").click()
    expect(page.locator("h1")).to_contain_text("Đã thanh lý")
    expect(page.get_by_role("link", name="PDF").last).to_be_visible()
    screenshot(page, "consulting-03-liquidated")
    page.goto(f"{url}/consulting/revenue/?year={today.year}")
    expect(page.get_by_test_id("revenue-received")).to_have_text("110.000.000 ₫")
    screenshot(page, "consulting-04-revenue")


def test_conflict_flag_names_the_kc_project(live_server, page, screenshot, centre):
    staff = centre
    today = datetime.date.today()
    site = commune_of(12)
    est = make_establishment(12, name="HTX chè Tam Đường", tax_code="6200999888", commune=site)
    project = make_project(12, status="in_progress", commune=site, title="Hỗ trợ máy sao chè Tam Đường",
                           start_date=today, end_date=today + datetime.timedelta(days=200))
    ProjectBeneficiary.objects.create(project=project, establishment=est, checked_on=today)
    contract = make_contract(staff, establishment=est, tax_code="6200999888", start=today,
                             end=today + datetime.timedelta(days=60))
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/consulting/contracts/{contract.pk}/")
    expect(page.get_by_test_id("conflict-flag")).to_contain_text(project.code)
    expect(page.get_by_test_id("conflict-flag")).to_contain_text("Hỗ trợ máy sao chè Tam Đường")
    expect(page.get_by_role("button", name="Ký hợp đồng")).to_be_disabled()
    screenshot(page, "consulting-05-conflict")
