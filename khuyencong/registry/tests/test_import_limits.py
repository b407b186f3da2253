"""Imports that cannot hurt the worker: a file is measured at upload (no job for a file the reader could not hold),
rows are read lazily under a hard cap, the error file is written row by row and capped, a failing task fails its job
with the reason, and a job whose worker died is reaped while the queue goes on.

The queue tests run the real database queue (django-tasks-db) and its worker, in batch mode."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from khuyencong.accounts.tests.factories import province
from khuyencong.core.models import AuditEvent
from khuyencong.core.tests.spreadsheets import sparse_xlsx, xlsx_bytes
from khuyencong.registry.exports import error_xlsx
from khuyencong.registry.importer import Importer, ImportFileError, SheetRows, read_sheet
from khuyencong.registry.imports import commit_import_task, validate_import_task
from khuyencong.registry.models import ImportJob

from .helpers import TAY_NINH, read_xlsx, table_after, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Tên cơ sở", "Loại hình", "Điện thoại", "Xã/phường", "Huyện", "Tỉnh"]
GOOD_ROW = [1, "Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", "0912 345 678", "Xã Mỹ Lệ", "Huyện Cần Đước", "Long An"]
STOPPED = ("Tiến trình xử lý đã dừng giữa chừng (tiến trình chạy nền của máy chủ bị gián đoạn); chưa ghi gì. Hãy tải "
           "tệp lên lại.")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def good_file(tmp_path):
    return write_xlsx(tmp_path, HEADERS, [GOOD_ROW]).read_bytes()


@pytest.fixture
def queue(settings, monkeypatch):
    """The database queue of production, and its worker run in batch mode (every ready task, then it stops). The
    worker checks its connection between tasks; inside a test's transaction that check would close it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


def _upload(client, capture, name: str, content: bytes):
    with capture(execute=True):
        return client.post("/establishments/import/", {"file": SimpleUploadedFile(name, content),
                                                       "province": province(TAY_NINH).pk})


def _stored_imports(settings) -> list:
    folder = settings.MEDIA_ROOT / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- at upload ----------------------------------------------------------------------------------------------------


