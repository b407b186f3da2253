"""News on the portal: the centre writes an article, the DoIT reviews it, the centre publishes it; a reader on a phone
finds it on the public page (searching without accents) and in the feed, and never sees a draft."""

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user
from khuyencong.geo.models import AdminUnit
from khuyencong.news import services

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Khai giảng lớp đào tạo nghề đan lục bình"


def test_write_review_publish_and_read_on_a_phone(live_server, browser, page, phone, screenshot, admin_units):
    writer = make_user(role="centre_staff", province_code=12, username="ttkc.tin", full_name="Nguyễn Thị Thu Hà")
    make_user(role="doit_officer", province_code=12, username="sct.tin", full_name="Lò Thị Hoa")
    province = AdminUnit.objects.get(scheme="current", level="province", code=12)
    services.article_create(actor=writer, province=province, data={
        "title": "Bản nháp chưa gửi duyệt", "lead": "Không được hiện ra.", "body": "Nháp."})

    # 1. The centre writes the article on a desktop and sends it for review.
    login(page, live_server, "ttkc.tin", PASSWORD)
    page.goto(f"{live_server.url}/news/manage/new/")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Đoạn mở đầu (sapo)").fill("Lớp học mở tại bản cho 20 lao động nông thôn.")
    page.get_by_label("Nội dung bài").fill("Học viên học sơ chế và đan lục bình.\n\nSản phẩm được cơ sở thu mua.")
    page.get_by_label("Chuyên mục").select_option("training")
    page.get_by_label("Tác giả").fill("Thu Hà")
    expect(page.get_by_role("toolbar")).to_be_visible()
    screenshot(page, "news-01-write")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_test_id("article")).to_contain_text("Sản phẩm được cơ sở thu mua.")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đang chờ duyệt").first).to_be_visible()
    url = page.url

    # 2. The DoIT officer approves it; 3. the centre publishes it.
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    login(reviewer, live_server, "sct.tin", PASSWORD)
    reviewer.goto(url)
    reviewer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(reviewer.get_by_text("Đã duyệt").first).to_be_visible()
    reviewer.context.close()
    page.goto(url)
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.get_by_test_id("public-link")).to_be_visible()
    screenshot(page, "news-02-published")

    # 4. A reader on a phone, without an account, finds it by a search without accents; the draft is absent.
    phone.goto(f"{live_server.url}/tin-tuc/?q=dan+luc+binh")
    results = phone.get_by_test_id("news-results")
    expect(results).to_contain_text(TITLE)
    phone.goto(f"{live_server.url}/tin-tuc/tinh/12/")
    expect(phone.get_by_test_id("news-results")).to_contain_text(TITLE)
    expect(phone.get_by_test_id("news-results")).not_to_contain_text("Bản nháp")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    screenshot(phone, "news-03-article-phone")
    feed = phone.request.get(f"{live_server.url}/tin-tuc/feed/")
    assert feed.ok and TITLE in feed.text() and "Bản nháp" not in feed.text()
