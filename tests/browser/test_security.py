"""Pages work under the Content-Security-Policy (scripts from our static files only): the behaviours that were inline
handlers, the coverage map, the geolocation button and the API documentation, offline. The page fixtures fail a test
on any violation the browser reports."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, commune_of, make_user
from khuyencong.network.tests.factories import make_collaborator, make_field_collaborator, make_regulation
from khuyencong.projects.tests.factories import make_establishment

from .conftest import login, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page, live_server) -> list[str]:
    """Refuses every request to another host, as a network without the Internet would; returns what was asked."""
    asked: list[str] = []
    host = urlsplit(live_server.url).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == host or r.request.url.startswith("data:"):
            r.continue_()
        else:
            asked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return asked


def test_api_docs_render_offline_under_the_policy(live_server, page, screenshot, admin_units):
    asked = offline(page, live_server)
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("khuyencong API")
    assert page.locator(".opblock").count() > 20
    screenshot(page, "security-01-api-docs")
    assert asked == []


def test_select_submits_its_form_and_the_commune_filter_hides(live_server, page, screenshot, admin_units):
    make_regulation(12)
    page.goto(f"{live_server.url}/network/apply/")
    page.locator("#apply-province").select_option("12")  # no button pressed: the select submits
    expect(page).to_have_url(re.compile(r"province=12"))
    boxes = page.locator("#commune-choices [data-name]")
    total = boxes.count()
    assert total > 5
    wanted = commune_of(12, 0)
    page.get_by_placeholder("Tìm xã, phường (gõ có dấu hoặc không dấu)").fill(wanted.short_name.lower())
    expect(page.get_by_label(wanted.name, exact=True)).to_be_visible()
    assert 0 < page.locator("#commune-choices [data-name]:visible").count() < total
    page.get_by_placeholder("Tìm xã, phường (gõ có dấu hoặc không dấu)").fill("")
    assert page.locator("#commune-choices [data-name]:visible").count() == total

    page.goto(f"{live_server.url}/login/")
    page.locator("#kc-lang").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "security-02-language-switched")


def test_coverage_map_draws_the_points(live_server, page, screenshot, admin_units):
    make_user(role="centre_staff", province_code=12, username="ttkc.map")
    covered = commune_of(12, 3)
    make_collaborator(12, communes=[covered])
    make_establishment(12, commune=covered, latitude=Decimal("22.396"), longitude=Decimal("103.458"))
    make_establishment(12, commune=commune_of(12, 5), latitude=Decimal("22.41"), longitude=Decimal("103.27"))
    login(page, live_server, "ttkc.map", PASSWORD)
    page.goto(f"{live_server.url}/network/coverage/?province=12")
    expect(page.locator("#coverage-map.leaflet-container")).to_be_visible()
    expect(page.locator("#coverage-map canvas")).to_have_count(1)
    screenshot(page, "security-03-coverage-map")


def test_geolocation_button_fills_the_position(live_server, browser, screenshot, admin_units):
    _collaborator, user = make_field_collaborator(12)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True, permissions=["geolocation"],
                                  geolocation={"latitude": 22.3964, "longitude": 103.4582, "accuracy": 12})
    mobile = context.new_page()
    violations = watch_csp(mobile)
    try:
        login(mobile, live_server, user.username, PASSWORD)
        mobile.goto(f"{live_server.url}/network/field/new/communication/")
        mobile.get_by_role("button", name="Thêm vị trí GPS của tôi (không bắt buộc)").click()
        expect(mobile.locator("[data-geolocate-status]")).to_contain_text("±12 m")
        assert mobile.locator("[name=latitude]").input_value() == "22.396400"
        assert mobile.locator("[name=longitude]").input_value() == "103.458200"
        screenshot(mobile, "security-04-field-position")
    finally:
        context.close()
    assert violations == []
