"""Events and lessons in the browser: the seed tour with its itinerary and lessons, its mission report, a user of
another province finding the collaborator-network lesson without typing diacritics, and the planner."""

import datetime
import re
import subprocess

import docx
import pytest
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.events.demo import Seeder
from khuyencong.events.models import Event
from khuyencong.events.tests.test_planner import network

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seed_tours(admin_units):
    accounts_demo.seed()
    seeder = Seeder()
    seeder.lai_chau_2016()
    seeder.binh_duong_2018()
    return Event.objects.get(title__contains="Hải Phòng, Quảng Ninh và Yên Bái")


def test_seed_tour_with_itinerary_lessons_and_report(live_server, page, screenshot, seed_tours):
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Sự kiện").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sự kiện và đoàn học tập kinh nghiệm")
    screenshot(page, "events-01-list")
    page.get_by_role("link", name=re.compile("Hải Phòng, Quảng Ninh và Yên Bái")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hải Phòng, Quảng Ninh và Yên Bái")
    itinerary = page.get_by_test_id("itinerary")
    expect(itinerary).to_contain_text("Tỉnh Yên Bái")
    expect(itinerary).to_contain_text("nay là: Tỉnh Lào Cai")
    expect(itinerary).to_contain_text("thanh quyết toán đề án khuyến công")
    expect(page.get_by_test_id("participants")).to_contain_text("Trưởng đoàn")
    lessons = page.get_by_test_id("lessons")
    expect(lessons).to_contain_text("Tháo gỡ vướng mắc trong thanh quyết toán đề án khuyến công")
    expect(lessons).to_contain_text("Đề xuất, tham mưu cơ chế chính sách hỗ trợ cơ sở công nghiệp nông thôn")
    screenshot(page, "events-02-seed-tour")
    page.get_by_role("link", name="Mở báo cáo").click()
    report = page.get_by_test_id("mission-report")
    expect(report).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(report).to_contain_text("Số: 45/BC-TTKC")
    expect(report).to_contain_text("II. LỊCH TRÌNH VÀ NỘI DUNG LÀM VIỆC")
    screenshot(page, "events-03-mission-report")
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf").click()
    pdf = download.value.path()
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 45/BC-TTKC", "II. LỊCH TRÌNH VÀ NỘI DUNG LÀM VIỆC",
                 "Nơi nhận:"):
        assert part in text, part
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf),
                    str(ARTIFACTS / "events-03b-mission-report-pdf")], check=True)
    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    word = docx.Document(str(download.value.path()))
    assert "Số: 45/BC-TTKC" in word.tables[0].rows[0].cells[0].text
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "events-03c-mission-report-phone")


def test_other_province_finds_the_collaborator_lesson_without_diacritics(live_server, page, phone, screenshot,
                                                                         seed_tours):
    login(page, live_server, "ttkc.cantho", accounts_demo.DEMO_PASSWORD)  # Cần Thơ, not the author (TP HCM)
    page.goto(f"{live_server.url}/lessons/")
    page.get_by_label("Tìm kiếm").fill("cong tac vien")
    results = page.get_by_test_id("lesson-results")
    expect(results).to_contain_text("Cơ cấu mạng lưới cộng tác viên khuyến công, tiêu chuẩn và cách thức tham gia")
    # "công tác" and "học viên" scattered in another lesson match too, after every lesson with the phrase itself.
    expect(results.get_by_role("link").last).to_contain_text("Đào tạo nghề, truyền nghề gắn với nhu cầu của cơ sở")
    expect(page).to_have_url(re.compile(r"q=cong(%20|\+)tac(%20|\+)vien"))
    expect(results).not_to_contain_text("quản lý cụm công nghiệp")
    screenshot(page, "events-04-lessons-search")
    lesson = "Cơ cấu mạng lưới cộng tác viên khuyến công, tiêu chuẩn và cách thức tham gia"
    page.get_by_role("link", name=lesson).click()
    expect(page.get_by_test_id("read-only")).to_contain_text("Thành phố Hồ Chí Minh")
    expect(page.locator("body")).to_contain_text("Tỉnh Long An")
    expect(page.get_by_role("link", name="Sửa")).to_have_count(0)
    screenshot(page, "events-05-lesson-read-only")

    login(phone, live_server, "ttkc.hcm", accounts_demo.DEMO_PASSWORD)
    bd = Event.objects.get(organiser_name_then__contains="Bình Dương")
    phone.goto(f"{live_server.url}/events/{bd.pk}/")
    expect(phone.get_by_test_id("merger-note")).to_contain_text("Tỉnh Bình Dương hợp nhất vào Thành phố Hồ Chí Minh")
    expect(phone.get_by_test_id("itinerary")).to_contain_text("nay là: Tỉnh Tây Ninh")
    screenshot(phone, "events-06-binh-duong-phone")


