"""The registry journey: a centre's staff member finds "Cơ sở bánh tráng Tư Hòa" typing without diacritics, reads why
it is a rural industrial establishment, corrects its products and sees the change and its history; the same list on
a phone."""

import json
import re
from pathlib import Path

import pytest
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user
from khuyencong.registry import services
from khuyencong.registry.models import Sector

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTORS = Path(__file__).resolve().parents[2] / "khuyencong" / "registry" / "data" / "sectors.json"


@pytest.fixture
def registry(admin_units):
    """Tư Hòa among other establishments of Tây Ninh, created by the service as a user would."""
    from khuyencong.accounts.tests.factories import commune_of

    if not Sector.objects.exists():  # a transactional test before this one flushed the data migration's rows
        for order, item in enumerate(json.loads(SECTORS.read_text(encoding="utf-8"))["sectors"], start=1):
            Sector.objects.create(order=order, **{k: item[k] for k in ("code", "name", "basis", "mark")})
    staff = make_user(role="centre_staff", province_code=80, username="ttkc.tayninh", full_name="Trần Thị Mỹ Linh")
    commune = commune_of(80, 3)
    food = Sector.objects.get(code="agro_food_processing")
    for name, products in [("Cơ sở mộc Phúc Lộc", "Bàn ghế gỗ"), ("Hợp tác xã đan lục bình Tân Hòa", "Giỏ lục bình"),
                           ("Cơ sở nước mắm Năm Đông", "Nước mắm truyền thống"),
                           ("Cơ sở bánh phồng Út Mai", "Bánh phồng tôm")]:
        services.establishment_create(actor=staff, data={"name": name, "entity_type": "household",
                                                         "commune": commune, "main_products": products})
    tu_hoa = services.establishment_create(actor=staff, data={
        "name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "commune": commune,
        "representative": "Nguyễn Văn Tư", "phone": "0912345678", "main_products": "Bánh tráng phơi sương",
        "address": "Ấp 3", "employees": 12}, sectors=[food])
    return staff, tu_hoa


def test_find_read_and_edit_tu_hoa(live_server, page, screenshot, registry):
    _staff, tu_hoa = registry
    login(page, live_server, "ttkc.tayninh", PASSWORD)
    page.goto(f"{live_server.url}/establishments/")
    expect(page.get_by_test_id("result-count")).to_have_text("5 cơ sở")

    page.get_by_role("searchbox").fill("banh trang")  # no diacritics: the list filters as one types (htmx)
    expect(page.get_by_test_id("result-count")).to_have_text("1 cơ sở")
    expect(page).to_have_url(re.compile(r"/establishments/\?q=banh(\+|%20)trang"))  # a link to what is filtered
    rows = page.locator("#est-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cơ sở bánh tráng Tư Hòa")
    expect(rows.first).to_contain_text(tr("Eligible"))
    screenshot(page, "registry-01-list-search")

    page.get_by_role("link", name="Cơ sở bánh tráng Tư Hòa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ sở bánh tráng Tư Hòa")
    panel = page.get_by_test_id("eligibility")
    expect(panel).to_contain_text("Điều kiện là cơ sở công nghiệp nông thôn")
    expect(panel.locator(".badge")).to_have_text(tr("Eligible"))
    expect(panel.locator("li").first).to_contain_text(tu_hoa.commune.name)
    expect(panel).to_contain_text(tr("Legal basis"))
    expect(panel).to_contain_text("NĐ 235/2025/NĐ-CP")
    screenshot(page, "registry-02-detail")

    page.get_by_role("link", name=tr("Edit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Edit establishment"))
    expect(page.get_by_label("Công nghiệp chế biến nông - lâm - thủy sản và chế biến thực phẩm")).to_be_checked()
    products = page.get_by_label("Sản phẩm chính")
    expect(products).to_have_value("Bánh tráng phơi sương")
    products.fill("Bánh tráng phơi sương, bánh tráng nướng")
    screenshot(page, "registry-03-edit")
    page.get_by_role("button", name=tr("Save")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ sở bánh tráng Tư Hòa")
    expect(page.locator("body")).to_contain_text("Đã lưu.")
    expect(page.locator("dl")).to_contain_text("Bánh tráng phơi sương, bánh tráng nướng")
    expect(page.locator("dl")).to_contain_text("Công nghiệp chế biến nông - lâm - thủy sản")  # the sector is kept
    history = page.locator("section[aria-labelledby=audit-title]")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").first).to_contain_text("Sửa thông tin cơ sở")
    expect(history.locator("tbody tr").first).to_contain_text(
        "Sản phẩm chính: Bánh tráng phơi sương → Bánh tráng phơi sương, bánh tráng nướng")
    expect(history.locator("tbody tr").first).to_contain_text("Trần Thị Mỹ Linh")
    screenshot(page, "registry-04-after-edit")

    page.goto(f"{live_server.url}/establishments/?q=banh+trang+nuong")
    expect(page.get_by_test_id("result-count")).to_have_text("1 cơ sở")


def test_the_list_on_a_phone(live_server, phone, screenshot, registry):
    login(phone, live_server, "ttkc.tayninh", PASSWORD)
    phone.goto(f"{live_server.url}/establishments/")
    phone.get_by_role("searchbox").fill("BÁNH")
    expect(phone.get_by_test_id("result-count")).to_have_text("2 cơ sở")
    rows = phone.locator("#est-rows tbody tr")
    expect(rows.first).to_contain_text("Cơ sở bánh phồng Út Mai")
    expect(rows.nth(1)).to_contain_text("Cơ sở bánh tráng Tư Hòa")
    # Products move under the name on a phone; nothing may push the page wider than the screen.
    expect(rows.nth(1).locator("td").first).to_contain_text("Bánh tráng phơi sương")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone.locator("#est-type")).to_be_hidden()  # the filters are folded: the results come first
    screenshot(phone, "registry-05-phone-list")
    phone.get_by_role("button", name=tr("Filter")).click()
    expect(phone.locator("#est-more")).to_have_class(re.compile(r"\bshow\b"))  # unfolded to the end
    phone.locator("#est-type").select_option("cooperative")
    expect(phone.get_by_test_id("result-count")).to_have_text("0 cơ sở")
    phone.locator("#est-type").select_option("household")
    expect(phone.get_by_test_id("result-count")).to_have_text("2 cơ sở")
    screenshot(phone, "registry-05b-phone-filters")
    phone.get_by_role("link", name="Cơ sở bánh tráng Tư Hòa").click()
    expect(phone.get_by_test_id("eligibility")).to_contain_text(tr("Eligible"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "registry-06-phone-detail")
