"""Reading a news article into an activity record: a TP Hồ Chí Minh centre officer pastes the Bình Dương 2018 article,
checks what was read (the organiser as named then, its province today, the dates, the host provinces then and now,
the head of delegation) and accepts it; the study tour is recorded with its places and lessons."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user
from khuyencong.events.models import Event

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (Path(__file__).resolve().parents[2] / "khuyencong/extraction/tests/fixtures/binh_duong_2018.txt")


def test_paste_review_accept_creates_the_event(live_server, page, phone, screenshot, admin_units):
    make_user(role="centre_staff", province_code=79, username="ttkc.hcm.doc", full_name="Võ Thị Ngọc Trâm")
    login(page, live_server, "ttkc.hcm.doc", PASSWORD)
    page.goto(f"{live_server.url}/extraction/")
    page.get_by_label("Nội dung bài viết").fill(ARTICLE.read_text(encoding="utf-8"))
    page.get_by_label("Nguồn (báo, cổng thông tin)").fill("Sở Công Thương Bình Dương")
    page.get_by_role("button", name="Đọc bài viết").click()

    fields = page.get_by_test_id("record-fields")
    expect(fields).to_contain_text("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương")
    expect(fields).to_contain_text("Thành phố Hồ Chí Minh")
    expect(fields).to_contain_text("17/05/2018")
    expect(fields).to_contain_text("Tỉnh Hậu Giang (nay là Thành phố Cần Thơ)")
    expect(fields).to_contain_text("bà Phan Thị Khánh Duyên")
    expect(fields).to_contain_text("10 cộng tác viên khuyến công")
    expect(page.get_by_test_id("extraction-status")).to_contain_text("Chờ xem xét")
    screenshot(page, "extraction-01-review")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    expect(phone.get_by_test_id("record-fields")).to_be_visible()
    screenshot(phone, "extraction-02-review-phone")

    form = page.get_by_test_id("accept-form")
    expect(form.get_by_label("Từ ngày")).to_have_value("17/05/2018")
    form.get_by_role("button", name="Chấp nhận và ghi nhận hoạt động").click()
    expect(page.get_by_test_id("event-link")).to_be_visible()
    screenshot(page, "extraction-03-accepted")

    event = Event.objects.get()
    assert event.organiser_unit_then.code == 74 and event.organiser.province.code == 79
    assert sorted(event.places.values_list("unit__code", flat=True)) == [80, 93]
    assert event.lessons.count() == 2
    page.get_by_test_id("event-link").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Học tập kinh nghiệm về công tác khuyến công")
