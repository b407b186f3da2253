"""An export whose worker died is marked failed with the reason, by the next export's task or `reap_stale_jobs`; the
new export runs."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.models import AuditEvent
from khuyencong.reporting.models import ExportJob

pytestmark = pytest.mark.django_db

STOPPED = ("Tiến trình xử lý đã dừng giữa chừng (tiến trình chạy nền của máy chủ bị gián đoạn). Hãy tạo lại bản "
           "xuất.")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def ministry():
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.x", full_name="Nguyễn Văn Thành")


def _stuck(user, minutes: int) -> ExportJob:
    job = ExportJob.objects.create(kind=ExportJob.Kind.COMPLETENESS, period="2026-Q2", created_by=user,
                                   status=ExportJob.Status.RUNNING)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=minutes))
    return job


def test_the_next_export_reaps_the_one_a_dead_worker_left(client, ministry, django_capture_on_commit_callbacks):
    stuck, recent = _stuck(ministry, 45), _stuck(ministry, 5)
    client.force_login(ministry)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reporting/reports/exports/", {"kind": "figures", "period": "2026-Q2"})
    new = ExportJob.objects.exclude(pk__in=(stuck.pk, recent.pk)).get()
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert (stuck.status, stuck.message) == (ExportJob.Status.FAILED, STOPPED)
    assert stuck.finished_at is not None
    assert AuditEvent.objects.filter(action="report_export.stopped", object_id=str(stuck.pk)).exists()
    assert recent.status == ExportJob.Status.RUNNING  # progress five minutes ago: still alive
    assert new.status == ExportJob.Status.DONE
    assert STOPPED in client.get(f"/reporting/reports/exports/{stuck.pk}/").content.decode()


def test_the_command_reaps_exports(ministry):
    stuck = _stuck(ministry, 31)
    out = io.StringIO()
    call_command("reap_stale_jobs", stdout=out)
    assert out.getvalue() == "0 imports, 1 exports marked failed\n"
    stuck.refresh_from_db()
    assert stuck.status == ExportJob.Status.FAILED
