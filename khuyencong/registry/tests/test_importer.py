"""The import of establishment spreadsheets as centres really keep them (real xlsx files, read by python_calamine)."""

import datetime
from decimal import Decimal

import pytest

from khuyencong.core.models import AuditEvent
from khuyencong.geo.models import Succession
from khuyencong.registry.exports import error_xlsx, template_xlsx
from khuyencong.registry.importer import COLUMNS, Importer, ImportFileError, find_header, read_sheet
from khuyencong.registry.models import Establishment, Sector
from khuyencong.registry.selectors import EstablishmentFilters, establishment_list

from .helpers import (
    FIRST_ROW,
    MESSY_EXPECTED,
    SPLIT_LEGACY,
    SPLIT_ROW,
    TAY_NINH,
    current_commune,
    current_named,
    legacy_commune,
    make_establishment,
    make_village,
    messy_file,
    nfd,
    read_xlsx,
    table_after,
    tax_code,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

# The short file most tests use: today's names of Tây Ninh, the template's headers.
HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Điện thoại", "Sản phẩm chính", "Xã/phường", "Tỉnh/thành phố"]


def _tay_ninh_rows(n: int = 3) -> list[list]:
    communes = [current_commune(TAY_NINH, index=i) for i in range(n)]
    return [[f"Cơ sở bánh tráng số {i + 1}", "Hộ kinh doanh", tax_code(i + 1), f"09123450{i:02d}",
             "Bánh tráng phơi sương", c.name, "Tây Ninh"] for i, c in enumerate(communes)]


def _validate(path, **kwargs):
    importer = Importer(actor=kwargs.pop("actor", None), **kwargs)
    return importer, importer.validate(read_sheet(path))


def _state() -> tuple:
    """Everything an import may write, to prove that it wrote nothing."""
    return (
        list(Establishment.objects.order_by("pk").values()),
        list(Establishment.sectors.through.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


# --- headers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "field"), [
    ("Mã số thuế", "tax_code"), ("MST", "tax_code"), ("mst", "tax_code"), ("Xã/phường", "commune"),
    ("Xa/Phuong", "commune"), ("Huyện", "district"), ("Tỉnh", "province"), ("SĐT", "phone"),
    ("Số điện thoại", "phone"), ("Ngày cấp", "business_reg_date"), ("Số lao động", "employees"),
    ("Loại hình", "entity_type"), ("Sản phẩm", "main_products"), ("Người đại diện", "representative"),
    (nfd("Người đại diện"), "representative"), ("NGƯỜI ĐẠI DIỆN:", "representative"),
])
def test_headers_are_recognised_in_their_usual_wordings(typed, field):
    index, mapping, unknown = find_header([["Danh sách cơ sở"], [], ["STT", "Tên cơ sở", typed, "Ghi chú"]])
    assert index == 2
    assert mapping == {1: "name", 2: field}
    assert unknown == []


@pytest.mark.parametrize("typed", ["Tên cơ sở", "Ten co so", "TÊN CƠ SỞ SẢN XUẤT", nfd("Tên cơ sở"), "Tên cơ sở *",
                                   "Tên doanh nghiệp"])
def test_the_name_column_in_its_usual_wordings(typed):
    assert find_header([[typed, "Xã"]])[1] == {0: "name", 1: "commune"}


def test_a_file_without_a_name_column_is_refused(tmp_path):
    path = write_xlsx(tmp_path, ["Họ tên", "Địa chỉ"], [["Nguyễn Văn A", "Ấp 1"]])
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề có cột 'Tên cơ sở'"):
        _validate(path)


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_text("Tên cơ sở;Xã\nA;B\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"“danh-sach\.xlsx” không phải bảng tính"):
        read_sheet(path)


def test_unknown_headers_are_reported(tmp_path):
    path = write_xlsx(tmp_path, [*HEADERS, "Doanh thu"], [[*row, "1.000.000"] for row in _tay_ninh_rows(1)])
    _importer, report = _validate(path)
    assert report.unknown_headers == ["Doanh thu"]
    assert report.errors == []


# --- the messy file -----------------------------------------------------------------------------------------------


def test_messy_file_validates_with_one_divided_ward(tmp_path, admin):
    _importer, report = _validate(messy_file(tmp_path), actor=admin)
    assert report.total == 5
    assert report.valid == 4
    assert sorted(report.records) == [FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2, FIRST_ROW + 3]
    assert report.bad_rows == {SPLIT_ROW}
    [split] = report.splits
    assert split["row"] == SPLIT_ROW
    assert split["typed"] == "P. Hiệp Thành, TP Thủ Dầu Một, Bình Dương"
    legacy = legacy_commune(*SPLIT_LEGACY)
    successions = Succession.objects.filter(legacy=legacy)
    assert {s.partial for s in successions} == {True} and successions.count() >= 2
    assert {c["id"] for c in split["candidates"]} == {s.current_id for s in successions}
    [error] = report.errors
    assert (error.row, error.column) == (SPLIT_ROW, "Xã/phường")
    assert "Chọn xã/phường mới cho dòng này" in error.message


def test_old_place_names_land_on_todays_communes(tmp_path, admin):
    importer, report = _validate(messy_file(tmp_path), actor=admin)
    importer.commit(report, good_rows=True)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    for name, (province_code, commune_name, legacy_names) in MESSY_EXPECTED.items():
        e = Establishment.objects.select_related("commune", "province", "legacy_unit").get(name=name)
        assert e.province.code == province_code, name
        assert e.commune == current_named(province_code, commune_name), name
        assert e.legacy_unit == legacy_commune(*legacy_names), name
        assert e.legacy_address, name
    phu_cuong = Establishment.objects.get(name="Cơ sở bánh tráng Phú Cường")
    assert phu_cuong.legacy_address == "Phường Phú Cường, TX Thủ Dầu Một, Bình Dương"
    assert not Establishment.objects.filter(name="Cơ sở may Hiệp Thành").exists()


def test_values_are_read_in_every_usual_form(tmp_path, admin):
    importer, report = _validate(messy_file(tmp_path), actor=admin)
    importer.commit(report, good_rows=True)
    by_name = {e.name: e for e in Establishment.objects.all()}
    phu_cuong = by_name["Cơ sở bánh tráng Phú Cường"]
    assert (phu_cuong.phone, phu_cuong.employees) == ("0912345678", 12)
    assert phu_cuong.business_reg_date == datetime.date(2019, 3, 15)  # dd/mm/yyyy text
    assert (phu_cuong.representative_gender, phu_cuong.woman_owned) == ("female", True)
    assert phu_cuong.eligible is False  # a household in a ward of Hồ Chí Minh City
    tan_an = by_name["Công ty TNHH Bánh phồng Tân An"]
    assert (tan_an.entity_type, tan_an.sme_size) == ("sme", "micro")
    assert tan_an.tax_code == "0100109106"  # spaces dropped
    assert tan_an.employees == 1234  # "1.234"
    assert tan_an.business_reg_date == datetime.date(2018, 6, 1)  # a date cell
    assert tan_an.phone == "0912345679"
    assert tan_an.eligible is True
    thuan_hung = by_name["HTX nông nghiệp Thuận Hưng"]
    assert thuan_hung.entity_type == "cooperative"
    assert thuan_hung.tax_code == "0300588569"  # dashes dropped
    assert thuan_hung.phone == "0912345680"  # a number cell that lost its 0
    assert thuan_hung.business_reg_date == datetime.date(2019, 3, 5)  # an Excel serial number
    assert thuan_hung.employees == 25
    hoa_cuong = by_name["Tổ hợp tác dệt thổ cẩm Hòa Cuông"]  # NFD in the file, NFC in the registry
    assert hoa_cuong.entity_type == "cooperative_group"
    assert hoa_cuong.representative == "Hà Thị Mai"
    assert hoa_cuong.main_products == "Khăn thổ cẩm"
    assert hoa_cuong.phone == "0913456789"
    assert hoa_cuong.name_folded == "to hop tac det tho cam hoa cuong"


def test_imported_rows_are_searchable_without_diacritics(tmp_path, admin):
    importer, report = _validate(messy_file(tmp_path), actor=admin)
    importer.commit(report, good_rows=True)
    found = establishment_list(user=admin, filters=EstablishmentFilters(q="det THO CAM hoa cuong"))
    assert [e.name for e in found] == ["Tổ hợp tác dệt thổ cẩm Hòa Cuông"]


def test_a_divided_ward_is_imported_once_a_commune_is_chosen(tmp_path, admin):
    path = messy_file(tmp_path)
    _importer, first = _validate(path, actor=admin)
    chosen = first.splits[0]["candidates"][1]["id"]
    importer, report = _validate(path, actor=admin, choices={str(SPLIT_ROW): chosen})
    assert report.errors == [] and report.splits == []
    importer.commit(report)
    assert report.created == 5
    e = Establishment.objects.get(name="Cơ sở may Hiệp Thành")
    assert e.commune_id == chosen
    assert e.legacy_unit == legacy_commune(*SPLIT_LEGACY)
    assert e.legacy_address == "P. Hiệp Thành, TP Thủ Dầu Một, Bình Dương"


def test_a_choice_that_is_not_a_successor_is_not_taken(tmp_path, admin):
    path = messy_file(tmp_path)
    _importer, report = _validate(path, actor=admin, choices={SPLIT_ROW: current_commune(TAY_NINH).pk})
    assert [s["row"] for s in report.splits] == [SPLIT_ROW]
    assert SPLIT_ROW in report.bad_rows


# --- errors -------------------------------------------------------------------------------------------------------


BAD_HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Điện thoại", "Ngày cấp", "Số lao động", "Sao OCOP",
               "Xã/phường", "Huyện", "Tỉnh"]


def _bad_rows() -> list[list]:
    ok = ["Cơ sở tốt", "Hộ kinh doanh", "", "0912345678", "", "", "", "Phường 1", "TP Tân An", "Long An"]

    def row(**changes):
        values = dict(zip(BAD_HEADERS, ok, strict=True))
        values.update(changes)
        return list(values.values())

    return [
        ok,
        row(**{"Tên cơ sở": "Cơ sở sai MST", "Mã số thuế": "0100109107"}),
        row(**{"Tên cơ sở": "Cơ sở sai SĐT", "Điện thoại": "12345"}),
        row(**{"Tên cơ sở": "", "Loại hình": "Hộ kinh doanh"}),
        row(**{"Tên cơ sở": "Trang trại gà", "Loại hình": "Trang trại"}),
        row(**{"Tên cơ sở": "Cơ sở sai ngày", "Ngày cấp": "31/02/2020"}),
        row(**{"Tên cơ sở": "Cơ sở sai lao động", "Số lao động": "mười"}),
        row(**{"Tên cơ sở": "Cơ sở sai sao", "Sao OCOP": "7"}),
        row(**{"Tên cơ sở": "Cơ sở sai xã", "Xã/phường": "Phường Không Có", "Huyện": "", "Tỉnh": "Long An"}),
        row(**{"Tên cơ sở": "Công ty không rõ quy mô", "Loại hình": "Doanh nghiệp nhỏ và vừa"}),
        row(**{"Tên cơ sở": "Cơ sở hai lỗi", "Mã số thuế": "123", "Điện thoại": "abc"}),
    ]


def test_every_bad_row_is_reported_with_row_column_and_message(tmp_path):
    path = write_xlsx(tmp_path, BAD_HEADERS, _bad_rows())
    _importer, report = _validate(path)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert report.total == 11
    assert sorted(report.records) == [2]
    assert report.bad_rows == set(range(3, 13))
    assert found[(3, "Mã số thuế")] == "Mã số thuế 0100109107 sai chữ số kiểm tra."
    assert found[(4, "Điện thoại")] == "Số điện thoại '12345' không đúng (cần 10 số, ví dụ 0912345678)."
    assert found[(5, "Tên cơ sở")] == "Thiếu tên cơ sở."
    assert found[(6, "Loại hình")] == "Loại hình 'Trang trại' không rõ."
    assert found[(7, "Ngày cấp đăng ký kinh doanh")] == "Ngày '31/02/2020' không đúng (ghi theo dạng dd/mm/yyyy)."
    assert found[(8, "Số lao động")] == "'mười' không phải số nguyên."
    assert found[(9, "Sao OCOP")] == "Sao OCOP là số từ 1 đến 5."
    assert found[(10, "Xã/phường")] == 'Không tìm thấy xã/phường/thị trấn "Phường Không Có" thuộc Tỉnh Long An.'
    assert "quy mô" in found[(11, "Loại hình")]
    assert {(12, "Mã số thuế"), (12, "Điện thoại")} <= set(found)
    assert len(report.errors) == 11


def test_error_file_lists_the_bad_rows(tmp_path):
    path = write_xlsx(tmp_path, BAD_HEADERS, _bad_rows())
    _importer, report = _validate(path)
    content = error_xlsx(report)
    header, rows = table_after(read_xlsx(content), "Dòng")
    assert header == ["Dòng", "Lỗi", *BAD_HEADERS]
    assert [int(r[0]) for r in rows] == list(range(3, 13))
    assert rows[0][1] == "Mã số thuế: Mã số thuế 0100109107 sai chữ số kiểm tra."
    assert rows[0][2] == "Cơ sở sai MST"  # the row as it was read, to be corrected and re-imported
    assert rows[9][1].count(";") == 1  # two errors on the same row
    detail_header, detail = table_after(read_xlsx(content, "Chi tiết lỗi"), "Dòng")
    assert detail_header == ["Dòng", "Cột", "Lỗi"]
    assert len(detail) == 11


def test_a_file_with_errors_commits_nothing(tmp_path):
    make_establishment(name="Cơ sở có sẵn")
    before = _state()
    importer, report = _validate(write_xlsx(tmp_path, BAD_HEADERS, _bad_rows()))
    with pytest.raises(ImportFileError, match="Tệp có 10 dòng lỗi: chưa ghi gì"):
        importer.commit(report)
    assert _state() == before


def test_an_impossible_number_of_employees_is_an_error_not_a_database_failure(tmp_path):
    rows = _tay_ninh_rows(1)
    headers = [*HEADERS, "Số lao động"]
    _importer, report = _validate(write_xlsx(tmp_path, headers, [[*rows[0], "99.999.999.999"]]))
    [error] = report.errors
    assert (error.column, error.message) == ("Số lao động",
                                             "Số lao động 99.999.999.999 quá lớn: kiểm tra lại cột này.")


def test_good_rows_imports_only_the_good_rows(tmp_path):
    importer, report = _validate(write_xlsx(tmp_path, BAD_HEADERS, _bad_rows()))
    importer.commit(report, good_rows=True)
    assert report.created == 1
    assert list(Establishment.objects.values_list("name", flat=True)) == ["Cơ sở tốt"]


def test_the_same_tax_code_twice_in_a_file(tmp_path):
    rows = _tay_ninh_rows(2)
    rows[1][2] = rows[0][2]
    _importer, report = _validate(write_xlsx(tmp_path, HEADERS, rows))
    [error] = report.errors
    assert (error.row, error.column) == (3, "Mã số thuế")
    assert error.message == f"Mã số thuế {rows[0][2]} trùng với dòng 2."


def test_the_same_name_and_commune_twice_in_a_file(tmp_path):
    rows = _tay_ninh_rows(1) * 2
    for row in rows:
        row[2] = ""
    _importer, report = _validate(write_xlsx(tmp_path, HEADERS, rows))
    [error] = report.errors
    assert (error.row, error.column, error.message) == (3, "Tên cơ sở", "Trùng tên cơ sở và xã/phường với dòng 2.")


# --- re-import and updates ----------------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(tmp_path, admin):
    path = messy_file(tmp_path)
    importer, report = _validate(path, actor=admin)
    importer.commit(report, good_rows=True)
    before = _state()
    importer, again = _validate(path, actor=admin)
    importer.commit(again, good_rows=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert _state() == before  # no new row, no new audit event, no version bump


def test_import_by_tax_code_updates_the_existing_record(tmp_path, staff):
    commune = current_commune(TAY_NINH)
    existing = make_establishment(name="Cơ sở bánh tráng số 1 (cũ)", tax_code=tax_code(1), commune=commune,
                                  main_products="Bánh tráng")
    rows = _tay_ninh_rows(1)
    importer, report = _validate(write_xlsx(tmp_path, HEADERS, rows), actor=staff)
    importer.commit(report, job_id=7)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    existing.refresh_from_db()
    assert existing.name == "Cơ sở bánh tráng số 1"
    assert existing.main_products == "Bánh tráng phơi sương"
    assert existing.phone == "0912345000"
    assert existing.version == 2
    assert "banh trang phoi suong" in existing.search_text
    event = AuditEvent.objects.get(action="establishment.import_update")
    assert event.object_id == str(existing.pk)
    assert event.actor == staff
    assert event.changes["main_products"] == ["Bánh tráng", "Bánh tráng phơi sương"]
    assert event.changes["import"] == [None, "#7"]


def test_import_without_tax_code_matches_name_and_commune(tmp_path):
    commune = current_commune(TAY_NINH)
    existing = make_establishment(name="CƠ SỞ BÁNH TRÁNG SỐ 1", commune=commune)
    rows = _tay_ninh_rows(1)
    rows[0][2] = ""
    importer, report = _validate(write_xlsx(tmp_path, HEADERS, rows))
    importer.commit(report)
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.phone == "0912345000"
    assert Establishment.objects.count() == 1


def test_created_rows_get_audit_events(tmp_path, staff):
    importer, report = _validate(write_xlsx(tmp_path, HEADERS, _tay_ninh_rows(3)), actor=staff)
    importer.commit(report)
    events = AuditEvent.objects.filter(action="establishment.import_create")
    assert sorted(int(e.object_id) for e in events) == sorted(Establishment.objects.values_list("pk", flat=True))
    assert {e.changes["import"][1] for e in events} == {"manage.py import_establishments"}


def test_a_branch_and_its_enterprise_with_the_same_name_are_two_records(tmp_path):
    food = Sector.objects.get(code="agro_food_processing")
    commune = current_commune(TAY_NINH)
    headers = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Ngành nghề", "Xã/phường", "Tỉnh"]
    rows = [["Công ty TNHH Tân Hòa", "Công ty TNHH (nhỏ)", "0100109106", food.name, commune.name, "Tây Ninh"],
            ["Công ty TNHH Tân Hòa", "Công ty TNHH (nhỏ)", "0100109106-001", food.code, commune.name, "Tây Ninh"]]
    importer, report = _validate(write_xlsx(tmp_path, headers, rows))
    importer.commit(report)
    assert report.created == 2
    assert sorted(Establishment.objects.values_list("tax_code", flat=True)) == ["0100109106", "0100109106-001"]
    for e in Establishment.objects.all():
        assert list(e.sectors.all()) == [food]


def test_numbers_typed_in_number_cells(tmp_path):
    commune = current_commune(TAY_NINH)
    headers = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Số ĐKKD", "Mã ngành VSIC", "Sao OCOP", "Vĩ độ", "Kinh độ",
               "Xã/phường", "Tỉnh"]
    rows = [["Cơ sở số", "Hợp tác xã", 300588569, 4300123456, 1079, 3, 11.3125678912, 106.1234567891,
             commune.name, "Tây Ninh"]]
    path = write_xlsx(tmp_path, headers, rows)
    importer, report = _validate(path)
    assert report.errors == []
    importer.commit(report)
    e = Establishment.objects.get()
    assert e.tax_code == "0300588569"
    assert e.business_reg_no == "4300123456"
    assert e.vsic_code == "1079"
    assert e.ocop_stars == 3
    assert (e.latitude, e.longitude) == (Decimal("11.312568"), Decimal("106.123457"))
    importer, again = _validate(path)
    importer.commit(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


# --- scope and province -------------------------------------------------------------------------------------------


def test_rows_outside_the_province_chosen_are_refused(tmp_path, admin):
    from khuyencong.accounts.tests.factories import province

    _importer, report = _validate(messy_file(tmp_path), actor=admin, province=province(TAY_NINH))
    assert sorted(report.records) == [FIRST_ROW + 1]  # only Long An's Tân An is in today's Tây Ninh
    message = next(e.message for e in report.errors if e.row == FIRST_ROW + 2)
    assert message == ("'Xã Thuận Hưng, Huyện Long Mỹ, Hậu Giang' nay thuộc Thành phố Cần Thơ, "
                       "không thuộc Tỉnh Tây Ninh đã chọn.")


def test_rows_outside_the_users_area_are_refused(tmp_path, staff):
    from khuyencong.accounts.tests.factories import province

    _importer, report = _validate(messy_file(tmp_path), actor=staff, allowed_province_ids={province(TAY_NINH).pk})
    assert sorted(report.records) == [FIRST_ROW + 1]
    assert next(e for e in report.errors if e.row == FIRST_ROW + 3).message.endswith("nằm ngoài địa bàn của bạn.")


def test_a_tax_code_registered_in_another_province_is_not_taken_over(tmp_path, staff):
    from khuyencong.accounts.tests.factories import province

    foreign = make_establishment(name="Cơ sở Lai Châu", commune=current_commune(12), tax_code=tax_code(1))
    importer, report = _validate(write_xlsx(tmp_path, HEADERS, _tay_ninh_rows(1)), actor=staff,
                                 allowed_province_ids={province(TAY_NINH).pk})
    [error] = report.errors
    assert (error.row, error.column) == (2, "Mã số thuế")
    assert "ngoài địa bàn của bạn" in error.message
    importer.commit(report, good_rows=True)
    foreign.refresh_from_db()
    assert (foreign.name, foreign.province.code) == ("Cơ sở Lai Châu", 12)


def test_province_column_may_be_left_out_when_the_province_is_given(tmp_path):
    from khuyencong.accounts.tests.factories import province

    headers = ["Ten co so", "Loai hinh", "Xa/phuong", "Huyen"]
    rows = [["Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", "Xã Mỹ Lệ", "Huyện Cần Đước"]]
    importer, report = _validate(write_xlsx(tmp_path, headers, rows), province=province(TAY_NINH))
    assert report.errors == []
    importer.commit(report)
    e = Establishment.objects.get()
    assert e.commune == current_named(TAY_NINH, "Xã Mỹ Lệ")
    assert e.legacy_unit == legacy_commune("Tỉnh Long An", "Huyện Cần Đước", "Xã Mỹ Lệ")


# --- craft villages and sectors -----------------------------------------------------------------------------------


def test_craft_villages_and_sectors_are_found_by_name(tmp_path):
    commune = current_commune(TAY_NINH)
    village = make_village(commune, "Làng nghề bánh tráng Hậu Nghĩa")
    headers = ["Tên cơ sở", "Loại hình", "Làng nghề", "Ngành nghề", "Xã/phường", "Tỉnh"]
    rows = [
        ["Cơ sở A", "Hộ kinh doanh", "bánh tráng Hậu Nghĩa", "Sản xuất hàng tiểu thủ công nghiệp; agro_food_processing",
         commune.name, "Tây Ninh"],
        ["Cơ sở B", "Hộ kinh doanh", "Làng nghề gốm Không Có", "", commune.name, "Tây Ninh"],
        ["Cơ sở C", "Hộ kinh doanh", "", "Nghề trồng lúa", commune.name, "Tây Ninh"],
    ]
    importer, report = _validate(write_xlsx(tmp_path, headers, rows))
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found == {
        (3, "Làng nghề"): "Không có làng nghề 'Làng nghề gốm Không Có' trong danh mục làng nghề của tỉnh.",
        (4, "Ngành nghề khuyến công"): "Ngành nghề 'Nghề trồng lúa' không có trong danh mục ngành nghề khuyến công.",
    }
    importer.commit(report, good_rows=True)
    a = Establishment.objects.get(name="Cơ sở A")
    assert a.craft_village == village
    assert set(a.sectors.values_list("code", flat=True)) == {"handicrafts", "agro_food_processing"}


# --- the template -------------------------------------------------------------------------------------------------


def test_template_has_the_canonical_headers_and_reimports_cleanly(tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_xlsx())
    header, rows = table_after(read_xlsx(path), "Tên cơ sở")
    assert header == [label for label, _variants in COLUMNS.values()]
    assert rows[0][0] == "Cơ sở bánh tráng Tư Hòa"
    importer, report = _validate(path)
    assert report.errors == []
    assert report.unknown_headers == []
    importer.commit(report)
    e = Establishment.objects.get()
    assert e.name == "Cơ sở bánh tráng Tư Hòa"
    assert e.commune == current_named(TAY_NINH, "Xã Mỹ Lệ")
    assert e.phone == "0912345678"
    assert e.ocop_stars == 3
    assert e.employees == 12
    assert e.business_reg_date == datetime.date(2019, 3, 15)
    assert list(e.sectors.values_list("code", flat=True)) == ["agro_food_processing"]
