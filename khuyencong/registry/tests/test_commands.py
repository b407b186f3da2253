"""manage.py import_establishments: the same importer as the upload screen, in one go."""

import io

import pytest
from django.core.management import CommandError, call_command

from khuyencong.core.models import AuditEvent
from khuyencong.registry.models import Establishment

from .helpers import TAY_NINH, current_named, legacy_commune, read_xlsx, table_after, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Ten co so", "Loai hinh", "So dien thoai", "Xa/phuong", "Huyen"]
ROWS = [
    ["Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", "0912 345 678", "Xã Mỹ Lệ", "Huyện Cần Đước"],
    ["Cơ sở bánh phồng Phường 1", "Hộ kinh doanh", "", "Phường 1", "TP Tân An"],
    ["Cơ sở sai số điện thoại", "Hộ kinh doanh", "12345", "Xã Mỹ Lệ", "Huyện Cần Đước"],
]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_establishments", *args, stdout=out)
    return out.getvalue()


def test_dry_run_writes_nothing_and_prints_the_report(tmp_path):
    path = write_xlsx(tmp_path, HEADERS, ROWS)
    events = AuditEvent.objects.count()
    output = _run(str(path), "--province", str(TAY_NINH), "--dry-run")
    assert "3 dòng: 2 hợp lệ, 1 dòng lỗi, 0 dòng có xã cũ bị chia cần chọn." in output
    assert "Dòng 4, cột Điện thoại: Số điện thoại '12345' không đúng" in output
    assert "Chạy thử (--dry-run): không ghi gì." in output
    assert not Establishment.objects.exists()
    assert AuditEvent.objects.count() == events
    error_file = tmp_path / "danh-sach-loi.xlsx"
    assert f"Tệp lỗi: {error_file}" in output
    _header, rows = table_after(read_xlsx(error_file), "Dòng")
    assert [(int(r[0]), r[2]) for r in rows] == [(4, "Cơ sở sai số điện thoại")]


def test_a_file_with_errors_is_refused_without_good_rows(tmp_path):
    path = write_xlsx(tmp_path, HEADERS, ROWS)
    with pytest.raises(CommandError, match="Tệp có 1 dòng lỗi: chưa ghi gì"):
        _run(str(path), "--province", str(TAY_NINH))
    assert not Establishment.objects.exists()


def test_good_rows_imports_only_the_good_rows(tmp_path, admin):
    path = write_xlsx(tmp_path, HEADERS, ROWS)
    output = _run(str(path), "--province", str(TAY_NINH), "--good-rows", "--user", admin.username)
    assert "Đã ghi: 2 thêm mới, 0 cập nhật, 0 không đổi." in output
    tu_hoa = Establishment.objects.get(name="Cơ sở bánh tráng Tư Hòa")
    assert tu_hoa.commune == current_named(TAY_NINH, "Xã Mỹ Lệ")
    assert tu_hoa.legacy_unit == legacy_commune("Tỉnh Long An", "Huyện Cần Đước", "Xã Mỹ Lệ")
    assert Establishment.objects.get(name="Cơ sở bánh phồng Phường 1").commune == current_named(TAY_NINH,
                                                                                                "Phường Long An")
    assert not Establishment.objects.filter(name="Cơ sở sai số điện thoại").exists()
    imported = AuditEvent.objects.filter(action="establishment.import_create")
    assert imported.count() == 2
    assert set(imported.values_list("actor", flat=True)) == {admin.pk}
    again = _run(str(path), "--province", str(TAY_NINH), "--good-rows")
    assert "Đã ghi: 0 thêm mới, 0 cập nhật, 2 không đổi." in again


def test_a_clean_file_is_imported(tmp_path):
    path = write_xlsx(tmp_path, HEADERS, ROWS[:2])
    output = _run(str(path), "--province", str(TAY_NINH))
    assert "Tệp lỗi" not in output
    assert "Đã ghi: 2 thêm mới" in output
    assert Establishment.objects.count() == 2


def test_unknown_province_or_file(tmp_path):
    path = write_xlsx(tmp_path, HEADERS, ROWS)
    with pytest.raises(CommandError, match="Không có tỉnh/thành phố mã 99"):
        _run(str(path), "--province", "99")
    with pytest.raises(CommandError, match="Không có tệp"):
        _run(str(tmp_path / "khong-co.xlsx"))
    bad = tmp_path / "ghi-chu.xlsx"
    bad.write_text("không phải tệp Excel", encoding="utf-8")
    with pytest.raises(CommandError, match=r"“ghi-chu\.xlsx” không phải bảng tính"):
        _run(str(bad))


def test_refresh_eligibility_recomputes_stale_rows(db):
    import datetime
    import io

    from django.core.management import call_command

    from khuyencong.registry.models import Establishment
    from khuyencong.registry.tests.scope_cases import make_establishment

    establishment = make_establishment(12)
    Establishment.objects.filter(pk=establishment.pk).update(eligible=None,
                                                             eligibility_checked_on=datetime.date(2020, 1, 1))
    out = io.StringIO()
    call_command("refresh_eligibility", "--province", "12", stdout=out)
    establishment.refresh_from_db()
    assert establishment.eligible is True  # a household in a commune of a province
    assert establishment.eligibility_checked_on != datetime.date(2020, 1, 1)
    assert "1 cơ sở" in out.getvalue()
