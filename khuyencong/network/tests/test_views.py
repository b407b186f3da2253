"""Pages: the public application with its spam handling, the staff's review, the collaborator's phone pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import commune_of, make_user
from khuyencong.projects.tests.factories import make_establishment, make_plan

from ..models import CollaboratorApplication, Coverage, FieldRecord, Regulation
from .conftest import LAI_CHAU, TAY_NINH
from .factories import (
    PNG,
    make_application,
    make_collaborator,
    make_fee_sheet,
    make_field_collaborator,
    make_record,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def form(**overrides) -> dict:
    return {"province": "12", "full_name": "Giàng Thị Pằng", "gender": "female", "birth_year": str(TODAY.year - 28),
            "phone": "0912 000 111", "id_number": "012195000777", "residence_commune": commune_of(LAI_CHAU, 0).pk,
            "education_level": "upper_secondary", "experience_years": "2", "communes": [commune_of(LAI_CHAU, 0).pk],
            "health_declared": "on", "consent": "on", "website": "", **overrides}


def test_public_page_needs_no_login_and_lists_the_standards(client, regulation):
    response = client.get("/network/apply/?province=12")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Từ đủ 18 đến 60 tuổi" in body and 'name="website"' in body


def test_application_sent_without_an_account(client, regulation):
    response = client.post("/network/apply/?province=12", form())
    assert response.status_code == 302 and response.url == "/network/apply/sent/"
    application = CollaboratorApplication.objects.get()
    assert application.full_name == "Giàng Thị Pằng" and application.source_hash
    page = client.get("/network/apply/sent/").content.decode()
    assert application.reference in page
    assert client.get("/network/apply/sent/").status_code == 302  # the reference is shown once


def test_honeypot_keeps_nothing_but_looks_accepted(client, regulation):
    response = client.post("/network/apply/?province=12", form(website="http://spam.example"))
    assert response.status_code == 302
    assert not CollaboratorApplication.objects.exists()


def test_rate_limit_per_address_keeps_what_was_typed(client, regulation, settings):
    settings.KC_NETWORK_APPLY_LIMIT = (2, 3600)
    client.post("/network/apply/?province=12", form())
    client.post("/network/apply/?province=12", form(id_number="012195000778", full_name="Người thứ hai"))
    response = client.post("/network/apply/?province=12", form(id_number="012195000779", full_name="Người thứ ba"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "Có quá nhiều hồ sơ được gửi từ kết nối của bạn" in body and 'value="Người thứ ba"' in body
    assert CollaboratorApplication.objects.count() == 2
    other = client.post("/network/apply/?province=12", form(id_number="012195000780"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_invalid_application_keeps_the_input(client, regulation):
    response = client.post("/network/apply/?province=12", form(phone="12", id_number="123"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Giàng Thị Pằng"' in body and "10 chữ số" in body
    assert not CollaboratorApplication.objects.exists()
    response = client.post("/network/apply/?province=12", form(consent=""))
    assert "Trường này là bắt buộc" in response.content.decode()


def test_staff_accepts_and_the_password_is_shown_once(client, staff, regulation):
    application = make_application(LAI_CHAU, name="Sùng A Páo")
    client.force_login(staff)
    page = client.get(f"/network/applications/{application.pk}/")
    assert "Sùng A Páo" in page.content.decode()
    response = client.post(f"/network/applications/{application.pk}/accept/", {
        "decision_number": "21/QĐ-TTKC", "decision_date": TODAY.isoformat(),
        "communes": [commune_of(LAI_CHAU, 2).pk], "version": application.version})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert 'data-testid="new-password"' in detail
    assert 'data-testid="new-password"' not in client.get(response.url).content.decode()
    collaborator = CollaboratorApplication.objects.get().collaborator
    letter = client.get(f"/network/collaborators/{collaborator.pk}/decision/").content.decode()
    commune = commune_of(LAI_CHAU, 2).name
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 21/QĐ-TTKC",
                 "Về việc công nhận cộng tác viên khuyến công", "Sùng A Páo",
                 f"trên địa bàn {commune[0].lower()}{commune[1:]}, tỉnh Lai Châu", "QUYẾT ĐỊNH:", "Nơi nhận:"):
        assert text in letter
    download = client.get(f"/network/collaborators/{collaborator.pk}/decision/?download=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_accept_with_an_error_keeps_the_form(client, staff, regulation):
    application = make_application(LAI_CHAU)
    client.force_login(staff)
    response = client.post(f"/network/applications/{application.pk}/accept/", {
        "decision_number": "21/QĐ-TTKC", "decision_date": "2019-01-01",
        "communes": [commune_of(LAI_CHAU, 2).pk], "version": application.version})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Chưa có quy chế mạng lưới của tỉnh có hiệu lực ngày 01/01/2019" in body and 'value="21/QĐ-TTKC"' in body


def test_collaborator_surveys_with_a_photo_on_the_phone_page(client, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 0), name="Cơ sở rèn Sìn Hồ",
                                       employees=4)
    client.force_login(user)
    home = client.get("/network/").content.decode()
    assert "Khảo sát cơ sở" in home and collaborator.full_name in home
    pick = client.get("/network/field/new/survey/?q=ren").content.decode()
    assert "Cơ sở rèn Sìn Hồ" in pick
    page = client.get(f"/network/field/new/survey/?establishment={establishment.pk}")
    assert page.status_code == 200
    data = {"occurred_on": TODAY.isoformat(), "representative": "", "employees": "7", "status": "active",
            "latitude": "22.39", "longitude": "103.45", "notes": "Đã đến cơ sở.",
            "photo": SimpleUploadedFile("anh.png", PNG, content_type="image/png")}
    response = client.post(f"/network/field/new/survey/?establishment={establishment.pk}", data)
    assert response.status_code == 302
    record = FieldRecord.objects.get()
    assert record.proposed_changes["employees"] == 7 and record.photo
    photo = client.get(f"/network/field/{record.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_failed_field_submit_keeps_what_was_typed(client, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 0))
    client.force_login(user)
    response = client.post("/network/field/new/need/", {
        "establishment": "", "content_code": "machinery", "expected_cost_vnd": "150.000.000",
        "occurred_on": TODAY.isoformat(), "notes": "Cần máy sấy chè",
        "photo": SimpleUploadedFile("a.png", PNG, content_type="image/png")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cần máy sấy chè" in body and 'value="150.000.000"' in body and "Chọn lại ảnh" in body


def test_staff_converts_a_need_from_its_page(client, staff, regulation):
    collaborator, _user = make_field_collaborator(LAI_CHAU)
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 0))
    record = make_record(collaborator, "need", establishment=establishment, content_code="machinery",
                         expected_cost_vnd=100_000_000)
    plan = make_plan(year=TODAY.year + 1)
    client.force_login(staff)
    page = client.get(f"/network/field/{record.pk}/").content.decode()
    assert "Lập đề xuất" in page
    response = client.post(f"/network/field/{record.pk}/convert/", {"plan": plan.pk, "version": record.version})
    assert response.status_code == 302 and response.url.startswith("/projects/")
    record.refresh_from_db()
    assert record.project is not None


def test_regulation_page_edit_with_its_lists(client, staff, regulation):
    client.force_login(staff)
    page = client.get(f"/network/regulation/{regulation.pk}/edit/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update({"issued_on": "2025-01-10", "effective_from": "2025-01-01", "monthly_base_vnd": "650.000",
                 "per_survey_vnd": "30.000", "per_conversion_vnd": "300.000", "per_report_vnd": "50.000",
                 "accepts_applications": "on", "version": regulation.version})
    data.pop("effective_to", None)
    data.pop("monthly_cap_vnd", None)
    for prefix, formset in (("standards", page.context["standards"]), ("criteria", page.context["criteria"])):
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for i, f in enumerate(formset.forms):
            for key, value in (f.initial or {}).items():
                if value is not None:
                    data[f"{prefix}-{i}-{key}"] = value
    response = client.post(f"/network/regulation/{regulation.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    regulation.refresh_from_db()
    assert regulation.monthly_base_vnd == 650_000 and regulation.criteria.count() == 5


def test_other_province_is_404_for_staff_pages(client, staff):
    client.force_login(staff)
    assert client.get("/network/coverage/?province=80").status_code == 404
    assert client.get("/network/coverage/?province=12").status_code == 200


def test_fee_sheet_export_is_a_spreadsheet_with_the_lines(client, staff, regulation):
    collaborator = make_collaborator(LAI_CHAU, name="Lò Văn Sơn")
    sheet = make_fee_sheet(LAI_CHAU, regulation=regulation, collaborator=collaborator, total=1_550_000)
    client.force_login(staff)
    response = client.get(f"/network/fees/{sheet.pk}/export.xlsx")
    from khuyencong.testing.scope import _body

    text = _body(response)
    assert "Lò Văn Sơn" in text and "1550000" in text.replace(".0", "")


def test_collaborator_page_shows_dates_day_first_and_reads_them_back(client, staff, regulation):
    collaborator = make_collaborator(LAI_CHAU, name="Lò Văn Sơn")
    client.force_login(staff)
    page = client.get(f"/network/collaborators/{collaborator.pk}/").content.decode()
    today = TODAY.strftime("%d/%m/%Y")
    assert f'name="on_date" value="{today}"' in page and f'name="end_date" value="{today}"' in page
    assert 'type="date"' not in page
    coverage = Coverage.objects.get(collaborator=collaborator)
    ended_on = datetime.date(2026, 2, 5)
    client.post(f"/network/coverage/{coverage.pk}/end/", {"end_date": "05/02/2026", "reason": "Chuyển công tác"})
    coverage.refresh_from_db()
    assert coverage.end_date == ended_on  # 5 February, not 2 May


def test_pages_render_for_staff_and_collaborators(client, staff, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    make_record(collaborator)
    client.force_login(staff)
    for url in ("/network/", "/network/collaborators/", "/network/applications/", "/network/coverage/",
                "/network/reassign/", "/network/field/", "/network/tasks/", "/network/announcements/",
                "/network/performance/?period=2026-Q1", "/network/fees/", "/network/regulation/",
                "/network/regulation/new/", "/network/collaborators/new/", "/network/tasks/new/",
                "/network/announcements/new/", f"/network/collaborators/{collaborator.pk}/"):
        assert client.get(url).status_code == 200, url
    client.force_login(user)
    for url in ("/network/", "/network/field/", "/network/tasks/", "/network/announcements/",
                "/network/field/new/need/", "/network/field/new/communication/", "/network/field/new/followup/",
                "/network/field/new/survey/"):
        assert client.get(url).status_code == 200, url


def test_list_pages_make_the_same_number_of_queries_with_more_rows(client, staff, regulation):
    client.force_login(staff)
    urls = ["/network/collaborators/", "/network/field/", "/network/tasks/", "/network/applications/?status=all",
            "/network/coverage/", "/network/performance/"]

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result[url] = len(ctx.captured_queries)
        return result

    def add(i):
        c = make_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, i)])
        make_record(c, topic=f"Buổi {i}")
        from .factories import make_task

        make_task(c, due_date=TODAY + datetime.timedelta(days=3))
        make_application(LAI_CHAU)

    add(0)
    before = counts()
    for i in range(1, 8):
        add(i)
    assert counts() == before


def test_announcement_read_receipts_on_the_staff_page(client, staff, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    client.force_login(staff)
    response = client.post("/network/announcements/new/?province=12", {"title": "Tập huấn", "body": "Ngày 5/12"})
    assert response.status_code == 302
    client.force_login(user)
    client.get(response.url)
    client.force_login(staff)
    page = client.get(response.url).content.decode()
    assert collaborator.full_name in page and "chưa đọc" not in page


def test_collaborator_without_a_record_gets_an_explanation(client, db):
    user = make_user(Role.COLLABORATOR, LAI_CHAU, communes=[commune_of(LAI_CHAU, 0)])
    client.force_login(user)
    assert "chưa được liên kết" in client.get("/network/").content.decode()
    assert client.post("/network/fees/prepare/", {"period": "2026-03"}).status_code == 403


def test_regulation_of_another_province_cannot_be_created_by_url(client, staff):
    client.force_login(staff)
    assert client.post("/network/regulation/new/?province=80", {"number": "x"}).status_code == 404
    assert not Regulation.objects.filter(province__code=TAY_NINH).exists()
