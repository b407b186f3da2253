"""The first journey: sign in, reach the home page with real figures, open the organisations and units pages."""

import re

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_reach_home(live_server, page, screenshot, admin_units):
    make_user(role="centre_staff", province_code=12, username="ttkc.browser", full_name="Nguyễn Thị Thu Hà")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    screenshot(page, "01-login")
    login(page, live_server, "ttkc.browser", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    figures = page.get_by_test_id("home-figures")
    expect(figures).to_contain_text("38")  # Lai Châu's communes today
    expect(page.locator("body")).to_contain_text("Lai Châu")
    screenshot(page, "02-home-desktop")

    # The menu fits the desktop width: nothing is pushed off the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    nav = page.get_by_role("navigation")
    nav.get_by_role("button", name="Danh mục").click()  # reference data is grouped under one menu
    nav.get_by_role("link", name="Tổ chức").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổ chức")
    screenshot(page, "03-organisations")


def test_phone_home_and_menu(live_server, phone, screenshot, admin_units):
    make_user(role="doit_officer", province_code=80, username="sct.browser", full_name="Lê Minh Tâm")
    login(phone, live_server, "sct.browser", PASSWORD)
    expect(phone.get_by_test_id("home-figures")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("Tây Ninh")
    screenshot(phone, "04-home-phone")
    phone.get_by_role("button", name="Mở menu").click()
    # The menu slides open: its links take clicks once the slide is over ("collapse show", no longer "collapsing").
    expect(phone.locator("#kc-nav")).to_have_class(re.compile(r"\bshow\b"))
    nav = phone.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Báo cáo", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Báo cáo định kỳ")).to_be_visible()
    catalogues = nav.get_by_role("button", name="Danh mục")
    catalogues.click()
    expect(catalogues).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Đơn vị HC")).to_be_visible()
    phone.wait_for_timeout(400)  # let the menu finish opening before the picture
    screenshot(phone, "05-menu-phone")


def test_wrong_password_keeps_username(live_server, page, admin_units):
    make_user(role="viewer", province_code=12, username="xem.browser")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("xem.browser")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("xem.browser")
