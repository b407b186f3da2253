"""The maps with no internet at all: every request off this machine is refused, and the country and province outlines
still render (SVG paths), with the province coloured by the page's figure, its legend in Vietnamese, and the points;
a tile layer only when KC_MAP_TILE_URL is set."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, commune_of, make_user
from khuyencong.network.tests.factories import make_collaborator
from khuyencong.projects.tests.factories import make_establishment

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page) -> list[str]:
    """Refuses every request to another host, as on a network with no internet; returns the refused addresses."""
    refused: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_coverage_map_draws_the_outlines_offline(live_server, page, screenshot, admin_units):
    make_user(role="centre_staff", province_code=12, username="ttkc.bando")
    covered = commune_of(12, 3)
    make_collaborator(12, communes=[covered])
    make_establishment(12, commune=covered, latitude=Decimal("22.396"), longitude=Decimal("103.458"))
    make_establishment(12, commune=commune_of(12, 5), latitude=Decimal("22.41"), longitude=Decimal("103.27"))
    refused = offline(page)
    login(page, live_server, "ttkc.bando", PASSWORD)
    page.goto(f"{live_server.url}/network/coverage/?province=12")
    node = page.locator("#coverage-map")
    expect(node).to_have_attribute("data-state", "drawn", timeout=120_000)  # the first request builds the outlines
    expect(node.locator("svg path.kc-map-province")).to_have_count(34)
    expect(node.locator("svg path.kc-map-country")).to_have_count(1)
    expect(node.locator("canvas")).to_have_count(1)  # the two establishments
    assert node.get_attribute("data-points") == "2"
    legend = node.locator(".kc-map-legend")
    expect(legend).to_contain_text("Tỷ lệ xã có cộng tác viên")
    expect(legend).to_contain_text("%")
    # Lai Châu is framed: its outline fills most of the map.
    focus = node.locator("svg path.kc-map-province[stroke='#212529']")
    expect(focus).to_have_count(1)
    page.wait_for_function(  # framing is immediate (no zoom animation); a slow machine may still lay out late
        """() => {
            const box = document.querySelector('#coverage-map').getBoundingClientRect();
            const shape = document.querySelector("#coverage-map svg path.kc-map-province[stroke='#212529']")
                .getBoundingClientRect();
            return shape.width > box.width * 0.5 || shape.height > box.height * 0.5;
        }""",
        timeout=10_000,
    )
    expect(node.locator(".leaflet-tile-pane img")).to_have_count(0)  # no tile server set: no tile asked for
    node.scroll_into_view_if_needed()
    screenshot(page, "maps-01-coverage-offline")
    node.screenshot(path=str(ARTIFACTS / "maps-01-coverage-offline-map.png"))
    assert refused == []  # nothing on the page even tried to leave the machine


def test_dashboard_map_colours_the_provinces_offline(live_server, page, phone, screenshot, admin_units):
    make_user(role="ministry_officer", province_code=None, username="cuc.bando")
    refused = offline(page)
    login(page, live_server, "cuc.bando", PASSWORD)
    page.goto(f"{live_server.url}/reporting/?period=2025")
    node = page.locator("#kc-map")
    expect(node).to_have_attribute("data-state", "drawn", timeout=120_000)
    expect(node.locator("svg path.kc-map-province")).to_have_count(34)
    expect(node.locator("svg path.kc-map-country")).to_have_count(1)
    expect(node.locator(".kc-map-legend")).to_contain_text("Cơ sở được hỗ trợ")
    node.scroll_into_view_if_needed()
    screenshot(page, "maps-02-dashboard-offline")
    node.screenshot(path=str(ARTIFACTS / "maps-02-dashboard-offline-map.png"))
    assert refused == []

    offline(phone)
    login(phone, live_server, "cuc.bando", PASSWORD)
    phone.goto(f"{live_server.url}/reporting/?period=2025&province=80")
    node = phone.locator("#kc-map")
    expect(node).to_have_attribute("data-state", "drawn", timeout=120_000)
    expect(node.locator("svg path.kc-map-province[stroke='#212529']")).to_have_count(1)  # Tây Ninh, framed
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    node.scroll_into_view_if_needed()
    screenshot(phone, "maps-03-dashboard-province-phone")
    node.screenshot(path=str(ARTIFACTS / "maps-03-dashboard-province-phone-map.png"))


def test_a_tile_layer_only_when_set(live_server, page, settings, admin_units):
    # A tile server on our own origin (the policy allows only ours in tests): the tiles are asked for.
    settings.KC_MAP_TILE_URL = f"{live_server.url}/static/tiles-test/{{z}}/{{x}}/{{y}}.png"
    settings.KC_MAP_TILE_ATTRIBUTION = "Bản đồ nền thử nghiệm"
    make_user(role="ministry_officer", province_code=None, username="cuc.tiles")
    offline(page)
    login(page, live_server, "cuc.tiles", PASSWORD)
    page.goto(f"{live_server.url}/reporting/?period=2025")
    node = page.locator("#kc-map")
    expect(node).to_have_attribute("data-state", "drawn", timeout=120_000)
    assert node.locator(".leaflet-tile-pane img").count() > 0
    expect(node.locator(".leaflet-control-attribution")).to_contain_text("Bản đồ nền thử nghiệm")
    expect(node.locator("svg path.kc-map-province")).to_have_count(34)  # the outlines stay over the tiles