def test_planner_ranks_and_drafts_a_tour(live_server, page, screenshot, seed_tours):
    network(80, 2, 4)  # Tây Ninh's and Cần Thơ's collaborators: the coverage shares drawn as bars
    network(92, 1, 2)
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/events/planner/")
    page.get_by_label("Mạng lưới cộng tác viên").check()
    page.get_by_role("button", name="Xếp hạng tỉnh đến học tập").click()
    candidates = page.get_by_test_id("candidate")
    expect(candidates.first).to_contain_text("Tỉnh Tây Ninh")
    expect(page.get_by_test_id("planner-results")).to_contain_text("Thành phố Cần Thơ")
    screenshot(page, "events-07-planner")
    # A share's bar is as wide as its percentage (not scaled against the best province).
    bars = page.get_by_test_id("share-bar")
    assert bars.count() >= 1
    for i in range(bars.count()):
        drawn = bars.nth(i).evaluate("svg => 100 * svg.querySelector('rect.kc-share').getBoundingClientRect().width"
                                     " / svg.getBoundingClientRect().width")
        assert abs(drawn - int(bars.nth(i).get_attribute("data-percent"))) < 1
    # The user sets the visiting order: Cần Thơ first, then Tây Ninh (the ranking put Tây Ninh first).
    order = page.get_by_test_id("host-order")
    order.get_by_label("Thành phố Cần Thơ", exact=True).fill("1")
    order.get_by_label("Tỉnh Tây Ninh", exact=True).fill("2")
    page.get_by_label("Ngày khởi hành").fill("15/03/2027")
    page.get_by_label("Thành viên hưởng lương ngân sách").fill("4")
    page.get_by_label("Thành viên khác (cộng tác viên, cơ sở)").fill("6")
    page.get_by_label("Chi phí đi lại cả chuyến (đồng)").fill("45.000.000")
    page.get_by_role("button", name="Xem trước lịch trình và dự toán").click()
    itinerary = page.get_by_test_id("itinerary")
    expect(itinerary.locator("li").first).to_contain_text("15/03/2027: Thành phố Cần Thơ")
    lines = page.get_by_test_id("estimate-lines")
    expect(lines).to_contain_text("Chưa xác minh — nhập theo quy định của tỉnh")
    expect(lines).to_contain_text("45.000.000 ₫")
    expect(page.get_by_test_id("to-price")).to_contain_text("dòng cần nhập đơn giá")
    screenshot(page, "events-07b-planner-estimate")
    page.get_by_label("Phụ cấp lưu trú mỗi người mỗi ngày (đồng)").fill("200.000")
    page.get_by_label("Tiền phòng nghỉ mỗi người mỗi đêm (đồng)").fill("400.000")
    page.get_by_role("button", name="Lập dự thảo đoàn học tập kinh nghiệm").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lập dự thảo đoàn")
    tour = Event.objects.get(start_date=datetime.date(2027, 3, 15))  # typed as 15/03/2027
    assert [p.unit.code for p in tour.places.order_by("order")] == [92, 80]
    budget = page.get_by_test_id("budget")
    expect(budget).to_contain_text("45.000.000 ₫")
    expect(budget).to_contain_text("chưa có mức hỗ trợ được xác minh")
    screenshot(page, "events-08-drafted-tour")
