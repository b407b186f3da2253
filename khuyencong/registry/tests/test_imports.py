"""The upload screen: upload → checked in the background → preview with counts and errors → confirm (choosing a
commune for divided ones) → imported. The test settings run tasks at once (immediate backend)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.core.errors import PermissionDenied
from khuyencong.core.models import AuditEvent
from khuyencong.registry import imports
from khuyencong.registry.models import Establishment, ImportJob

from .helpers import TAY_NINH, current_named, read_xlsx, split_commune_in, table_after, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Tên cơ sở", "Loại hình", "Điện thoại", "Xã/phường", "Huyện", "Tỉnh"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def divided():
    return split_commune_in(TAY_NINH)


@pytest.fixture
def upload(tmp_path, divided):
    legacy, _currents = divided
    rows = [
        [1, "Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", "0912 345 678", "Xã Mỹ Lệ", "Huyện Cần Đước", "Long An"],
        [2, "Cơ sở bánh phồng Tân An", "Hộ kinh doanh", "", "Phường 1", "TP Tân An", "Long An"],
        [3, "Cơ sở mây tre đan Bến Cũ", "Hộ kinh doanh", "", legacy.name, legacy.parent.name, legacy.province.name],
        [4, "Cơ sở sai số", "Hộ kinh doanh", "12345", "Xã Mỹ Lệ", "Huyện Cần Đước", "Long An"],
    ]
    path = write_xlsx(tmp_path, HEADERS, rows, title_rows=["DANH SÁCH CƠ SỞ CNNT TỈNH LONG AN (CŨ)"])

    def make(name="danh-sach-long-an.xlsx"):
        return SimpleUploadedFile(name, path.read_bytes())

    return make


def _upload(client, django_capture_on_commit_callbacks, file, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/establishments/import/", {"file": file, "province": province(TAY_NINH).pk, **data})


def _confirm(client, django_capture_on_commit_callbacks, job, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/establishments/import/{job.pk}/", data)


def test_upload_check_confirm_and_done(client, staff, upload, divided, django_capture_on_commit_callbacks):
    _legacy, currents = divided
    client.force_login(staff)
    assert client.get("/establishments/import/").status_code == 200
    response = _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/establishments/import/{job.pk}/"
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_count) == (4, 2, 2)
    assert not Establishment.objects.exists()  # nothing written before the confirmation

    page = client.get(f"/establishments/import/{job.pk}/").content.decode()
    assert 'data-testid="import-state">Đã kiểm tra, chờ xác nhận<' in page
    assert 'data-testid="error-count">2<' in page
    assert "Số điện thoại &#x27;12345&#x27; không đúng" in page
    assert "Chọn xã/phường mới cho dòng này" in page
    assert 'name="row_5"' in page  # the title line and the header come first: the third establishment is row 5
    for commune in currents:
        assert f'<option value="{commune.pk}">{commune.name}</option>' in page
    assert f"/establishments/import/{job.pk}/errors.xlsx" in page

    response = _confirm(client, django_capture_on_commit_callbacks, job, **{"row_5": currents[1].pk, "good_rows": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert job.result["created"] == 3
    assert job.message == "Thêm mới 3, cập nhật 0, không đổi 0."
    page = client.get(f"/establishments/import/{job.pk}/").content.decode()
    assert 'data-testid="import-result">Thêm mới 3, cập nhật 0, không đổi 0.<' in page
    assert Establishment.objects.get(name="Cơ sở mây tre đan Bến Cũ").commune == currents[1]
    assert Establishment.objects.get(name="Cơ sở bánh tráng Tư Hòa").commune == current_named(TAY_NINH, "Xã Mỹ Lệ")
    assert not Establishment.objects.filter(name="Cơ sở sai số").exists()
    assert AuditEvent.objects.filter(action="establishment.import_create").count() == 3
    assert AuditEvent.objects.filter(action="establishment_import.done", object_id=str(job.pk)).exists()


def test_the_same_file_again_changes_nothing(client, staff, upload, divided, django_capture_on_commit_callbacks):
    _legacy, currents = divided
    client.force_login(staff)
    for expected in ("Thêm mới 3, cập nhật 0, không đổi 0.", "Thêm mới 0, cập nhật 0, không đổi 3."):
        _upload(client, django_capture_on_commit_callbacks, upload())
        job = ImportJob.objects.order_by("-pk").first()
        _confirm(client, django_capture_on_commit_callbacks, job, row_5=currents[0].pk, good_rows="1")
        job.refresh_from_db()
        assert job.message == expected
    assert Establishment.objects.count() == 3


def test_confirming_a_file_with_errors_without_good_rows_writes_nothing(client, staff, upload,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    _confirm(client, django_capture_on_commit_callbacks, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    assert job.message.startswith("Tệp có 2 dòng lỗi: chưa ghi gì.")
    assert not Establishment.objects.exists()


def test_the_error_file_downloads(client, staff, upload, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    response = client.get(f"/establishments/import/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="loi-nhap-co-so-{job.pk}.xlsx"'
    header, rows = table_after(read_xlsx(b"".join(response.streaming_content)), "Dòng")
    assert header == ["Dòng", "Lỗi", *HEADERS]
    assert [(int(r[0]), r[3]) for r in rows] == [(5, "Cơ sở mây tre đan Bến Cũ"), (6, "Cơ sở sai số")]


def test_someone_elses_import_is_not_found(client, staff, colleague, upload, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    client.force_login(colleague)
    assert client.get(f"/establishments/import/{job.pk}/").status_code == 404
    assert client.get(f"/establishments/import/{job.pk}/errors.xlsx").status_code == 404
    assert client.post(f"/establishments/import/{job.pk}/", {"good_rows": "1"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    assert "sai-so" not in client.get("/establishments/import/").content.decode()  # not in their recent imports


def test_the_progress_partial_for_htmx(client, staff, upload, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    partial = client.get(f"/establishments/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-status"')
    assert "<html" not in partial
    assert "every 1s" not in partial  # checked: no more polling


def test_a_viewer_cannot_upload(client, viewer, upload, django_capture_on_commit_callbacks):
    client.force_login(viewer)
    response = _upload(client, django_capture_on_commit_callbacks, upload())
    assert response.status_code == 200
    assert "Chỉ cán bộ Trung tâm và Sở Công Thương được nhập tệp." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_province_outside_the_area_is_not_offered(client, laichau_staff, upload, django_capture_on_commit_callbacks):
    client.force_login(laichau_staff)
    response = _upload(client, django_capture_on_commit_callbacks, upload())
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert "Tây Ninh" not in response.content.decode().split('name="province"')[1].split("</select>")[0]


def test_a_national_user_must_choose_a_province_or_write_it_in_the_file(upload):
    ministry = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    lai_chau = make_user(role=Role.CENTRE_STAFF, province_code=12)
    with pytest.raises(PermissionDenied, match="Chọn tỉnh/thành phố của tệp"):
        imports.import_start(actor=lai_chau, uploaded_file=upload(), province=None)
    job = imports.import_start(actor=ministry, uploaded_file=upload(), province=None)
    assert job.province is None


def test_only_spreadsheets_are_accepted(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = _upload(client, django_capture_on_commit_callbacks,
                       SimpleUploadedFile("danh-sach.csv", "Tên cơ sở;Xã\n".encode()))
    assert ("“danh-sach.csv” không phải bảng tính: hãy tải lên tệp Excel (.xlsx, .xls) hoặc .ods."
            in response.content.decode())
    assert not ImportJob.objects.exists()


def test_a_file_that_only_bears_a_spreadsheets_name_is_refused_at_upload(client, staff,
                                                                          django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = _upload(client, django_capture_on_commit_callbacks,
                       SimpleUploadedFile("danh-sach.xlsx", b"khong phai excel"))
    assert "“danh-sach.xlsx” không phải bảng tính" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_confirmation_is_taken_once(client, staff, upload, divided, django_capture_on_commit_callbacks):
    _legacy, currents = divided
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    _confirm(client, django_capture_on_commit_callbacks, job, row_5=currents[0].pk, good_rows="1")
    response = client.post(f"/establishments/import/{job.pk}/", {"good_rows": "1"}, follow=True)
    assert "Lượt nhập này không ở bước chờ xác nhận." in response.content.decode()
    assert Establishment.objects.count() == 3


def test_a_commune_that_was_not_proposed_is_refused(client, staff, upload, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, upload())
    job = ImportJob.objects.get()
    elsewhere = current_named(TAY_NINH, "Xã Mỹ Lệ")
    response = client.post(f"/establishments/import/{job.pk}/", {"row_5": elsewhere.pk, "good_rows": "1"},
                           follow=True)
    assert "Xã/phường đã chọn không nằm trong các xã/phường được đề xuất." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_once_the_divided_commune_is_chosen_the_old_error_file_is_gone(client, staff, tmp_path, divided,
                                                                       django_capture_on_commit_callbacks):
    legacy, currents = divided
    path = write_xlsx(tmp_path, HEADERS, [
        [1, "Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", "0912 345 678", "Xã Mỹ Lệ", "Huyện Cần Đước", "Long An"],
        [2, "Cơ sở mây tre đan Bến Cũ", "Hộ kinh doanh", "", legacy.name, legacy.parent.name, legacy.province.name],
    ])
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, SimpleUploadedFile("chia.xlsx", path.read_bytes()))
    job = ImportJob.objects.get()
    assert job.error_count == 1
    assert client.get(f"/establishments/import/{job.pk}/errors.xlsx").status_code == 200
    _confirm(client, django_capture_on_commit_callbacks, job, row_3=currents[0].pk)  # no "good rows" needed
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.error_count, job.errors, job.result["created"]) == (0, [], 2)
    page = client.get(f"/establishments/import/{job.pk}/").content.decode()
    assert "errors.xlsx" not in page
    assert client.get(f"/establishments/import/{job.pk}/errors.xlsx").status_code == 404
