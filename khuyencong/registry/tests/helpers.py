"""What the registry's tests share: places, establishments made the way the services store them, and real
spreadsheets written with xlsxwriter and read back with python_calamine."""

import datetime
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.registry.models import CraftVillage, Establishment
from khuyencong.registry.parsing import make_tax_code
from khuyencong.registry.services import refresh_derived

HA_NOI, LAI_CHAU, LAO_CAI, TAY_NINH, HO_CHI_MINH, CAN_THO = 1, 12, 15, 80, 79, 92


def current_commune(province_code: int, kind: str = "xa", index: int = 0) -> AdminUnit:
    """One of today's communes (kind "xa") or wards ("phuong") of a province, always the same one."""
    return (
        AdminUnit.objects.current().communes().filter(province__code=province_code, kind=kind)
        .select_related("province").order_by("code")[index]
    )


def current_named(province_code: int, name: str) -> AdminUnit:
    return AdminUnit.objects.current().communes().get(province__code=province_code, name=name)


def legacy_commune(province: str, district: str, commune: str) -> AdminUnit:
    """A commune of the scheme before 1/7/2025, by its full names ("Tỉnh Long An", "Thành phố Tân An", ...)."""
    return AdminUnit.objects.legacy().communes().get(name=commune, parent__name=district, province__name=province)


def successor(legacy: AdminUnit) -> AdminUnit:
    """The one current commune a legacy commune went to whole (the test data picks such communes)."""
    [row] = Succession.objects.filter(legacy=legacy).select_related("current")
    return row.current


def tax_code(n: int) -> str:
    """A valid tax code, different for every n below 10 000 000 (the last two of the nine digits are tried until
    one has a check digit)."""
    for k in range(11):
        code = make_tax_code(f"{n:07d}{k:02d}")
        if code is not None:
            return code
    raise AssertionError("unreachable: at most one of eleven sums has no check digit")


def make_establishment(*, commune: AdminUnit | None = None, sectors=(), **fields) -> Establishment:
    """An establishment saved with its derived fields, as the services store it (no audit event)."""
    commune = commune or current_commune(TAY_NINH)
    values = {"name": "Cơ sở thử", "entity_type": "household", "commune": commune, **fields}
    establishment = Establishment(**values)
    refresh_derived(establishment)
    establishment.save()
    if sectors:
        establishment.sectors.set(sectors)
    return establishment


def make_village(commune: AdminUnit, name: str = "Làng nghề bánh tráng Hậu Nghĩa", *,
                 recognised: datetime.date | None = datetime.date(2015, 6, 15)) -> CraftVillage:
    from khuyencong.core.text import fold

    return CraftVillage.objects.create(
        name=name, name_folded=fold(name), province=commune.province, commune=commune, crafts="bánh tráng",
        recognition_decision="1234/QĐ-UBND" if recognised else "", recognition_date=recognised,
    )


def write_xlsx(path: Path, headers: Sequence, rows: Iterable[Sequence], *, title_rows: Sequence[str] = (),
               name: str = "danh-sach.xlsx") -> Path:
    """A spreadsheet as centres send them: optional title lines, a header row, then the rows. Python dates become
    real date cells, ints and floats number cells, None an empty cell, everything else text."""
    file = Path(path) / name
    workbook = xlsxwriter.Workbook(str(file), {"strings_to_numbers": False})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("Danh sách")
    r = 0
    for line in title_rows:
        sheet.write_string(r, 0, line)
        r += 1
    sheet.write_row(r, 0, list(headers))
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return file


def read_xlsx(content: bytes | Path, sheet: int | str = 0) -> list[list]:
    """The cells of a sheet, as python_calamine reads them."""
    workbook = (CalamineWorkbook.from_path(str(content)) if isinstance(content, Path)
                else CalamineWorkbook.from_filelike(io.BytesIO(content)))
    ws = workbook.get_sheet_by_index(sheet) if isinstance(sheet, int) else workbook.get_sheet_by_name(sheet)
    return ws.to_python(skip_empty_area=False)


def table_after(rows: list[list], first_header: str) -> tuple[list, list[list]]:
    """The header row starting with `first_header` and the non-empty rows under it."""
    index = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return rows[index], [row for row in rows[index + 1:] if any(cell not in ("", None) for cell in row)]


# --- the messy file: old place names of four merged provinces, a divided ward, every way of writing values ---------

TITLE_ROWS = ("DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2024", "(Kèm theo Báo cáo số 12/BC-TTKC ngày 05/01/2025)")
MESSY_HEADERS = ["STT", "TÊN CƠ SỞ SẢN XUẤT", "Loại hình", "MST", "Người đại diện", "Giới tính", "SĐT",
                 "Số lao động", "Sản phẩm chính", "Ngày cấp", "Địa chỉ", "Xã/phường", "Huyện", "Tỉnh"]
FIRST_ROW = len(TITLE_ROWS) + 2  # spreadsheet row number of the first establishment


