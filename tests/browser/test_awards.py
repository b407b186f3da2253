"""Product awards in the browser, every step through the pages: the Lai Châu centre creates a province round, names
its council (7 or 9 members, Art 9) and its odd jury (Art 11); the jury head proposes the scoring bands on a phone and
the council chair's approval is recorded; the centre enters a product from the registry and attaches its dossier;
three jurors score on a phone, the mean and the pass score decide; the centre recognises the results, issues the
certificate (PDF rendered and looked at) and nominates the product to the region; a visitor finds it in the public
catalogue typing without accents and verifies its certificate."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User
from khuyencong.awards.models import Certificate, Entry, Level, Round, RoundStatus
from khuyencong.awards.tests.factories import make_round, pdf_upload, photo_upload
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.tests.factories import make_establishment

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND = "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Lai Châu năm 2027"
PRODUCT = "Chè shan tuyết cổ thụ Tả Phìn"
JURORS = ("sct.laichau", "ld.sct.laichau", "xem.laichau")  # the first is the head of the jury
COUNCIL = ["Giàng A Tính", "Lò Văn Hùng", "Nguyễn Thị Mai", "Tẩn Văn Sơn", "Đèo Thị Hương", "Phạm Văn Đức",
           "Hoàng Thị Lan"]
# Points per band typed by each juror: totals 84, 80 and 58 → mean 74 ≥ 70.
SHEETS = [
    [18, 17, 13, 8, 8, 4, 4, 4, 8],
    [17, 16, 12, 8, 8, 4, 4, 4, 7],
    [12, 12, 9, 6, 5, 3, 3, 3, 5],
]
DOSSIER = [("form", "pdf"), ("description", "pdf"), ("business", "pdf"), ("nomination", "pdf"),
           ("photo_front", "jpg"), ("photo_side", "jpg"), ("photo_top", "jpg")]


@pytest.fixture
def people(admin_units):
    call_command("load_rules", verbosity=0)
    accounts_demo.seed()
    establishment = make_establishment(12, name="Hợp tác xã chè Tả Phìn")
    region = make_round(level=Level.REGION, status=RoundStatus.INTAKE_OPEN, year=2028,
                        name="Bình chọn sản phẩm CNNT tiêu biểu khu vực miền núi phía Bắc năm 2028")
    return establishment, region


def _file(kind: str, ext: str) -> dict:
    upload = pdf_upload() if ext == "pdf" else photo_upload()
    return {"name": f"{kind}.{ext}", "mimeType": "application/pdf" if ext == "pdf" else "image/jpeg",
            "buffer": upload.read()}


def _add_member(page, body: str, name: str, role: str, user: User | None = None) -> None:
    page.eval_on_selector("[data-testid=member-form]", "d => { d.open = true; }")
    page.select_option("#id_body", body)
    page.fill("#id_full_name", name)
    page.select_option("#id_role", role)
    if user is not None:
        page.select_option("#id_user", str(user.pk))
    page.locator("form[action$='/members/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def _create_round(page, live_server) -> Round:
    page.goto(f"{live_server.url}/awards/")
    page.get_by_role("link", name="Tạo đợt bình chọn").click()
    page.fill("#id_name", ROUND)
    page.select_option("#id_level", "province")
    page.select_option("#id_province", str(AdminUnit.objects.current().provinces().get(code=12).pk))
    page.fill("#id_unit_name", "Sở Công Thương tỉnh Lai Châu")
    page.fill("#id_year", "2027")
    page.fill("#id_budget_vnd", "180.000.000")
    page.fill("#id_intake_start", "01/03/2027")
    page.fill("#id_intake_end", "30/06/2027")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name=ROUND)).to_be_visible()
    return Round.objects.get(name=ROUND)


def _name_council_and_jury(page, screenshot) -> None:
    for i, username in enumerate(JURORS):
        user = User.objects.get(username=username)
        _add_member(page, "jury", str(user), "head" if i == 0 else "member", user)
    for i, name in enumerate(COUNCIL[:6]):
        _add_member(page, "council", name, "chair" if i == 0 else "vice_chair" if i == 1 else "member")
    # six members: the council of a province has 7 or 9 (Art 9), so the step is refused with the reason
    expect(page.get_by_test_id("refused-set_council")).to_contain_text("7 hoặc 9 thành viên")
    _add_member(page, "council", COUNCIL[6], "member")
    expect(page.get_by_test_id("council")).to_contain_text("Hoàng Thị Lan")
    expect(page.get_by_test_id("jury")).to_contain_text("Tổ trưởng tổ chuyên gia")
    screenshot(page, "awards-01-council-and-jury")
    page.get_by_test_id("act-set_council").click()
    page.get_by_test_id("act-open_intake").click()
    expect(page.get_by_test_id("entry-new")).to_be_visible()


def _bands(phone, page, live_server, round_: Round, screenshot) -> None:
    """The jury head proposes the bands on a phone; the centre records the council chair's approval."""
    login(phone, live_server, JURORS[0], accounts_demo.DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/awards/rounds/{round_.pk}/bands/")
    phone.fill("#other-1-label", "Thương hiệu, nhãn hiệu và chứng nhận chất lượng")
    screenshot(phone, "awards-02-bands-phone")
    phone.get_by_test_id("bands-propose").click()
    expect(phone.get_by_test_id("bands-status")).to_contain_text("Đã trình chủ tịch hội đồng")
    page.get_by_test_id("bands-link").click()
    page.get_by_test_id("bands-approve").click()
    expect(page.get_by_test_id("bands-status")).to_contain_text("Chủ tịch hội đồng đã phê duyệt")
    expect(page.get_by_test_id("bands-status")).to_contain_text("Giàng A Tính")


def _enter_product(page, live_server, round_: Round, establishment) -> Entry:
    page.goto(f"{live_server.url}/awards/rounds/{round_.pk}/")
    page.get_by_test_id("entry-new").click()
    page.select_option("#id_establishment", str(establishment.pk))
    page.fill("#id_product_name", PRODUCT)
    page.select_option("#id_group", "food")
    page.check("#id_publish_consent")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name=PRODUCT)).to_be_visible()
    for kind, ext in DOSSIER:
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", _file(kind, ext))
        page.locator("form[action$='/documents/'] button[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("documents").locator("li")).to_have_count(len(DOSSIER))
    page.get_by_test_id("act-screen").click()
    expect(page.get_by_text("Đã tiếp nhận hồ sơ").first).to_be_visible()
    page.goto(f"{live_server.url}/awards/rounds/{round_.pk}/")
    page.get_by_test_id("act-start_judging").click()
    return Entry.objects.get(round=round_, product_name=PRODUCT)


def _score_on_phones(phone, live_server, screenshot) -> None:
    for n, (username, points) in enumerate(zip(JURORS, SHEETS, strict=True), start=1):
        phone.context.clear_cookies()
        login(phone, live_server, username, accounts_demo.DEMO_PASSWORD)
        phone.goto(f"{live_server.url}/awards/")
        phone.get_by_test_id("to-score").locator("a").first.click()
        bands = phone.locator("input[data-band]")
        expect(bands).to_have_count(9)
        expect(phone.get_by_text("Thương hiệu, nhãn hiệu và chứng nhận chất lượng")).to_be_visible()  # the bands
        for i, value in enumerate(points):
            bands.nth(i).fill(str(value))
        expect(phone.get_by_test_id("sheet-total")).to_have_text(str(sum(points)))  # the live total
        if n == 1:
            screenshot(phone, "awards-03-sheet-phone")
        phone.get_by_test_id("sheet-submit").click()
        phone.wait_for_load_state("networkidle")


def _certify(page, live_server, round_: Round, screenshot) -> None:
    page.goto(f"{live_server.url}/awards/rounds/{round_.pk}/")
    expect(page.get_by_test_id("minutes")).to_contain_text("74,00")
    page.locator("input[name=reference]").fill("1520/QĐ-UBND")
    page.get_by_test_id("act-recognise").click()
    page.get_by_role("link", name=PRODUCT).click()
    page.get_by_test_id("act-certify").click()
    valid = f"31/12/{timezone.localdate().year + 2}"  # issued today: valid to 31/12 of the year + 2
    expect(page.get_by_test_id("certificate")).to_contain_text(valid)
    screenshot(page, "awards-04-certificate")
    with page.expect_download() as download:
        page.get_by_test_id("certificate-pdf").click()
    pdf = download.value.path()
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    for part in ("GIẤY CHỨNG NHẬN", PRODUCT, valid, "Mã xác minh", "biểu trưng", "Điều 21"):
        assert part in text, part
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf),
                    str(ARTIFACTS / "awards-05-certificate-pdf")], check=True)


def test_a_province_round_end_to_end_through_the_pages(live_server, phone, page, screenshot, people):
    establishment, region = people
    login(page, live_server, "ttkc.laichau", accounts_demo.DEMO_PASSWORD)
    round_ = _create_round(page, live_server)
    _name_council_and_jury(page, screenshot)
    _bands(phone, page, live_server, round_, screenshot)
    entry = _enter_product(page, live_server, round_, establishment)
    _score_on_phones(phone, live_server, screenshot)
    entry.refresh_from_db()
    assert entry.status == "scored" and str(entry.score) == "74.00"

    _certify(page, live_server, round_, screenshot)
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
    visitor.get_by_role("link", name=PRODUCT).click()
    expect(visitor.get_by_test_id("producer")).to_have_text("Hợp tác xã chè Tả Phìn")
    expect(visitor.get_by_test_id("logo-right")).to_contain_text("Điều 21")
    screenshot(visitor, "awards-06-product-phone")
    visitor.get_by_role("link", name="Xác minh giấy chứng nhận này").click()
    expect(visitor.get_by_test_id("verify-result")).to_contain_text("còn hiệu lực")
    assert code in visitor.url
    assert datetime.date.today().year + 2 == Certificate.objects.get(entry=entry).valid_until.year
