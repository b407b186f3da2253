"""A phone whose browser speaks English (en-US): the collaborator's date field still reads and takes dd/mm/yyyy
(7 December is 07/12, never 12/07), an error on the public application form is listed at the top and takes the
focus, a collaborator proposes a new establishment, and an applicant checks their application by number and phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, commune_of
from khuyencong.network.models import EstablishmentProposal, FieldRecord
from khuyencong.network.tests.factories import make_application, make_field_collaborator, make_regulation

from .conftest import login, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert violations == [], "the page broke the Content-Security-Policy"


def test_english_phone_dates_error_summary_proposal_and_status(live_server, english_phone, screenshot, admin_units):
    page = english_phone
    make_regulation(12)
    _, user = make_field_collaborator(12)
    user.set_password(PASSWORD)
    user.save()
    assert page.evaluate("navigator.language") == "en-US"

    # 1. The collaborator's date field: a text field in dd/mm/yyyy with a numeric keypad, not the phone's picker.
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/network/field/new/communication/")
    day = page.get_by_role("textbox", name="Ngày", exact=True)
    expect(day).to_have_attribute("type", "text")
    expect(day).to_have_attribute("inputmode", "numeric")
    expect(day).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(day).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    assert page.locator("input[type=date]").count() == 0
    day.fill("")
    day.press_sequentially("7/12/2025")
    page.get_by_label("Chủ đề").click()
    expect(day).to_have_value("07/12/2025")
    # The browser's pattern check reads the same shapes and speaks Vietnamese when one is wrong.
    assert day.evaluate("el => el.validity.valid") is True
    wrong = day.evaluate("el => { el.value = '12-2025'; const ok = el.checkValidity(); "
                         "const text = el.validationMessage; el.value = '07/12/2025'; return [ok, text]; }")
    assert wrong[0] is False and "dd/mm/yyyy" in wrong[1] and "Please" not in wrong[1]
    page.get_by_label("Chủ đề").fill("Phổ biến chính sách khuyến công")
    page.get_by_label("Số người tham dự").fill("25")
    page.get_by_role("combobox", name="Xã/phường", exact=True).select_option(str(commune_of(12, 0).pk))
    day.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_in_viewport(ratio=1)
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    page.wait_for_timeout(400)
    screenshot(page, "phone-01-date-en-us-browser")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Gửi Trung tâm").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert FieldRecord.objects.get().occurred_on == datetime.date(2025, 12, 7)

    # 2. A new establishment found in the field, proposed from the phone.
    page.goto(f"{live_server.url}/network/establishments/propose/")
    page.get_by_role("button", name="Gửi Trung tâm").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tên cơ sở")
    page.get_by_label("Tên cơ sở").fill("Cơ sở rèn Phong Thổ")
    page.get_by_label("Loại hình cơ sở").select_option("household")
    page.get_by_label("Chủ cơ sở hoặc người đại diện").fill("Vàng A Páo")
    page.get_by_role("combobox", name="Xã/phường", exact=True).select_option(str(commune_of(12, 1).pk))
    screenshot(page, "phone-02-propose-establishment")
    page.get_by_role("button", name="Gửi Trung tâm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ sở rèn Phong Thổ")
    assert EstablishmentProposal.objects.get().commune == commune_of(12, 1)

    # 3. The public application form: the errors are listed at the top and the list takes the focus.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/network/apply/?province=12")
    page.get_by_label("Họ và tên").fill("Giàng Thị Pằng")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Năm sinh")
    expect(page.get_by_label("Họ và tên")).to_have_value("Giàng Thị Pằng")  # nothing typed is lost
    screenshot(page, "phone-03-apply-error-summary")
    summary.get_by_role("link", name="Năm sinh").click()
    expect(page.get_by_label("Năm sinh")).to_be_focused()

    # 4. The applicant checks their application by its number and phone; a wrong pair is simply not found.
    application = make_application(12, name="Lò Thị Xuân")
    page.goto(f"{live_server.url}/network/apply/status/")
    page.get_by_label("Số hồ sơ").fill(application.reference)
    page.get_by_label("Số điện thoại ghi trong hồ sơ").fill("0911 111 111")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_test_id("application-missing")).to_contain_text("Không tìm thấy")
    page.get_by_label("Số điện thoại ghi trong hồ sơ").fill("0987 654 321")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_test_id("application-status")).to_contain_text("Chờ xem xét")
    screenshot(page, "phone-04-application-status")