def nfd(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", text)


def messy_rows() -> list[list]:
    return [
        [1, "Cơ sở bánh tráng Phú Cường", "Hộ kinh doanh", "", "Lê Thị Hoa", "Nữ", "+84 912 345 678", "12",
         "Bánh tráng phơi sương", "15/03/2019", "Khu phố 2", "Phường Phú Cường", "TX Thủ Dầu Một", "Bình Dương"],
        [2, "Công ty TNHH Bánh phồng Tân An", "Công ty TNHH (siêu nhỏ)", "0100 109 106", "Trần Văn Ba", "Nam",
         "0912.345.679", "1.234", "Bánh phồng tôm", datetime.date(2018, 6, 1), "Số 5 Hùng Vương", "Phường 1",
         "TP Tân An", "Long An"],
        [3, "HTX nông nghiệp Thuận Hưng", "HTX", "0300-588-569", "Nguyễn Văn Hưng", "", 912345680, 25,
         "Khô cá lóc", 43529, "Ấp 3", "Xã Thuận Hưng", "Huyện Long Mỹ", "Hậu Giang"],
        [4, nfd("Tổ hợp tác dệt thổ cẩm Hòa Cuông"), nfd("Tổ hợp tác"), "", nfd("Hà Thị Mai"), nfd("Nữ"),
         "84 913 456 789", "8", nfd("Khăn thổ cẩm"), "", nfd("Thôn Đồng Bằng"), nfd("Xã Hòa Cuông"),
         nfd("Huyện Trấn Yên"), nfd("Yên Bái")],
        [5, "Cơ sở may Hiệp Thành", "Hộ kinh doanh", "", "Phạm Thị Lan", "Nữ", "0977 111 222", "5", "Quần áo bảo hộ",
         "01/02/2020", "Khu phố 8", "P. Hiệp Thành", "TP Thủ Dầu Một", "Bình Dương"],
    ]


# Where each of the first four rows lands today (province code, commune name) and the old unit it came from.
MESSY_EXPECTED = {
    "Cơ sở bánh tráng Phú Cường": (HO_CHI_MINH, "Phường Thủ Dầu Một",
                                   ("Tỉnh Bình Dương", "Thành phố Thủ Dầu Một", "Phường Phú Cường")),
    "Công ty TNHH Bánh phồng Tân An": (TAY_NINH, "Phường Long An", ("Tỉnh Long An", "Thành phố Tân An", "Phường 1")),
    "HTX nông nghiệp Thuận Hưng": (CAN_THO, "Xã Xà Phiên", ("Tỉnh Hậu Giang", "Huyện Long Mỹ", "Xã Thuận Hưng")),
    "Tổ hợp tác dệt thổ cẩm Hòa Cuông": (LAO_CAI, "Xã Trấn Yên", ("Tỉnh Yên Bái", "Huyện Trấn Yên", "Xã Hòa Cuông")),
}
SPLIT_ROW = FIRST_ROW + 4
SPLIT_LEGACY = ("Tỉnh Bình Dương", "Thành phố Thủ Dầu Một", "Phường Hiệp Thành")


def messy_file(path: Path, name: str = "danh-sach-cnnt-2024.xlsx") -> Path:
    return write_xlsx(path, MESSY_HEADERS, messy_rows(), title_rows=TITLE_ROWS, name=name)


def split_commune_in(province_code: int) -> tuple[AdminUnit, list[AdminUnit]]:
    """A legacy commune divided (partial successions) among two or more of today's communes, all in one province;
    and those communes. Found in the conversion table rather than named, so a reload of it keeps the tests true."""
    from django.db.models import Count

    divided = (Succession.objects.filter(partial=True, legacy__scheme="legacy", legacy__level="commune")
               .values("legacy").annotate(n=Count("current", distinct=True)).filter(n__gte=2)
               .order_by("legacy__code"))
    for row in divided:
        rows = list(Succession.objects.filter(legacy_id=row["legacy"]).select_related("current", "legacy__parent",
                                                                                      "legacy__province"))
        if {s.current.province.code for s in rows} == {province_code}:
            return rows[0].legacy, [s.current for s in rows]
    raise AssertionError(f"no divided commune in province {province_code}")


class DjangoMessage:
    """One of Django's own validation messages in the active language, computed when the test runs (its wording is
    the catalogues' business). Refuses to be the English text: a Vietnamese page must not show it."""

    def __init__(self, singular: str, plural: str | None = None, n: int | None = None, **values):
        self.singular, self.plural, self.n, self.values = singular, plural, n, values

    def __str__(self) -> str:
        from django.utils.translation import gettext, ngettext

        text = ngettext(self.singular, self.plural, self.n) if self.plural else gettext(self.singular)
        assert text not in (self.singular, self.plural), f"no Vietnamese translation of {self.singular!r}"
        return text % self.values if self.values else text

    def __repr__(self) -> str:
        return self.singular
