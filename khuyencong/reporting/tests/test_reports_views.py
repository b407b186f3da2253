"""Pages of periodic reports: list (query count flat), create, detail with the narrative editor and actions,
exports (xlsx, PDF), the ministry's completeness page and its background export."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.utils.translation import pgettext
from python_calamine import CalamineWorkbook

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.periods import Period
from khuyencong.reporting.models import ExportJob, Report, ReportStatus
from khuyencong.reporting.report_selectors import completeness
from khuyencong.reporting.selectors import get_indicator

from .scope_cases_reports import doit, make_report, report_type

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def officer():
    return make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.lc.v", full_name="Lò Thị Hoa")


@pytest.fixture
def ministry():
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.v", full_name="Nguyễn Văn Thành")


def _cells(content: bytes) -> str:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return "\n".join(" ".join(str(c) for c in row) for name in book.sheet_names
                     for row in book.get_sheet_by_name(name).to_python())


def test_list_query_count_stays_flat(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    make_report(12, period="2026-Q1")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/reporting/reports/").status_code == 200
    for period in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q2"):
        make_report(12, period=period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/reporting/reports/")
    assert response.content.decode().count("Quý") >= 6


def test_create_from_the_page_and_refuse_a_duplicate(client, officer):
    client.force_login(officer)
    page = client.get("/reporting/reports/new/")
    assert page.status_code == 200 and "Sở Công Thương" in page.content.decode()
    data = {"report_type": "doit_quarterly", "organisation": doit(12).pk, "period": "2026-Q2"}
    response = client.post("/reporting/reports/new/", data)
    report = Report.objects.get(period="2026-Q2")
    assert response.status_code == 302 and response["Location"] == f"/reporting/reports/{report.pk}/"
    again = client.post("/reporting/reports/new/", data)
    assert again.status_code == 409
    assert "đã có" in again.content.decode() and f"/reporting/reports/{report.pk}/" in again.content.decode()


def test_detail_shows_figures_actions_and_keeps_typed_text_on_conflict(client, officer):
    report = make_report(12, period="2026-Q2")
    client.force_login(officer)
    page = client.get(f"/reporting/reports/{report.pk}/").content.decode()
    assert str(get_indicator("training_courses").name) in page and str(get_indicator("kc_disbursed").name) in page
    assert pgettext("report action", "Submit") in page and "Quý II/2026" in page
    stale = report.version - 1
    response = client.post(f"/reporting/reports/{report.pk}/narrative/",
                           {"results": "Đoạn văn tôi vừa gõ", "version": stale})
    assert response.status_code == 409
    assert "Đoạn văn tôi vừa gõ" in response.content.decode()
    ok = client.post(f"/reporting/reports/{report.pk}/narrative/",
                     {"results": "Kết quả mới", "situation": "", "version": report.version})
    assert ok.status_code == 302
    assert Report.objects.get(pk=report.pk).results == "Kết quả mới"


def test_actions_from_the_page(client, officer):
    manager = make_user(role=Role.DOIT_MANAGER, province_code=12, username="ld.v")
    report = make_report(12, state="submitted")
    client.force_login(officer)
    refused = client.post(f"/reporting/reports/{report.pk}/act/approve/", {})
    assert refused.status_code == 403 and "Lãnh đạo Sở" in refused.content.decode()
    client.force_login(manager)
    assert client.post(f"/reporting/reports/{report.pk}/act/approve/", {}).status_code == 302
    assert client.post(f"/reporting/reports/{report.pk}/act/lock/", {}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED
    page = client.get(f"/reporting/reports/{report.pk}/").content.decode()
    assert "Số liệu đã chốt khi phê duyệt" in page and pgettext("report action", "Unlock") in page


def test_xlsx_and_pdf_exports_open(client, officer):
    report = make_report(12, period="2026-Q2", state="submitted")
    client.force_login(officer)
    xlsx = client.get(f"/reporting/reports/{report.pk}/report.xlsx")
    text = _cells(xlsx.content)
    assert "Chỉ tiêu" in text and "Đơn vị tính" in text and "Quý II/2026" in text
    assert "Kết quả thực hiện của tỉnh mã 12." in text
    pdf = client.get(f"/reporting/reports/{report.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/reporting/reports/{report.pk}/report.pdf?format=docx")
    assert docx.content.startswith(b"PK")


def test_completeness_is_national_only_and_counts_every_province(client, officer, ministry):
    make_report(12, state="locked")
    late = make_report(80, state="draft")
    Report.objects.filter(pk=late.pk).update(status=ReportStatus.SUBMITTED,
                                             submitted_at=datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC))
    client.force_login(officer)
    assert client.get("/reporting/reports/completeness/?period=2026-Q2").status_code == 403
    client.force_login(ministry)
    page = client.get("/reporting/reports/completeness/?period=2026-Q2").content.decode()
    assert "Tỉnh Lai Châu" in page and "Thành phố Hà Nội" in page
    table = completeness(period=Period.parse("2026-Q2"), today=D(2026, 11, 1))
    assert len(table["rows"]) == 34 and len(table["types"]) == 2
    assert table["counts"]["locked"] == 1 and table["counts"]["late"] == 1
    assert table["counts"]["overdue"] == 34 * 2 - 2
    early = completeness(period=Period.parse("2026-Q2"), today=D(2026, 7, 5))
    assert early["counts"]["missing"] == 34 * 2 - 2


def test_completeness_export_runs_in_the_background(client, ministry, officer, django_capture_on_commit_callbacks):
    make_report(12, state="locked")
    client.force_login(ministry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reporting/reports/exports/", {"kind": "completeness", "period": "2026-Q2"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reporting/reports/exports/{job.pk}/"
    assert job.status == ExportJob.Status.DONE and job.done == job.total == 34
    page = client.get(f"/reporting/reports/exports/{job.pk}/").content.decode()
    assert "100%" in page and f"/reporting/reports/exports/{job.pk}/download/" in page
    download = client.get(f"/reporting/reports/exports/{job.pk}/download/")
    text = _cells(b"".join(download.streaming_content))
    assert "Tỉnh Lai Châu" in text and "Thành phố Cần Thơ" in text
    assert default_storage.exists(job.file)
    client.force_login(officer)
    assert client.get(f"/reporting/reports/exports/{job.pk}/").status_code == 404
    assert client.get(f"/reporting/reports/exports/{job.pk}/download/").status_code == 404
    assert client.post("/reporting/reports/exports/", {"kind": "completeness", "period": "2026-Q2"}).status_code == 403


def test_figures_export_of_every_province(client, ministry, django_capture_on_commit_callbacks):
    client.force_login(ministry)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reporting/reports/exports/", {"kind": "figures", "period": "2026-Q2"})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.total == 34
    text = _cells(b"".join(client.get(f"/reporting/reports/exports/{job.pk}/download/").streaming_content))
    assert "Tỉnh Lai Châu" in text and "training_courses" in text


def test_report_types_are_data():
    rt = report_type("province_quarterly")
    assert rt.period_kind == "quarter" and rt.approver_role == Role.DOIT_MANAGER
    assert "Nghị định 45/2012" in rt.legal_basis and not rt.deadline_verified
