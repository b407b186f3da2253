"""The journey of a national machinery project, from draft to settled, each step taken by the person whose role it
is (signing out and in between), with an advance above the first-advance limit refused with the limit named."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, make_user, organisation_for
from khuyencong.projects.models import LedgerEntry, Project
from khuyencong.projects.tests.factories import make_establishment, make_plan
from khuyencong.rules.models import ContentItem

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)


def _receive(page, code):
    row = page.get_by_test_id(f"doc-{code}")
    row.locator("summary").click()
    row.get_by_role("button", name="Ghi nhận hồ sơ").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id(f"doc-{code}")).to_contain_text("Nhận ngày")


def _act(page, action, label, **inputs):
    expect(page.get_by_test_id(f"action-{action}").locator("summary")).to_have_text(label)
    box = page.get_by_test_id(f"action-{action}")
    box.locator("summary").click()
    for field, value in inputs.items():
        box.locator(f"[name='{action}-{field}']").fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


SHEETS = [  # per member: (principles, effectiveness, capacity, integration or None: not applicable, dossier)
    ("14", "30,5", "21", "8", "13"),
    ("13", "29", "20", None, "14"),
    ("12", "27", "19", "7", "12"),
]


def _council(page, project, decision, screenshot=None, prefix=""):
    """Sets up the appraisal council on its page, enters every member's sheet (the total shown as typed) and records
    the conclusion."""
    page.get_by_test_id("appraisal-link").click()
    form = page.get_by_test_id("council-form")
    form.locator("[name='decision_number']").fill(decision)
    form.locator("[name='chair_name']").fill("Tẩn Văn Minh")
    form.locator("[name='chair_position']").fill("Phó Giám đốc Sở Công Thương")
    form.locator("[name='secretary_name']").fill("Lò Thị Hoa")
    form.locator("[name='members']").fill("Vàng A Sử — Sở Tài chính")
    page.get_by_role("button", name="Thành lập hội đồng").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thành lập hội đồng thẩm định")
    for i, scores in enumerate(SHEETS, start=1):
        page.get_by_test_id(f"score-{i}").click()
        for code, value in zip(("principles", "effectiveness", "capacity", "integration", "dossier"), scores,
                               strict=True):
            if value is None:
                page.locator("[name='na_integration']").check()
            else:
                page.locator(f"[name='c_{code}']").fill(value)
        if i == 1:
            expect(page.get_by_test_id("live-total")).to_have_text("86,5")
            page.locator("[name='c_capacity']").fill("26")
            expect(page.get_by_test_id("live-total")).to_have_text("—")  # above the criterion's maximum
            page.get_by_role("button", name="Ghi điểm").click()
            expect(page.locator(".invalid-feedback")).to_contain_text("từ 0 đến 25 điểm")
            page.locator("[name='c_capacity']").fill("21")
            if screenshot:
                screenshot(page, f"{prefix}council-sheet")
        page.get_by_role("button", name="Ghi điểm").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã ghi điểm")
    expect(page.get_by_test_id("council-average").first).to_have_text("82,65")
    if screenshot:
        screenshot(page, f"{prefix}council")
    page.get_by_text("Ghi kết luận của hội đồng").click()
    page.get_by_test_id("conclude-form").locator("textarea").fill("Hội đồng nhất trí đề án đạt yêu cầu.")
    page.get_by_test_id("conclude-form").get_by_role("button", name="Ghi kết luận").click()
    expect(page.get_by_test_id("council-conclusion").first).to_have_text("Chấp thuận")
    page.get_by_role("link", name="Quay lại đề án").click()


def test_national_machinery_project_from_draft_to_settled(live_server, page, phone, screenshot, admin_units):
    call_command("load_rules", verbosity=0)
    make_user(role="centre_staff", province_code=12, username="ttkc.lc", full_name="Nguyễn Thị Thu Hà")
    make_user(role="doit_officer", province_code=12, username="sct.lc", full_name="Lò Thị Hoa")
    make_user(role="doit_manager", province_code=12, username="ldsct.lc", full_name="Tẩn Văn Minh")
    make_user(role="finance_officer", province_code=12, username="ketoan.lc", full_name="Trần Thị Lan")
    make_user(role="ministry_officer", province_code=None, username="cuc.dck", full_name="Nguyễn Văn Thành")
    plan = make_plan(year=2027, fund="national", envelope=150_000_000_000, name="Kế hoạch khuyến công quốc gia 2027")
    make_establishment(12, name="Hợp tác xã chè Tam Đường", entity_type="cooperative")
    centre = organisation_for("kc_centre", 12)
    machinery = ContentItem.objects.get(code="machinery")

    # 1. The centre drafts the project, its content, its beneficiary and its dossier, and submits it.
    _as(page, live_server, "ttkc.lc")
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="Thêm đề án").click()
    page.get_by_label("Kế hoạch năm").select_option(str(plan.pk))
    page.get_by_label("Loại").select_option("standard")
    page.get_by_label("Tên đề án").fill("Hỗ trợ máy sao, sấy chè cho Hợp tác xã chè Tam Đường")
    page.get_by_label("Đơn vị thực hiện").select_option(str(centre.pk))
    page.get_by_label("Thời gian kết thúc dự kiến").fill("31/10/2027")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KCQG-2027-12-001")
    project = Project.objects.get()
    assert project.end_date == datetime.date(2027, 10, 31)  # typed as 31/10/2027

    page.get_by_role("link", name="Thêm cơ sở thụ hưởng").click()
    page.get_by_placeholder("Tên hoặc mã số thuế").fill("che tam duong")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("button", name="Thêm Hợp tác xã chè Tam Đường vào danh sách thụ hưởng").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thêm")
    page.get_by_role("link", name="Quay lại đề án").click()

    page.get_by_role("link", name="Thêm nội dung").click()
    page.get_by_label("Nội dung").select_option(str(machinery.pk))
    page.get_by_label("Chi phí hợp lệ (đồng)").fill("640.000.000")
    page.get_by_label("Kinh phí khuyến công đề nghị hỗ trợ (đồng)").fill("320.000.000")
    page.get_by_label("Vốn đối ứng (đồng)").fill("320.000.000")
    page.get_by_role("button", name="Thêm nội dung").click()
    # Above the quote: refused with the rule's limit, the typed amounts kept.
    expect(page.locator(".invalid-feedback")).to_contain_text("300.000.000 ₫")
    expect(page.locator(".invalid-feedback")).to_contain_text("TT 28/2018")
    screenshot(page, "projects-01-content-above-quote")
    page.get_by_label("Kinh phí khuyến công đề nghị hỗ trợ (đồng)").fill("300.000.000")
    page.get_by_label("Vốn đối ứng (đồng)").fill("340.000.000")
    page.get_by_role("button", name="Thêm nội dung").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thêm nội dung")

    expect(page.get_by_test_id("reason-submit")).to_contain_text("Chưa nhận đủ hồ sơ")
    screenshot(page, "projects-02-draft-with-reasons")
    for code in ("request_letter", "project_document", "budget_estimate", "beneficiary_request", "no_double_support"):
        _receive(page, code)
    _act(page, "submit", "Gửi Sở Công Thương")
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi Sở Công Thương")

    # 2–3. The DoIT appraises at base level; its manager registers the project with the ministry agency.
    _as(page, live_server, "sct.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("reason-appraise_base")).to_contain_text("hội đồng thẩm định")
    _council(page, project, "25/QĐ-SCT", screenshot, "projects-12-")
    expect(page.get_by_test_id("reason-appraise_base")).to_contain_text("Mẫu 4a/4b")
    _receive(page, "base_appraisal")
    _act(page, "appraise_base", "Ghi nhận thẩm định cấp cơ sở", note="Đạt yêu cầu.")
    expect(page.get_by_test_id("reason-register")).to_contain_text("Lãnh đạo Sở Công Thương")
    _as(page, live_server, "ldsct.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _receive(page, "registration_report")
    _act(page, "register", "Đăng ký với Cục ĐCK", reference="655/SCT-QLCN")

    # 4. The ministry agency appraises, then the Minister's plan decision approves it.
    _as(page, live_server, "cuc.dck")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _council(page, project, "112/QĐ-CTĐP")
    _receive(page, "ministry_appraisal")
    _act(page, "appraise_ministry", "Ghi nhận thẩm định cấp Bộ")
    _act(page, "approve", "Phê duyệt vào kế hoạch", reference="3396/QĐ-BCT")
    expect(page.get_by_test_id("balances")).to_contain_text("300.000.000 ₫")

    # 5–6. The finance officer records the contract; the centre starts.
    _as(page, live_server, "ketoan.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _receive(page, "contract")
    _act(page, "contract", "Ghi nhận hợp đồng", reference="15/2027/HĐ-KCQG")
    _as(page, live_server, "ttkc.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _act(page, "start", "Bắt đầu thực hiện")

    # 6b. The centre sends its monthly progress report (Mẫu 3b); the DoIT inspects, with a photo.
    page.get_by_test_id("monitoring-summary").get_by_role("link", name="Mở hồ sơ theo dõi thực hiện").click()
    page.get_by_role("link", name="Gửi báo cáo tiến độ").click()
    page.get_by_label("Khối lượng công việc đã thực hiện").fill("Đã ký hợp đồng mua máy sao chè, chờ giao hàng.")
    page.get_by_label("Lũy kế % hoàn thành").fill("30")
    page.get_by_label("Kinh phí đã sử dụng trong tháng (đồng)").fill("120.000.000")
    page.get_by_label("Khó khăn, vướng mắc").fill("Nhà cung cấp giao máy chậm do mưa lũ.")
    screenshot(page, "projects-07-progress-report-form")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận báo cáo tiến độ tháng")
    expect(page.locator("#reports")).to_contain_text("đúng hạn")
    _as(page, live_server, "sct.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/monitoring/")
    page.get_by_role("link", name="Ghi nhận đợt kiểm tra").click()
    page.get_by_label("Ngày kiểm tra").fill(datetime.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Đoàn kiểm tra (thành phần)").fill("Phòng Quản lý công nghiệp, Sở Công Thương Lai Châu")
    page.get_by_label("Kết quả kiểm tra").fill("Máy đã về, đang lắp đặt tại xưởng.")
    page.get_by_label("Kiến nghị").fill("Bổ sung sổ theo dõi vận hành máy.")
    page.get_by_label("Ảnh và tài liệu").set_input_files(
        [{"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0 photo"}])
    page.get_by_role("button", name="Ghi nhận đợt kiểm tra").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận đợt kiểm tra")
    expect(page.locator("#visits")).to_contain_text("Đang theo dõi khắc phục")
    expect(page.locator("#visits")).to_contain_text("hien-truong")

    # 6c. The centre asks to finish later; the rules send it to the ministry agency, which approves it.
    _as(page, live_server, "ttkc.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/monitoring/")
    page.get_by_role("link", name="Đề nghị điều chỉnh").click()
    page.locator("[name='kind']").select_option("schedule")
    page.get_by_label("Lý do").fill("Nhà cung cấp giao máy chậm; đề nghị lùi thời hạn hoàn thành.")
    page.get_by_label("Thời hạn hoàn thành mới (điều chỉnh tiến độ)").fill("15/12/2027")
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận đề nghị điều chỉnh")
    expect(page.locator("#adjustments")).to_contain_text("Cục")
    expect(page.locator("#adjustments")).to_contain_text("Chờ quyết định")
    _as(page, live_server, "cuc.dck")
    page.goto(f"{live_server.url}/projects/{project.pk}/monitoring/")
    box = page.locator("#adjustments article").first
    box.locator("summary").click()
    box.locator("[name$='-reference']").fill("125/QĐ-ĐCK")
    box.locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận quyết định: Được chấp thuận")
    screenshot(page, "projects-11-adjustment-approved")
    project.refresh_from_db()
    assert project.end_date == datetime.date(2027, 12, 15)

    # 7. An advance above the first-advance limit (70 % for machinery) is refused, the limit named.
    _as(page, live_server, "ketoan.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    ledger = page.get_by_test_id("ledger-form")
    ledger.locator("summary").click()
    ledger.get_by_label("Loại").select_option("ADVANCE")
    ledger.get_by_label("Số tiền (đồng)").fill("250.000.000")
    ledger.get_by_role("button", name="Ghi sổ").click()
    error = page.get_by_test_id("ledger-error")
    expect(error).to_contain_text("Tạm ứng lần đầu không được vượt 210.000.000 ₫")
    expect(error).to_contain_text("70%")
    expect(page.get_by_test_id("ledger-form").get_by_label("Số tiền (đồng)")).to_have_value("250.000.000")
    page.get_by_test_id("ledger-form").scroll_into_view_if_needed()
    screenshot(page, "projects-03-advance-refused")
    ledger = page.get_by_test_id("ledger-form")
    ledger.get_by_label("Số tiền (đồng)").fill("210.000.000")
    ledger.get_by_label("Số chứng từ").fill("UNC 0412")
    ledger.get_by_role("button", name="Ghi sổ").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi sổ")
    # The treasury cap (70 % of the contract before acceptance) refuses one đồng more.
    ledger = page.get_by_test_id("ledger-form")
    ledger.locator("summary").click()
    ledger.get_by_label("Loại").select_option("ADVANCE")
    ledger.get_by_label("Số tiền (đồng)").fill("1")
    ledger.get_by_role("button", name="Ghi sổ").click()
    expect(page.get_by_test_id("ledger-error")).to_contain_text("Trước khi nghiệm thu")
    expect(page.get_by_test_id("ledger-error")).to_contain_text("TTLT 26/2014")

    # 8. The DoIT accepts the work: not before the acceptance minutes are recorded.
    _as(page, live_server, "sct.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("reason-accept")).to_contain_text("biên bản nghiệm thu")
    page.goto(f"{live_server.url}/projects/{project.pk}/monitoring/")
    page.get_by_role("link", name="Ghi nhận biên bản nghiệm thu").click()
    page.get_by_label("Ngày lập biên bản").fill(datetime.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Số biên bản").fill("05/BB-NT")
    page.get_by_label("Thành phần ký biên bản").fill(
        "Lò Thị Hoa — Chuyên viên, Sở Công Thương\nNguyễn Thị Thu Hà — Trung tâm Khuyến công\n"
        "Giàng A Sử — Chủ nhiệm Hợp tác xã chè Tam Đường")
    page.locator("[name^='plan_']").first.fill("1 máy")
    page.locator("[name^='got_']").first.fill("1 máy")
    page.locator("[name='ind_x1']").fill("Lao động được hướng dẫn vận hành")
    page.locator("[name='got_x1']").fill("12 người")
    page.locator("[name='met_x1']").check()
    page.locator("[name='conclusion']").select_option("passed")
    screenshot(page, "projects-08-acceptance-form")
    page.get_by_role("button", name="Ghi nhận biên bản").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận biên bản nghiệm thu")
    expect(page.locator("#acceptance")).to_contain_text("Lao động được hướng dẫn vận hành")
    screenshot(page, "projects-09-monitoring")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _receive(page, "acceptance_minutes")
    _receive(page, "completion_report")
    _act(page, "accept", "Ghi nhận nghiệm thu")

    # 9. The finance officer submits the settlement dossier with the machinery evidence.
    _as(page, live_server, "ketoan.lc")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    for code in ("settlement_detail", "voucher_list", "payment_request", "seller_contract"):
        _receive(page, code)
    _act(page, "submit_settlement", "Nộp hồ sơ quyết toán")

    # 10. The ministry agency settles: the project is settled, 90.000.000 ₫ still to pay.
    _as(page, live_server, "cuc.dck")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _receive(page, "liquidation_minutes")
    _act(page, "settle", "Ghi nhận quyết toán", amount="300.000.000", reference="TL 15/2027")
    expect(page.get_by_role("alert")).to_contain_text("Đã quyết toán")
    expect(page.get_by_test_id("balances")).to_contain_text("210.000.000 ₫")
    expect(page.locator("#ledger")).to_contain_text("90.000.000 ₫")
    screenshot(page, "projects-04-settled")
    project.refresh_from_db()
    assert project.status == "settled"
    assert list(LedgerEntry.objects.filter(project=project).values_list("kind", flat=True)) == [
        "APPROVED", "CONTRACTED", "ADVANCE", "SETTLEMENT"]

    # On a phone: the list and the project page stay usable.
    login(phone, live_server, "ketoan.lc", PASSWORD)
    phone.goto(f"{live_server.url}/projects/")
    expect(phone.get_by_role("link", name="KCQG-2027-12-001")).to_be_visible()
    screenshot(phone, "projects-05-list-phone")
    phone.get_by_role("link", name="KCQG-2027-12-001").click()
    expect(phone.get_by_test_id("balances")).to_be_visible()
    screenshot(phone, "projects-06-detail-phone")
    phone.goto(f"{live_server.url}/projects/{project.pk}/monitoring/")
    expect(phone.locator("#acceptance")).to_contain_text("05/BB-NT")
    screenshot(phone, "projects-10-monitoring-phone")
    phone.goto(f"{live_server.url}/projects/{project.pk}/appraisal/")
    expect(phone.get_by_test_id("council-average").first).to_have_text("82,65")
    screenshot(phone, "projects-13-appraisal-phone")

    # Exports: the plan's Mẫu 2 table and the settlement workbook are linked from their pages.
    page.goto(f"{live_server.url}/projects/plans/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("plan-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("settlement-export").click()
    assert download.value.suggested_filename == "quyet-toan-KCQG-2027-12-001.xlsx"

    # The status board, at desktop and phone size.
    page.goto(f"{live_server.url}/projects/board/")
    expect(page.get_by_test_id("board-state-settled")).to_contain_text("1")
    screenshot(page, "projects-14-board")
    phone.goto(f"{live_server.url}/projects/board/")
    expect(phone.get_by_test_id("board-state-settled")).to_be_visible()
    screenshot(phone, "projects-15-board-phone")
