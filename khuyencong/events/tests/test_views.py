"""Pages: they render what the services recorded, keep what was typed on a refusal, and refuse changes to another
province's lesson or practice."""

import io
import subprocess

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as tr
from python_calamine import CalamineWorkbook

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.events import report as report_module
from khuyencong.events import services
from khuyencong.events.models import Event, Lesson, MissionReport

from .helpers import LAI_CHAU, TAY_NINH, D, centre, establishment, legacy_province, make_event, pdf, person

pytestmark = pytest.mark.django_db


def cells(response) -> str:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return "\n".join(" ".join(str(c) for c in row) for name in workbook.sheet_names
                     for row in workbook.get_sheet_by_name(name).to_python())


@pytest.fixture
def seed_tour(staff, manager):
    """The Lai Châu tour of 2016, in short: a legacy host, a day, a visit, a member, a lesson."""
    tour = make_event(staff, title="Đoàn học tập kinh nghiệm tại Yên Bái", audience="mixed",
                      start_date=D(2016, 12, 4), end_date=D(2016, 12, 5))
    services.event_place_add(actor=staff, event=tour, unit=legacy_province(15))
    day = services.itinerary_day_add(actor=staff, event=tour, day=D(2016, 12, 4), host_province=legacy_province(15),
                                     host_name="Sở Công Thương tỉnh Yên Bái", activities="Trao đổi chính sách.",
                                     topics=["policy", "training"])
    services.site_visit_add(actor=staff, day=day, kind="demo_model", name="Mô hình máy sấy quế")
    services.budget_line_add(actor=staff, event=tour, kind="transport", unit_cost=10_000_000, support=10_000_000)
    services.event_transition(actor=manager, event=tour, action="approve", on_date=D(2016, 11, 20),
                              inputs={"reference": "215/QĐ-SCT"})
    head = person(staff, tour, "Lò Văn Trưởng", role="head", position="Phó Giám đốc")
    person(staff, tour, "Chủ cơ sở", origin="establishment", establishment=establishment())
    services.attendance_record(actor=staff, event=tour, day=D(2016, 12, 4), upload=pdf(), present=[head])
    services.event_transition(actor=staff, event=tour, action="hold", on_date=D(2016, 12, 6))
    services.lesson_create(actor=staff, data={"event": tour, "topic": "policy", "province": province(15),
                                              "place_then": legacy_province(15),
                                              "title": "Tham mưu chính sách khuyến công địa phương",
                                              "practice": "Nghị quyết HĐND tỉnh."})
    return tour


