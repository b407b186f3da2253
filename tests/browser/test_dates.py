"""Dates on an office machine running English Windows: the field reads and takes dd/mm/yyyy, typed or picked from a
Vietnamese calendar that starts on Monday, and what is saved is the day meant. A phone gets the same text field (never
its native picker, which shows the browser's language) and its date is saved the same."""

import datetime

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user, organisation_for
from khuyencong.projects.models import Project
from khuyencong.projects.tests.factories import make_plan

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
           "Mobile Safari/537.36")


@pytest.fixture
def english_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def android(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True,
                                  has_touch=True, device_scale_factor=2, user_agent=ANDROID)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def draft_form(admin_units):
    """Opens the new-project form as the Lai Châu centre and fills everything but the dates."""
    make_user(role="centre_staff", province_code=12, username="ttkc.dates", full_name="Nguyễn Thị Thu Hà")
    plan = make_plan(year=2027, name="Kế hoạch khuyến công quốc gia 2027")
    centre = organisation_for("kc_centre", 12)

    def open_on(page, live_server):
        login(page, live_server, "ttkc.dates", PASSWORD)
        page.goto(f"{live_server.url}/projects/new/")
        page.get_by_label("Kế hoạch năm").select_option(str(plan.pk))
        page.get_by_label("Loại").select_option("standard")
        page.get_by_label("Tên đề án").fill("Hỗ trợ máy sấy chè")
        page.get_by_label("Đơn vị thực hiện").select_option(str(centre.pk))

    return open_on


def _next_month_15th(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)


def test_english_browser_picks_and_types_day_first(live_server, english_page, phone, screenshot, draft_form):
    page = english_page
    draft_form(page, live_server)
    assert page.evaluate("navigator.language") == "en-US"

    # Picked: the calendar is Vietnamese, weeks start on Monday, the field shows dd/mm/yyyy.
    start = page.get_by_label("Thời gian bắt đầu dự kiến")
    expect(start).to_have_attribute("placeholder", "dd/mm/yyyy")
    start.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    today = datetime.date.today()
    month = calendar.locator("select.flatpickr-monthDropdown-months")
    expect(month.locator("option:checked")).to_have_text(f"Tháng {today.month}")
    year = calendar.get_by_label("Năm")
    expect(year).to_have_value(str(today.year))
    # The year sits beside the month, inside the calendar (a long month name once pushed it out of sight).
    year_box, month_box, box = year.bounding_box(), month.bounding_box(), calendar.bounding_box()
    assert abs(year_box["y"] - month_box["y"]) < 10 and year_box["x"] >= month_box["x"] + month_box["width"] - 1
    assert year_box["x"] + year_box["width"] <= box["x"] + box["width"]
    page.wait_for_timeout(400)  # the calendar fades in
    screenshot(page, "dates-01-picker-desktop-en-browser")
    calendar.get_by_label("Tháng sau").click()
    wanted = _next_month_15th(today)
    calendar.get_by_label(wanted.strftime("%d/%m/%Y")).click()
    expect(start).to_have_value(wanted.strftime("%d/%m/%Y"))
    expect(calendar).to_be_hidden()

    # Typed: an impossible day is refused in Vietnamese and kept as typed; then the right one is saved.
    end = page.get_by_label("Thời gian kết thúc dự kiến")
    end.press_sequentially("31/02/2028")
    end.press("Tab")
    expect(end).to_have_value("31/02/2028")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".invalid-feedback").get_by_text("Nhập ngày theo dạng dd/mm/yyyy")).to_be_visible()
    screenshot(page, "dates-04-impossible-date-refused")
    end = page.get_by_label("Thời gian kết thúc dự kiến")
    expect(end).to_have_value("31/02/2028")
    expect(page.get_by_label("Thời gian bắt đầu dự kiến")).to_have_value(wanted.strftime("%d/%m/%Y"))
    end.fill("")
    end.press_sequentially("9/11/2040")  # one-digit day and month, as people type them
    end.press("Tab")
    expect(end).to_have_value("09/11/2040")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KCQG-2027-12-001")
    project = Project.objects.get()
    assert (project.start_date, project.end_date) == (wanted, datetime.date(2040, 11, 9))

    # The edit form shows the saved days back as dd/mm/yyyy.
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")
    expect(page.get_by_label("Thời gian kết thúc dự kiến")).to_have_value("09/11/2040")

    # A 390 px phone without a native picker (flatpickr's own calendar fits the screen).
    login(phone, live_server, "ttkc.dates", PASSWORD)
    phone.goto(f"{live_server.url}/projects/{project.pk}/edit/")
    phone.get_by_label("Thời gian bắt đầu dự kiến").click()
    expect(phone.locator(".flatpickr-calendar.open")).to_be_in_viewport(ratio=1)
    phone.wait_for_timeout(400)
    screenshot(phone, "dates-02-picker-phone-390")


def test_phone_date_is_day_first_and_saved(live_server, android, screenshot, draft_form):
    draft_form(android, live_server)
    end = android.get_by_label("Thời gian kết thúc dự kiến")
    # Never the phone's own picker: in an English phone browser it shows 11/09/2028 for 9 November.
    expect(end).to_have_attribute("type", "text")
    expect(end).to_have_attribute("inputmode", "numeric")
    end.press_sequentially("9/11/2028")
    end.press("Tab")
    expect(android.locator("input[name=end_date]")).to_have_value("09/11/2028")
    screenshot(android, "dates-03-phone-day-first")
    android.get_by_role("button", name="Lưu").click()
    expect(android.get_by_role("heading", level=1)).to_contain_text("KCQG-2027-12-001")
    assert Project.objects.get().end_date == datetime.date(2028, 11, 9)
