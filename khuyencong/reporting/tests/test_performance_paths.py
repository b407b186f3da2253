"""The grouped paths the national pages and exports use give the same figures as the per-province ones.

The annual national report (tasks.run_export, kind FIGURES) reads every province's table with
`indicator_tables_by_province` (one grouped query per source) instead of `indicator_table` 34 times: the figures of
each province must be exactly those of its own table, including provinces without any data and the rates."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import PermissionDenied
from khuyencong.geo.models import AdminUnit
from khuyencong.reporting.indicators import CATALOGUE
from khuyencong.reporting.selectors import (
    indicator_matrix,
    indicator_table,
    indicator_table_and_provinces,
    indicator_tables_by_province,
)
from khuyencong.reporting.views.dashboards import BY_PROVINCE

from .scope_cases_dashboards import make_figures

D = datetime.date
TODAY = D(2026, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.nhomtinh")


def _several_provinces():
    make_figures(12)
    make_figures(12, allocated=70_000_000, trainees=3, fund="local", title="Đề án thứ hai Lai Châu")
    make_figures(80)
    make_figures(1, allocated=123_456_789, trainees=5)
    make_figures(80, year=2025, allocated=10_000_000)  # another year: must not leak into 2026


@pytest.mark.parametrize("period", ["2026", "2026-Q2", "2025"])
def test_grouped_tables_equal_the_per_province_tables(ministry, period):
    _several_provinces()
    provinces = list(AdminUnit.objects.current().provinces().order_by("code"))
    assert len(provinces) >= 30
    grouped = indicator_tables_by_province(provinces, user=ministry, period=period, today=TODAY)
    with_data = 0
    for province in provinces:
        own = indicator_table(user=ministry, period=period, province=province, today=TODAY)
        assert [r.as_dict() for r in grouped[province.pk]] == [r.as_dict() for r in own], province.code
        with_data += any(r.value for r in own)
    assert with_data >= (3 if period != "2025" else 1)  # the comparison is not between empty tables


def test_grouped_tables_cost_one_query_per_source_whatever_the_provinces(ministry):
    _several_provinces()
    provinces = list(AdminUnit.objects.current().provinces().order_by("code"))
    sources = {s for code in CATALOGUE for s in CATALOGUE[code].sources}
    indicator_tables_by_province(provinces[:1], user=ministry, period="2026", today=TODAY)  # the user's roles
    with CaptureQueriesContext(connection) as few:
        indicator_tables_by_province(provinces[:2], user=ministry, period="2026", today=TODAY)
    with CaptureQueriesContext(connection) as every:
        indicator_tables_by_province(provinces, user=ministry, period="2026", today=TODAY)
    assert len(every) == len(few) <= len(sources) + 4


def test_grouped_tables_refuse_a_province_outside_the_scope():
    make_figures(80)
    lai_chau = make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.nhomtinh")
    tay_ninh = AdminUnit.objects.current().provinces().get(code=80)
    with pytest.raises(PermissionDenied):
        indicator_tables_by_province([tay_ninh], user=lai_chau, period="2026", today=TODAY)


def test_the_annual_export_writes_the_grouped_figures(ministry, settings, tmp_path):
    from khuyencong.core.periods import Period
    from khuyencong.reporting import services
    from khuyencong.reporting.models import ExportJob
    from khuyencong.reporting.tasks import run_export

    _several_provinces()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    job = services.export_start(actor=ministry, kind=ExportJob.Kind.FIGURES, period=Period.parse("2026"))
    run_export(job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == job.total >= 30
    with default_storage.open(job.file, "rb") as fh:
        book = CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    cells = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    header = next(r for r in cells if r and r[0] == "STT")
    lai_chau = AdminUnit.objects.current().provinces().get(code=12)
    column = header.index(lai_chau.name)
    allocated = next(r for r in cells if r and r[1] == "kc_allocated")
    own = {r.code: r.value for r in indicator_table(user=ministry, period="2026", province=lai_chau)}
    assert allocated[column] == own["kc_allocated"] > 0


@pytest.mark.parametrize(("period", "geography", "province"), [
    ("2026", "current", None), ("2026-Q2", "current", None), ("2026", "current", 12), ("2025", "legacy", None)])
def test_the_dashboards_shared_reads_equal_the_two_calls(ministry, period, geography, province):
    """The dashboard reads the table and the table by province together (the whole = the sum of the province
    groups): the same figures as indicator_table + indicator_matrix(breakdown="province")."""
    _several_provinces()
    rows, by_province = indicator_table_and_provinces(BY_PROVINCE, user=ministry, period=period, province=province,
                                                      geography=geography, today=TODAY)
    assert [r.as_dict() for r in rows] == [r.as_dict() for r in indicator_table(
        user=ministry, period=period, province=province, geography=geography, today=TODAY)]
    expected = indicator_matrix(BY_PROVINCE, user=ministry, period=period, province=province, breakdown="province",
                                geography=geography, today=TODAY)
    assert {c: [v.as_dict() for v in values] for c, values in by_province.items()} == {
        c: [v.as_dict() for v in values] for c, values in expected.items()}
    assert any(r.value for r in rows)