def test_event_list_calendar_and_detail_show_the_tour(client, staff, seed_tour):
    client.force_login(staff)
    body = client.get("/events/?q=yen+bai").content.decode()
    assert seed_tour.title in body and "Tỉnh Yên Bái" in body and "Tỉnh Lào Cai" in body
    assert seed_tour.title in client.get("/events/calendar/?month=2016-12").content.decode()
    detail = client.get(f"/events/{seed_tour.pk}/").content.decode()
    for text in ("Mô hình máy sấy quế", "Sở Công Thương tỉnh Yên Bái", "Tham mưu chính sách khuyến công địa phương",
                 "Lò Văn Trưởng", "215/QĐ-SCT", str(tr("no verified rate")), str(tr("Draft the report from the data"))):
        assert text in detail, text
    htmx = client.get("/events/?q=yen", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in htmx and seed_tour.title in htmx


def test_create_event_keeps_input_on_refusal(client, staff):
    client.force_login(staff)
    data = {"kind": "study_tour_domestic", "audience": "officials", "title": "Đoàn thử", "fund": "local",
            "organiser": centre(LAI_CHAU).pk, "start_date": "2026-04-01", "end_date": "2026-04-02",
            "content": Event._meta.get_field("content").related_model.objects.get(code="training").pk}
    response = client.post("/events/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Đoàn thử"' in body and "is-invalid" in body
    data["content"] = Event._meta.get_field("content").related_model.objects.get(code="kc_capacity").pk
    response = client.post("/events/new/", data)
    event = Event.objects.get(title="Đoàn thử")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"


def test_bad_upload_is_shown_on_the_form(client, staff, manager, seed_tour):
    client.force_login(staff)
    response = client.post(f"/events/{seed_tour.pk}/attendance/", {
        "day": "2016-12-05", "present": [seed_tour.participants.first().pk],
        "file": SimpleUploadedFile("ky.docx", b"PK\x03\x04")})
    assert response.status_code == 422
    body = response.content.decode()
    assert tr("Attach a PDF, JPEG, PNG or WebP file (this one is “%(name)s”).") % {"name": "ky.docx"} in body
    assert 'value="2016-12-05" selected' in body


def test_attendance_file_is_served_to_the_province(client, staff, viewer, seed_tour):
    client.force_login(viewer)
    response = client.get(f"/events/{seed_tour.pk}/attendance/2016-12-04/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/events/{seed_tour.pk}/attendance/2016-12-05/").status_code == 404


def test_mission_report_drafted_edited_signed_and_printable(client, staff, seed_tour):
    client.force_login(staff)
    response = client.post(f"/events/{seed_tour.pk}/report/")
    assert response.status_code == 302 and response["Location"].endswith("?edit=1")
    report = MissionReport.objects.get(event=seed_tour)
    page = client.get(f"/events/{seed_tour.pk}/report/?edit=1").content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "Kết quả chuyến công tác học tập kinh nghiệm tại tỉnh Yên Bái" in page
    assert report_module.place_date_line("Lai Châu", timezone.localdate()) in page  # drafted today
    data = {k: getattr(report, k) for k in services.REPORT_FIELDS} | {
        "number": "45/BC-TTKC", "report_date": "2016-12-12", "version": report.version,
        "body": report.body + "\nĐoàn kiến nghị thêm."}
    assert client.post(f"/events/{seed_tour.pk}/report/", data).status_code == 302
    assert client.post(f"/events/{seed_tour.pk}/report/sign/").status_code == 302
    report.refresh_from_db()
    assert report.signed and report.number == "45/BC-TTKC" and report.body.endswith("Đoàn kiến nghị thêm.")
    page = client.get(f"/events/{seed_tour.pk}/report/").content.decode()
    assert "Số: 45/BC-TTKC" in page and "Lai Châu, ngày 12 tháng 12 năm 2016" in page and "(Đã ký)" in page
    data["body"] = "Sửa sau khi ký"
    client.post(f"/events/{seed_tour.pk}/report/", data)
    report.refresh_from_db()
    assert "Sửa sau khi ký" not in report.body


def test_mission_report_downloads_as_pdf_and_docx_with_the_edited_text(client, staff, seed_tour):
    client.force_login(staff)
    client.post(f"/events/{seed_tour.pk}/report/")
    report = MissionReport.objects.get(event=seed_tour)
    data = {k: getattr(report, k) for k in services.REPORT_FIELDS} | {
        "number": "45/BC-TTKC", "report_date": "2016-12-12", "version": report.version,
        "signer_title": "KT. Giám đốc / Phó Giám đốc", "signer_name": "Lò Văn Trưởng",
        "body": report.body + "\nĐoàn kiến nghị thêm về mạng lưới cộng tác viên."}
    assert client.post(f"/events/{seed_tour.pk}/report/", data).status_code == 302
    page = client.get(f"/events/{seed_tour.pk}/report/").content.decode()
    assert 'data-testid="report-pdf"' in page and "?format=docx" in page
    response = client.get(f"/events/{seed_tour.pk}/report/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="bao-cao-{seed_tour.pk}-')
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 45/BC-TTKC",
                 "Lai Châu, ngày 12 tháng 12 năm 2016", "BÁO CÁO", "Kết quả chuyến công tác học tập kinh nghiệm",
                 "I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN", "II. LỊCH TRÌNH VÀ NỘI DUNG LÀM VIỆC", "Mô hình máy sấy quế",
                 "Đoàn kiến nghị thêm về mạng lưới cộng tác viên.", "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "Lò Văn Trưởng"):
        assert part in flat, part
    word = docx.Document(io.BytesIO(client.get(f"/events/{seed_tour.pk}/report/?format=docx").content))
    assert "Số: 45/BC-TTKC" in word.tables[0].rows[0].cells[0].text
    paragraphs = [p.text for p in word.paragraphs]
    assert "II. LỊCH TRÌNH VÀ NỘI DUNG LÀM VIỆC" in paragraphs
    assert "Đoàn kiến nghị thêm về mạng lưới cộng tác viên." in paragraphs
    assert word.tables[-1].rows[0].cells[1].text.splitlines()[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_mission_report_download_is_scoped(client, staff, seed_tour):
    client.force_login(staff)
    client.post(f"/events/{seed_tour.pk}/report/")
    client.force_login(make_user(Role.CENTRE_STAFF, 80, username="ttkc.tn.report"))
    assert client.get(f"/events/{seed_tour.pk}/report/?format=pdf").status_code == 404


def test_participant_list_to_sign_as_pdf_and_docx(client, staff, seed_tour):
    client.force_login(staff)
    response = client.get(f"/events/{seed_tour.pk}/sign-list/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                                   check=True).stdout.decode().split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DANH SÁCH", "Người tham dự ký nhận",
                 "Đoàn học tập kinh nghiệm tại Yên Bái", "Họ và tên", "Ngày Ngày 04/12 05/12", "Lò Văn Trưởng",
                 "Chủ cơ sở", "NGƯỜI LẬP DANH SÁCH", "Nguyễn Thị Thu Hà", "năm 2016"):
        assert part in text, part
    assert "Số:" not in text  # a list carries no number
    word = docx.Document(io.BytesIO(client.get(f"/events/{seed_tour.pk}/sign-list/?format=docx").content))
    signing = word.tables[1]
    assert [c.text for c in signing.rows[0].cells][:2] == ["TT", "Họ và tên"]
    assert {row.cells[1].text for row in signing.rows[1:]} == {"Lò Văn Trưởng", "Chủ cơ sở"}
    assert client.get(f"/events/{seed_tour.pk}/sign-list/?format=odt").status_code == 404


def test_exports_to_sign_booths_and_settlement(client, staff, seed_tour):
    client.force_login(staff)
    signing = cells(client.get(f"/events/{seed_tour.pk}/participants.xlsx"))
    assert "Lò Văn Trưởng" in signing and "04/12" in signing
    response = client.get(f"/events/{seed_tour.pk}/settlement.xlsx")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    budget, payees, sheets = (workbook.get_sheet_by_index(i).to_python() for i in range(3))
    assert any(10_000_000 in row for row in budget)
    names = [row[1] for row in payees[1:]]
    assert names == ["Chủ cơ sở"]  # the state-paid head of delegation is paid by his agency, not listed
    assert [row[2] for row in sheets[1:]] == [1, 0]  # one present on the signed list of 04/12, none on 05/12
    booths = client.get(f"/events/{seed_tour.pk}/booths.xlsx")
    assert booths.status_code == 200


def test_settlement_summary_and_booth_list_as_documents(client, staff, seed_tour):
    client.force_login(staff)
    response = client.get(f"/events/{seed_tour.pk}/documents/settlement/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                                   check=True).stdout.decode().split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quyết toán sự kiện", "Đoàn học tập kinh nghiệm tại Yên Bái",
                 "10.000.000", "Danh sách chi trả", "Chủ cơ sở", "Nguyễn Thị Thu Hà"):
        assert part in text, part
    assert "Tổng" in text and "cộng" in text  # the total row (its words may wrap in the narrow column)
    word = docx.Document(io.BytesIO(client.get(f"/events/{seed_tour.pk}/documents/settlement/?format=docx").content))
    assert any("10.000.000" in cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert client.get(f"/events/{seed_tour.pk}/documents/booths/").status_code == 200
    assert client.get(f"/events/{seed_tour.pk}/documents/other/").status_code == 404
    assert client.get(f"/events/{seed_tour.pk}/documents/booths/?format=odt").status_code == 404


def test_lessons_are_readable_everywhere_but_editable_only_at_home(client, staff, tn_staff, seed_tour):
    lesson = Lesson.objects.get()
    client.force_login(tn_staff)
    body = client.get("/lessons/?q=tham+muu+chinh+sach").content.decode()
    assert lesson.title in body
    detail = client.get(f"/lessons/{lesson.pk}/")
    assert detail.status_code == 200
    reason = tr("Every province reads this lesson, but only %(province)s, which recorded it, can change it.") % {
        "province": "Tỉnh Lai Châu"}
    assert reason in detail.content.decode()
    assert client.get(f"/lessons/{lesson.pk}/edit/").status_code == 302
    response = client.post(f"/lessons/{lesson.pk}/edit/", {"title": "Bị sửa", "topic": "policy", "practice": "x",
                                                          "province": province(15).pk})
    assert response.status_code == 403
    assert client.post(f"/lessons/{lesson.pk}/followups/", {"kind": "policy", "proposal": "x", "owner": "y",
                                                             "status": "proposed"}).status_code == 403
    lesson.refresh_from_db()
    assert lesson.title != "Bị sửa" and not lesson.followups.exists()
    # The tour itself stays in Lai Châu's scope: the lesson names it without a link.
    assert f"/events/{seed_tour.pk}/" not in detail.content.decode()


def test_lesson_recorded_from_a_tour_is_prefilled(client, staff, seed_tour):
    client.force_login(staff)
    page = client.get(f"/lessons/new/?event={seed_tour.pk}").content.decode()
    assert 'value="Sở Công Thương tỉnh Yên Bái"' in page
    response = client.post("/lessons/new/", {"event": seed_tour.pk, "topic": "training", "title": "Bài học mới",
                                             "practice": "Cách làm.", "province": province(15).pk,
                                             "place_then": legacy_province(15).pk})
    assert response.status_code == 302
    assert Lesson.objects.get(title="Bài học mới").author_province.code == LAI_CHAU


def test_practice_changed_only_by_its_province(client, staff, tn_staff):
    practice = services.practice_create(actor=tn_staff, data={
        "province": province(TAY_NINH), "topic": "collaborator_network", "title": "Mạng lưới sau hợp nhất",
        "description": "Một quy chế chung.", "evidence": "Quy chế 2025."})
    client.force_login(staff)
    assert "Mạng lưới sau hợp nhất" in client.get("/lessons/practices/?q=mang+luoi").content.decode()
    assert client.post(f"/lessons/practices/{practice.pk}/edit/", {"title": "x"}).status_code == 403
    client.force_login(tn_staff)
    assert client.get(f"/lessons/practices/{practice.pk}/edit/").status_code == 200


def test_planner_page_ranks_and_drafts(client, staff, tn_staff):
    services.practice_create(actor=tn_staff, data={
        "province": province(TAY_NINH), "topic": "collaborator_network", "title": "Mạng lưới sau hợp nhất",
        "description": "Một quy chế chung.", "evidence": "Quy chế 2025."})
    client.force_login(staff)
    page = client.get(f"/events/planner/?home={province(LAI_CHAU).pk}&topics=collaborator_network")
    body = page.content.decode()
    assert page.status_code == 200 and "Tỉnh Tây Ninh" in body and "Mạng lưới sau hợp nhất" in body
    response = client.post("/events/planner/draft/", {
        "home": province(LAI_CHAU).pk, "topics": ["collaborator_network"], f"order_{province(TAY_NINH).pk}": 1,
        "start_date": "2027-03-15", "days_per_host": 2, "audience": "mixed", "fund": "local", "state_paid": 3,
        "non_state": 5, "transport_cost": "30.000.000", "per_diem": "200.000", "lodging": "400.000",
        "step": "draft"})
    tour = Event.objects.get(kind="study_tour_domestic")
    assert response.status_code == 302 and response["Location"] == f"/events/{tour.pk}/"
    assert tour.budget_lines.count() == 3 and tour.planned_non_state == 5


def test_training_results_page(client, staff):
    client.force_login(staff)
    response = client.get("/events/training-results/")
    assert response.status_code == 200 and 'data-testid="training-figures"' in response.content.decode()


def test_event_page_of_a_fair_and_a_training(client, staff):
    client.force_login(staff)
    fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate",
                      start_date=D(2025, 11, 12), end_date=D(2025, 11, 13))
    services.booth_add(actor=staff, event=fair, establishment=establishment(), number="A1", price=10_000_000)
    body = client.get(f"/events/{fair.pk}/").content.decode()
    assert "A1" in body and "NQ 18/2025" in body
    course = make_event(staff, kind="training", audience="", content="training", title="Lớp dệt")
    person(staff, course, "Học viên Một", role="trainee", origin="other")
    body = client.get(f"/events/{course.pk}/").content.decode()
    assert "Học viên Một" in body and 'id="curriculum"' in body
