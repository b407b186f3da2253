"""The collaborator journey: a person applies on the public page, the centre accepts, the new collaborator works on a
phone (survey, needs registration), and the centre turns the need into a project proposal."""

import contextlib
import io
import re
import subprocess

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, commune_of, make_user
from khuyencong.network.models import FieldRecord
from khuyencong.network.tests.factories import make_regulation
from khuyencong.projects.tests.factories import make_establishment, make_plan

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _camera_jpeg() -> bytes:
    """A 12-megapixel-like phone photo with EXIF (camera model)."""
    image = Image.new("RGB", (3200, 2400), (90, 140, 60))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def test_apply_accept_survey_register_and_convert(live_server, browser, page, phone, screenshot, admin_units):
    today = timezone.localdate()
    make_user(role="centre_staff", province_code=12, username="ttkc.trinh", full_name="Nguyễn Thị Thu Hà")
    make_regulation(12, number="15/2024/QĐ-UBND", title="Quy chế mạng lưới cộng tác viên khuyến công tỉnh Lai Châu")
    commune = commune_of(12, 0)
    establishment = make_establishment(12, commune=commune, name="Hợp tác xã chè Shan tuyết Sìn Hồ", employees=6)
    make_plan(year=today.year + 1)

    # 1. A person applies on the public page, without an account, on a phone.
    phone.goto(f"{live_server.url}/network/apply/?province=12")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Đăng ký làm cộng tác viên khuyến công")
    phone.get_by_label("Họ và tên").fill("Giàng Thị Pằng")
    phone.get_by_label("Giới tính").select_option("female")
    phone.get_by_label("Năm sinh").fill(str(today.year - 29))
    phone.get_by_label("Điện thoại").fill("0912 345 678")
    phone.get_by_label("Số định danh cá nhân (CCCD)").fill("012195000321")
    phone.get_by_label("Xã, phường nơi cư trú").select_option(str(commune.pk))
    phone.get_by_label("Trình độ học vấn").select_option("upper_secondary")
    phone.get_by_label("Số năm kinh nghiệm liên quan").fill("3")
    phone.get_by_placeholder("Tìm xã, phường (gõ có dấu hoặc không dấu)").fill(commune.short_name.lower())
    phone.get_by_label(commune.name, exact=True).check()
    phone.get_by_label("Tôi có đủ sức khỏe để đi cơ sở").check()
    phone.get_by_label("Tôi đồng ý để Trung tâm Khuyến công").check()
    screenshot(phone, "network-01-apply-phone")
    phone.get_by_role("button", name="Gửi hồ sơ").click()
    expect(phone.get_by_test_id("application-reference")).to_be_visible()
    screenshot(phone, "network-02-applied")

    # 2. The centre reviews the standards and accepts: collaborator, account and decision letter.
    login(page, live_server, "ttkc.trinh", PASSWORD)
    page.goto(f"{live_server.url}/network/")
    page.get_by_role("link", name="Giàng Thị Pằng").click()
    expect(page.get_by_test_id("standards-check")).to_contain_text("Từ đủ 18 đến 60 tuổi")
    page.get_by_label("Số quyết định").fill("21/QĐ-TTKC")
    screenshot(page, "network-03-application-review")
    page.get_by_role("button", name="Chấp nhận", exact=True).click()
    expect(page.get_by_test_id("new-account")).to_be_visible()
    username = page.get_by_test_id("new-username").inner_text()
    password = page.get_by_test_id("new-password").inner_text()
    screenshot(page, "network-04-collaborator-created")
    page.get_by_role("link", name="Quyết định công nhận").click()
    expect(page.locator("body")).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(page.locator("body")).to_contain_text("Số: 21/QĐ-TTKC")
    screenshot(page, "network-05-decision-letter")
    with page.expect_download() as download:
        page.get_by_test_id("decision-pdf").click()
    letter = download.value.path()
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(letter), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    assert "Số: 21/QĐ-TTKC" in text and "Công nhận bà Giàng Thị Pằng" in text and "QUYẾT ĐỊNH:" in text
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(letter),
                    str(ARTIFACTS / "network-05b-decision-letter-pdf")], check=True)

    # 3. The new collaborator signs in on a phone and surveys an establishment of their commune.
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                 has_touch=True, device_scale_factor=2).new_page()
    login(mobile, live_server, username, password)
    mobile.goto(f"{live_server.url}/network/")
    expect(mobile.get_by_role("heading", level=1)).to_contain_text("Giàng Thị Pằng")
    screenshot(mobile, "network-06-collaborator-home-phone")
    mobile.get_by_role("link", name="Khảo sát cơ sở").click()
    mobile.get_by_role("link", name=re.compile("Hợp tác xã chè Shan tuyết")).click()
    mobile.get_by_label("Số lao động").fill("9")
    mobile.get_by_label("Ghi chú").fill("Cơ sở vừa mở rộng xưởng sao chè.")
    mobile.locator("input[type=file][name=photo]").set_input_files(
        files=[{"name": "IMG_2041.JPG", "mimeType": "image/jpeg", "buffer": _camera_jpeg()}])
    mobile.get_by_role("button", name="Gửi Trung tâm").click()
    expect(mobile.get_by_test_id("survey-diff")).to_contain_text("9")
    screenshot(mobile, "network-07-survey-sent-phone")

    # 4. …and registers the establishment's need; a mistake keeps what was typed.
    mobile.goto(f"{live_server.url}/network/field/new/need/")
    mobile.get_by_label("Nội dung khuyến công cần hỗ trợ").select_option("machinery")
    mobile.get_by_label("Kinh phí dự kiến (đồng)").fill("150.000.000")
    # The connection drops as the form is sent: what was typed is still there when the collaborator comes back.
    mobile.context.set_offline(True)
    with contextlib.suppress(PlaywrightError):
        mobile.get_by_role("button", name="Gửi Trung tâm").click()
    mobile.context.set_offline(False)
    mobile.goto(f"{live_server.url}/network/field/new/need/")
    expect(mobile.get_by_test_id("draft-restored")).to_be_visible()
    expect(mobile.get_by_label("Kinh phí dự kiến (đồng)")).to_have_value("150.000.000")
    expect(mobile.get_by_label("Nội dung khuyến công cần hỗ trợ")).to_have_value("machinery")
    screenshot(mobile, "network-07b-draft-restored-phone")
    mobile.get_by_role("button", name="Gửi Trung tâm").click()
    expect(mobile.get_by_label("Kinh phí dự kiến (đồng)")).to_have_value("150.000.000")
    mobile.get_by_label(re.compile(r"^Cơ sở")).select_option(str(establishment.pk))
    mobile.get_by_role("button", name="Gửi Trung tâm").click()
    expect(mobile.locator("body")).to_contain_text("Đã ghi nhận")
    screenshot(mobile, "network-08-need-registered-phone")
    mobile.goto(f"{live_server.url}/network/field/new/need/")  # sent: the draft on the phone is gone
    expect(mobile.get_by_test_id("draft-restored")).to_be_hidden()
    expect(mobile.get_by_label("Kinh phí dự kiến (đồng)")).to_have_value("")

    # 5. The centre accepts the survey into the registry and turns the need into a project proposal.
    survey = FieldRecord.objects.get(kind="survey")
    page.goto(f"{live_server.url}/network/field/{survey.pk}/")
    page.get_by_role("button", name="Chấp nhận và cập nhật cơ sở dữ liệu").click()
    expect(page.locator("body")).to_contain_text("Đã xét")
    establishment.refresh_from_db()
    assert establishment.employees == 9
    with Image.open(survey.photo.open("rb")) as stored:  # resized on upload, upright, no metadata
        assert stored.format == "JPEG" and max(stored.size) == 1600 and not stored.getexif()
    need = FieldRecord.objects.get(kind="need")
    page.goto(f"{live_server.url}/network/field/{need.pk}/")
    page.get_by_label("Kế hoạch năm").select_option(index=1)
    screenshot(page, "network-09-need-review")
    page.get_by_role("button", name="Lập đề xuất").click()
    expect(page).to_have_url(re.compile(r"/projects/\d+/$"))
    expect(page.locator("body")).to_contain_text("Hợp tác xã chè Shan tuyết Sìn Hồ")
    screenshot(page, "network-10-project-proposal")
    need.refresh_from_db()
    assert need.status == "converted" and need.project is not None
    mobile.context.close()