def test_the_sparse_file_is_refused_at_upload_and_no_job_is_queued(client, staff, settings,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(staff)
    content = sparse_xlsx()
    assert len(content) < 2000
    response = _upload(client, django_capture_on_commit_callbacks, "danh-sach.xlsx", content)
    assert response.status_code == 200
    assert ("Tệp có 1.048.576 dòng × 16.384 cột ở trang tính “Sheet1”: tối đa 100.000 dòng và 200 cột. Hãy xoá "
            "các ô thừa rồi tải lên lại.") in response.content.decode()
    assert not ImportJob.objects.exists()
    assert _stored_imports(settings) == []


def test_a_million_rows_are_refused_by_their_dimension_at_upload(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    rows = ((row, 1, row) for row in range(2, 1_000_001))
    content = xlsx_bytes({(1, 1): "Tên cơ sở"}, dimension="A1:A1000000", rows=rows)
    response = _upload(client, django_capture_on_commit_callbacks, "trieu-dong.xlsx", content)
    assert "Tệp có 1.000.000 dòng × 1 cột ở trang tính “Sheet1”" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_is_refused_at_upload(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = _upload(client, django_capture_on_commit_callbacks, "bom.xlsx",
                       xlsx_bytes({(1, 1): "Tên cơ sở"}, padding=30_000_000))
    assert "“bom.xlsx” khi giải nén thành 28,6 MB: đây không phải một bảng tính bình thường." in (
        response.content.decode())
    assert not ImportJob.objects.exists()


def test_the_form_says_the_limits(client, staff):
    client.force_login(staff)
    assert "Tối đa 20 MB, 100.000 dòng và 200 cột." in client.get("/establishments/import/").content.decode()


def test_a_file_is_stored_under_the_name_of_what_it_is(client, staff, good_file, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, "danh-sach.xls", good_file)  # an .xlsx named .xls
    job = ImportJob.objects.get()
    assert (job.original_name, job.status, job.valid_rows) == ("danh-sach.xlsx", ImportJob.Status.VALIDATED, 1)


# --- in the worker ------------------------------------------------------------------------------------------------


def test_a_file_stored_before_the_check_fails_its_job_and_the_worker_lives(staff):
    """A file that reached the storage unchecked (uploaded before the check, or copied in) is measured again by the
    worker before the reader opens it."""
    job = ImportJob(created_by=staff, province=province(TAY_NINH), original_name="danh-sach.xlsx")
    job.file.save("danh-sach.xlsx", ContentFile(sparse_xlsx()), save=False)
    job.save()
    validate_import_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Tệp có 1.048.576 dòng × 16.384 cột")


def test_rows_are_read_lazily_under_a_hard_cap(tmp_path):
    path = write_xlsx(tmp_path, HEADERS, [GOOD_ROW] * 9, title_rows=["", "DANH SÁCH"])
    rows = read_sheet(path)
    assert isinstance(rows, SheetRows)
    assert len(rows) == 12
    assert [r[0] for r in rows][:3] == ["", "DANH SÁCH", "STT"]  # the rows above the header keep their numbers
    capped = SheetRows(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0), max_rows=5)
    with pytest.raises(ImportFileError, match=r"Tệp có hơn 5 dòng: chỉ nhập được tối đa 5 dòng\."):
        list(capped)


def test_the_error_file_is_capped_with_a_note(tmp_path, settings):
    settings.KC_IMPORT_ERROR_FILE_ROWS = 5
    bad = [[n, f"Cơ sở {n}", "Hộ kinh doanh", "12345", "Xã Mỹ Lệ", "Huyện Cần Đước", "Long An"] for n in range(12)]
    report = Importer(actor=None).validate(read_sheet(write_xlsx(tmp_path, HEADERS, bad)))
    assert len(report.bad_rows) == 12
    content = error_xlsx(report)
    cells = read_xlsx(content)
    assert cells[1][0] == "12 dòng lỗi trên 12 dòng. Sửa trực tiếp trong tệp gốc rồi nhập lại."
    assert cells[2][0] == ("Tệp này chỉ ghi 5 dòng lỗi đầu tiên; còn 7 dòng lỗi nữa. Sửa các dòng này rồi nhập lại "
                           "để xem các dòng còn lại.")
    header, rows = table_after(cells, "Dòng")
    assert header == ["Dòng", "Lỗi", *HEADERS]
    assert [int(r[0]) for r in rows] == [2, 3, 4, 5, 6]
    assert rows[0][3] == "Cơ sở 0"
    _header, details = table_after(read_xlsx(content, "Chi tiết lỗi"), "Dòng")
    assert [int(r[0]) for r in details] == [2, 3, 4, 5, 6]


# --- the queue ----------------------------------------------------------------------------------------------------


def test_a_failing_task_fails_its_job_with_the_reason_and_the_next_job_runs(client, staff, good_file, queue,
                                                                            django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, "mat-tep.xlsx", good_file)
    _upload(client, django_capture_on_commit_callbacks, "danh-sach.xlsx", good_file)
    lost, kept = ImportJob.objects.order_by("pk")
    default_storage.delete(lost.file.name)  # the stored file is gone before the worker reaches it
    assert DBTaskResult.objects.ready().count() == 2

    queue()

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.status == ImportJob.Status.FAILED
    assert lost.message.startswith("Việc nhập dừng vì một lỗi không lường trước; chưa ghi dữ liệu nào.")
    assert lost.result["failure"].startswith("FileNotFoundError")  # for the administrator, not on the page
    assert lost.finished_at is not None
    assert lost.message in client.get(f"/establishments/import/{lost.pk}/").content.decode()
    assert (kept.status, kept.valid_rows) == (ImportJob.Status.VALIDATED, 1)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]


def test_a_worker_killed_mid_task_leaves_a_failed_job_and_a_running_queue(client, staff, good_file, queue,
                                                                          django_capture_on_commit_callbacks):
    client.force_login(staff)
    _upload(client, django_capture_on_commit_callbacks, "dang-kiem-tra.xlsx", good_file)
    stuck = ImportJob.objects.get()
    # A worker claimed its task, started checking, and was killed: its task stays "running", the job "checking".
    DBTaskResult.objects.get().claim("worker-killed")
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=stuck.pk).update(status=ImportJob.Status.VALIDATING, updated_at=hour_ago)
    _upload(client, django_capture_on_commit_callbacks, "danh-sach.xlsx", good_file)
    fresh = ImportJob.objects.exclude(pk=stuck.pk).get()

    queue()  # a restarted worker: the next task reaps the stuck job, then runs

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, stuck.message) == (ImportJob.Status.FAILED, STOPPED)
    assert STOPPED in client.get(f"/establishments/import/{stuck.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="establishment_import.stopped", object_id=str(stuck.pk)).exists()
    assert (fresh.status, fresh.valid_rows) == (ImportJob.Status.VALIDATED, 1)


def test_the_reaper_command_fails_only_jobs_without_recent_progress(staff, settings):
    settings.KC_JOB_STALE_MINUTES = 30
    now = timezone.now()
    jobs = {}
    for name, status, minutes in (("old-checking", ImportJob.Status.VALIDATING, 31),
                                  ("old-importing", ImportJob.Status.IMPORTING, 90),
                                  ("recent", ImportJob.Status.IMPORTING, 29),
                                  ("waiting-for-the-user", ImportJob.Status.VALIDATED, 600),
                                  ("done", ImportJob.Status.DONE, 600)):
        job = ImportJob.objects.create(created_by=staff, original_name=name, file="imports/x.xlsx", status=status)
        ImportJob.objects.filter(pk=job.pk).update(updated_at=now - datetime.timedelta(minutes=minutes))
        jobs[name] = job
    out = io.StringIO()
    call_command("reap_stale_jobs", stdout=out)
    assert out.getvalue() == "2 imports, 0 exports marked failed\n"
    status = dict(ImportJob.objects.values_list("original_name", "status"))
    assert status == {"old-checking": "failed", "old-importing": "failed", "recent": "importing",
                      "waiting-for-the-user": "validated", "done": "done"}
    assert ImportJob.objects.get(original_name="old-importing").message == STOPPED


def test_the_daily_digest_reaps_too(staff):
    job = ImportJob.objects.create(created_by=staff, original_name="a.xlsx", file="imports/a.xlsx",
                                   status=ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
    call_command("send_reminders", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_reaped_job_is_not_run_when_its_task_comes(staff, good_file):
    job = ImportJob(created_by=staff, province=province(TAY_NINH), original_name="danh-sach.xlsx",
                    status=ImportJob.Status.FAILED, message=STOPPED)
    job.file.save("danh-sach.xlsx", ContentFile(good_file), save=False)
    job.save()
    commit_import_task.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message, job.valid_rows) == (ImportJob.Status.FAILED, STOPPED, 0)
