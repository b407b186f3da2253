"""The national KC dashboard on the demo data: cards, ECharts charts in Vietnamese, the Leaflet map without tiles,
the drill-down to a province and to the records, the former provinces; at desktop and phone size."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The page's content fits its column (the top menu is the base template's, checked on the phone below).
FITS = "(() => { const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth; })()"


def _charts_drawn(page) -> None:
    for chart in ("chart-trend", "chart-funnel", "chart-content", "chart-fund", "chart-coverage"):
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()
    expect(page.locator("#kc-map .leaflet-pane").first).to_be_attached()
    assert int(page.locator("#kc-map").get_attribute("data-points")) > 0


def test_national_dashboard_with_demo_data(live_server, page, phone, screenshot, admin_units):
    call_command("seed_demo", verbosity=0)
    login(page, live_server, "cuc.dck", "khuyencong2026")
    page.goto(f"{live_server.url}/reporting/?period=2025")
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu khuyến công — Toàn quốc")
    expect(page.get_by_role("link", name="Báo cáo", exact=True).first).to_be_visible()
    cards = page.get_by_test_id("cards")
    expect(cards).to_contain_text("Kinh phí khuyến công được giao")
    expect(cards).to_contain_text("tỷ")
    expect(page.get_by_test_id("geography-note")).to_contain_text("Theo 34 tỉnh, thành phố hiện nay")
    _charts_drawn(page)
    page.wait_for_timeout(600)  # ECharts animates its first drawing
    assert page.evaluate(FITS)
    screenshot(page, "reporting-01-national-desktop")

    # Drill down: the nation → Tây Ninh → its projects.
    page.get_by_test_id("by-province").get_by_role("link", name="Tỉnh Tây Ninh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu khuyến công — Tỉnh Tây Ninh")
    screenshot(page, "reporting-02-province-desktop")
    page.get_by_test_id("cards").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/projects/?year=2025&province=80")

    # History under the former provinces.
    page.goto(f"{live_server.url}/reporting/?period=2024&geography=legacy")
    expect(page.get_by_test_id("geography-note")).to_contain_text("Theo 63 tỉnh cũ")
    expect(page.get_by_test_id("by-province")).to_contain_text("(cũ)")
    screenshot(page, "reporting-03-legacy-desktop")

    # The same dashboard on a phone.
    login(phone, live_server, "cuc.dck", "khuyencong2026")
    phone.goto(f"{live_server.url}/reporting/?period=2025")
    _charts_drawn(phone)
    phone.wait_for_timeout(600)
    assert phone.evaluate(FITS)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "reporting-04-national-phone")

    page.goto(f"{live_server.url}/reporting/compare/?period=2025&norm=establishments")
    expect(page.get_by_test_id("compare")).to_contain_text("Tỉnh Lai Châu")
    screenshot(page, "reporting-05-compare-desktop")
