"""Industrial clusters in the browser: a DoIT officer of Lai Châu enters a cluster, records its establishment
decision and investor, adds a tenant and a land snapshot (occupancy computed), enters and submits a Form 01, and the
province's Form 04 shows the figures; the cluster's page on a phone. The dashboard per province (today's and the
former ones, with the map) on a desktop and a phone; a tenant's own account, opened by the DoIT, fills its Form 01."""

import re

import pytest
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.clusters.models import Cluster
from khuyencong.clusters.tests.helpers import operating_cluster

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doit_officer_journey(live_server, page, phone, screenshot, admin_units):
    accounts_demo.seed()
    login(page, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    nav = page.get_by_role("navigation")
    nav.get_by_role("button", name="Nghiệp vụ khác").click()  # the other lines of work are grouped under one menu
    nav.get_by_role("link", name="Cụm công nghiệp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cụm công nghiệp")
    page.get_by_role("link", name="Thêm cụm công nghiệp").click()
    page.get_by_label("Tên cụm công nghiệp").fill("Cụm công nghiệp Nậm Tăm")
    page.get_by_label("Diện tích quy hoạch (ha)").fill("40")
    page.get_by_label("Diện tích thành lập (ha)").fill("40")
    page.get_by_label("Đất công nghiệp (ha)").fill("30")
    page.get_by_label("Chủ đầu tư hạ tầng").fill("Công ty CP Hạ tầng Nậm Tăm")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cụm công nghiệp Nậm Tăm")
    # the establishment decision, then the lifecycle's step
    page.locator("#decisions summary").click()
    page.locator("#dc-number").fill("15/QĐ-UBND")
    page.locator("#dc-date").fill("02/03/2026")
    page.locator("#dc-area").fill("40")
    page.locator("#decisions").get_by_role("button", name="Ghi").click()
    expect(page.locator("#decisions")).to_contain_text("15/QĐ-UBND")
    page.get_by_test_id("act-establish").click()
    expect(page.get_by_test_id("cluster-status")).to_have_text("Đã thành lập")
    # a tenant and a land snapshot: occupancy (12 + 3) / 30 = 50 %
    page.locator("#tenants summary").click()
    page.locator("#tn-name").fill("Công ty TNHH Chè Tam Đường")
    page.locator("#tn-ha").fill("12")
    page.locator("#tenants").get_by_role("button", name="Thêm").click()
    page.locator("#land summary").click()
    page.locator("#ld-on").fill("10/06/2026")
    page.locator("#ld-ind").fill("30")
    page.locator("#ld-lea").fill("12")
    page.locator("#ld-app").fill("3")
    page.locator("#land").get_by_role("button", name="Ghi").click()
    expect(page.get_by_test_id("occupancy")).to_have_text("50,0 %")
    # a bad area keeps the message in Vietnamese and nothing is lost
    page.locator("#land summary").click()
    page.locator("#ld-on").fill("11/06/2026")
    page.locator("#ld-ind").fill("nhiều")
    page.locator("#land").get_by_role("button", name="Ghi").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("héc-ta")
    expect(page.locator("#ld-on")).to_have_value("11/06/2026")
    # Form 01 of the half-year, submitted
    pk = Cluster.objects.get(name="Cụm công nghiệp Nậm Tăm").pk
    page.goto(f"{live_server.url}/clusters/{pk}/?period=2026-H1#forms")
    page.locator("#forms li summary").first.click()
    first_tenant = page.locator("#forms li").first
    first_tenant.get_by_label(re.compile("^Doanh thu")).fill("5000000000")
    first_tenant.get_by_label(re.compile("^Lao động có hợp đồng")).fill("45")
    page.get_by_test_id("save-form01").click()
    page.get_by_test_id("form-submit").click()
    expect(page.locator("#forms")).to_contain_text("Đã gửi")
    screenshot(page, "clusters-01-detail")
    page.get_by_role("link", name="Biểu 03 và 04 của tỉnh").click()
    table = page.get_by_test_id("summary-table").first
    expect(table).to_contain_text("Số cụm đã thành lập")
    expect(page.get_by_test_id("sum-check")).to_be_visible()
    screenshot(page, "clusters-02-form-04")
    # the same cluster's page on a phone
    login(phone, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/clusters/?q=nam+tam")
    phone.get_by_role("link", name="Cụm công nghiệp Nậm Tăm").click()
    expect(phone.get_by_test_id("occupancy")).to_have_text("50,0 %")
    screenshot(phone, "clusters-03-phone")


def test_dashboard_and_a_tenant_filling_its_own_form(live_server, page, phone, screenshot, admin_units):
    accounts_demo.seed()
    cluster = operating_cluster(name="Cụm công nghiệp Mường So", leased="20", approved="4")
    login(page, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/clusters/")
    page.get_by_role("link", name="Cụm công nghiệp theo tỉnh").click()
    table = page.get_by_test_id("cluster-dashboard")
    expect(table).to_contain_text("Lai Châu")
    expect(table).to_contain_text("60,0 %")  # (20 + 4) ÷ 40
    expect(page.locator("#cluster-map")).to_have_attribute("data-state", "drawn", timeout=120_000)
    screenshot(page, "clusters-04-dashboard")
    page.get_by_test_id("geo-legacy").click()
    expect(page.get_by_test_id("cluster-dashboard")).to_contain_text("Tỉnh cũ")
    expect(page.get_by_test_id("cluster-dashboard")).to_contain_text("Lai Châu")
    screenshot(page, "clusters-05-dashboard-former")
    # the DoIT opens the tenant's account from the cluster's page; the password is shown once
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/?period=2026-H1#forms")
    page.get_by_test_id("open-account-toggle").click()
    page.locator("#ac-tenant").select_option(label="Công ty TNHH Chè Thử")
    page.locator("#ac-name").fill("Nguyễn Văn Bình")
    page.get_by_test_id("open-account").click()
    found = re.search(r"“(ccn\.[^”]+)” với mật khẩu (\w+)", page.locator("body").inner_text())
    assert found, "the new account and its password are shown"
    expect(page.get_by_test_id("cluster-accounts")).to_contain_text("Công ty TNHH Chè Thử")
    # the dashboard on a phone
    login(phone, live_server, "sct.laichau", accounts_demo.DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/clusters/dashboard/")
    expect(phone.get_by_test_id("cluster-dashboard")).to_contain_text("Lai Châu")
    screenshot(phone, "clusters-06-dashboard-phone")
    # the tenant signs in on its phone, fills and submits its own Form 01 and sees nothing else
    phone.context.clear_cookies()
    login(phone, live_server, found.group(1), found.group(2))
    phone.goto(f"{live_server.url}/clusters/my-forms/?period=2026-H1")
    phone.get_by_label(re.compile("^Doanh thu")).fill("3000000000")
    phone.get_by_label(re.compile("^Lao động có hợp đồng")).fill("30")
    phone.get_by_test_id("my-form-save").click()
    phone.get_by_test_id("my-form-submit").click()
    expect(phone.locator("main")).to_contain_text("Đã gửi")
    screenshot(phone, "clusters-07-tenant-phone")
    assert phone.goto(f"{live_server.url}/clusters/{cluster.pk}/").status == 404
