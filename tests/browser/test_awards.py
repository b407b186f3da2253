"""Product awards in the browser: a Lai Châu province round whose three jurors score on a phone, the mean and the
pass score decide, the centre recognises the results, issues the certificate (PDF looked at) and nominates the
product to the region; a visitor finds it in the public catalogue typing without accents and verifies it."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User
from khuyencong.awards import services
from khuyencong.awards.models import Body, Certificate, Entry, Level, RoundStatus
from khuyencong.awards.tests.factories import make_round, pdf_upload, photo_upload
from khuyencong.projects.tests.factories import make_establishment

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JURORS = ("sct.laichau", "ld.sct.laichau", "xem.laichau")
# Points per band typed by each juror: totals 84, 80 and 58 → mean 74 ≥ 70.
SHEETS = [
    [18, 17, 13, 8, 8, 4, 4, 4, 8],
    [17, 16, 12, 8, 8, 4, 4, 4, 7],
    [12, 12, 9, 6, 5, 3, 3, 3, 5],
]


@pytest.fixture
def judging(admin_units):
    call_command("load_rules", verbosity=0)
    accounts_demo.seed()
    staff = User.objects.get(username="ttkc.laichau")
    round_ = services.round_create(
        actor=staff, name="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Lai Châu năm 2027", level=Level.PROVINCE,
        province=make_round(12).province, unit_name="Sở Công Thương tỉnh Lai Châu", year=2027,
        intake_start=datetime.date(2027, 3, 1), intake_end=datetime.date(2027, 6, 30))
    for i in range(7):
        services.member_add(actor=staff, round_=round_, body=Body.COUNCIL, full_name=f"Ủy viên hội đồng {i + 1}",
                            role="chair" if i == 0 else "member")
    for username in JURORS:
        user = User.objects.get(username=username)
        services.member_add(actor=staff, round_=round_, body=Body.JURY, full_name=str(user), user=user)
    for action in ("set_council", "open_intake"):
        round_.refresh_from_db()
        services.round_act(actor=staff, round_=round_, action=action, version=round_.version)
    establishment = make_establishment(12, name="Hợp tác xã chè Tả Phìn")
    entry = services.entry_create(actor=staff, round_=round_, establishment=establishment,
                                  product_name="Chè shan tuyết cổ thụ Tả Phìn", group="food", publish_consent=True)
    for kind in ("form", "description", "business", "nomination"):
        services.document_add(actor=staff, entry=entry, kind=kind, upload=pdf_upload())
    for kind in ("photo_front", "photo_side", "photo_top"):
        services.document_add(actor=staff, entry=entry, kind=kind, upload=photo_upload())
    entry.refresh_from_db()
    services.entry_act(actor=staff, entry=entry, action="screen", version=entry.version)
    round_.refresh_from_db()
    services.round_act(actor=staff, round_=round_, action="start_judging", version=round_.version)
    region = make_round(level=Level.REGION, status=RoundStatus.INTAKE_OPEN, year=2028,
                        name="Bình chọn sản phẩm CNNT tiêu biểu khu vực miền núi phía Bắc năm 2028")
    return round_, entry, region


def test_three_jurors_score_on_a_phone_and_the_centre_certifies(live_server, phone, page, screenshot, judging):
    round_, entry, region = judging
    for n, (username, points) in enumerate(zip(JURORS, SHEETS, strict=True), start=1):
        phone.context.clear_cookies()
        login(phone, live_server, username, accounts_demo.DEMO_PASSWORD)
        phone.goto(f"{live_server.url}/awards/")
        phone.get_by_test_id("to-score").locator("a").first.click()
        bands = phone.locator("input[data-band]")
        expect(bands).to_have_count(9)
        for i, value in enumerate(points):
            bands.nth(i).fill(str(value))
        expect(phone.get_by_test_id("sheet-total")).to_have_text(str(sum(points)))  # the live total
        if n == 1:
            screenshot(phone, "awards-01-sheet-phone")
        phone.get_by_test_id("sheet-submit").click()
        phone.wait_for_load_state("networkidle")
    entry.refresh_from_db()
    assert entry.status == "scored" and str(entry.score) == "74.00"

    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/awards/rounds/{round_.pk}/")
    expect(page.get_by_test_id("minutes")).to_contain_text("74,00")
    page.locator("input[name=reference]").fill("1520/QĐ-UBND")
    page.get_by_test_id("act-recognise").click()
    page.get_by_role("link", name="Chè shan tuyết cổ thụ Tả Phìn").click()
    page.get_by_test_id("act-certify").click()
    valid = f"31/12/{timezone.localdate().year + 2}"  # issued today: valid to 31/12 of the year + 2
    expect(page.get_by_test_id("certificate")).to_contain_text(valid)
    screenshot(page, "awards-02-certificate")
    with page.expect_download() as download:
        page.get_by_test_id("certificate-pdf").click()
    pdf = download.value.path()
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    for part in ("GIẤY CHỨNG NHẬN", "Chè shan tuyết cổ thụ Tả Phìn", valid, "Mã xác minh"):
        assert part in text, part
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf),
                    str(ARTIFACTS / "awards-03-certificate-pdf")], check=True)
    page.goto(f"{live_server.url}/awards/rounds/{round_.pk}/")
    page.get_by_test_id("act-announce").click()
    expect(page.get_by_test_id("complaint-deadline")).to_be_visible()
    page.get_by_test_id("nominate").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã đề nghị 1 sản phẩm")
    assert Entry.objects.filter(round=region, lower_certificate__entry=entry).exists()

    code = Certificate.objects.get(entry=entry).code
    visitor = phone
    visitor.context.clear_cookies()
    visitor.goto(f"{live_server.url}/san-pham/")
    visitor.get_by_test_id("catalogue-q").fill("che shan tuyet ta phin")
    visitor.get_by_role("button", name="Tìm kiếm").click()
    visitor.get_by_role("link", name="Chè shan tuyết cổ thụ Tả Phìn").click()
    expect(visitor.get_by_test_id("producer")).to_have_text("Hợp tác xã chè Tả Phìn")
    screenshot(visitor, "awards-04-product-phone")
    visitor.get_by_role("link", name="Xác minh giấy chứng nhận này").click()
    expect(visitor.get_by_test_id("verify-result")).to_contain_text("còn hiệu lực")
    assert code in visitor.url
