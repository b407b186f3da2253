"""Import of establishment spreadsheets as centres really keep them.

Headers are recognised with or without diacritics and in their usual wordings; text may be NFD; places may be
written with the names from before 1/7/2025 and are resolved to today's communes through the geo succession, a
split commune being flagged for a person to choose. Every bad row is reported with its row number, column and a
Vietnamese message. Nothing is written unless the whole file is clean, or the user asked to import the good rows.
Re-importing the same file changes nothing: rows are matched by tax code, else by name and commune.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from khuyencong.core.bulk import fast_insert
from khuyencong.core.errors import InvalidInput
from khuyencong.core.models import AuditEvent
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.uploads import SPREADSHEET_SUFFIXES, check_spreadsheet, spreadsheet_max_rows
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.resolve import ResolutionStatus, resolve_legacy_address, resolver_cache
from khuyencong.geo.selectors import attach_periods, periods_by_unit
from khuyencong.rules import engine
from khuyencong.rules.models import EntityType

from . import parsing
from .models import MAX_EMPLOYEES, CraftVillage, Establishment, Sector

# field → (Vietnamese header of the template, folded wordings found in real files)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Tên cơ sở", ("ten co so", "ten co so san xuat", "ten doanh nghiep", "ten don vi", "ten co so cnnt",
                           "co so", "ten")),
    "entity_type": ("Loại hình", ("loai hinh", "loai hinh doanh nghiep", "loai hinh co so", "hinh thuc")),
    "tax_code": ("Mã số thuế", ("ma so thue", "mst", "ma so doanh nghiep", "ma so thue/ma so dn")),
    "business_reg_no": ("Số đăng ký kinh doanh", ("so dang ky kinh doanh", "so dkkd", "giay dkkd", "so giay dkkd",
                                                  "giay phep kinh doanh", "so gcn dkkd")),
    "business_reg_date": ("Ngày cấp đăng ký kinh doanh", ("ngay cap dang ky kinh doanh", "ngay cap", "ngay dkkd",
                                                          "ngay cap dkkd")),
    "representative": ("Người đại diện", ("nguoi dai dien", "chu co so", "ho ten chu co so", "nguoi dai dien phap luat",
                                          "ho va ten chu co so", "dai dien")),
    "representative_gender": ("Giới tính", ("gioi tinh", "gioi tinh nguoi dai dien")),
    "phone": ("Điện thoại", ("dien thoai", "so dien thoai", "sdt", "dt", "so dt")),
    "email": ("Email", ("email", "thu dien tu", "e-mail")),
    "employees": ("Số lao động", ("so lao dong", "lao dong", "so lao dong (nguoi)", "tong so lao dong")),
    "woman_owned": ("Chủ cơ sở là nữ", ("chu co so la nu", "nu lam chu", "do nu lam chu", "chu la nu")),
    "ethnic_minority": ("Dân tộc thiểu số", ("dan toc thieu so", "dtts", "chu hoac lao dong la dtts",
                                            "co lao dong dan toc thieu so")),
    "sectors": ("Ngành nghề khuyến công", ("nganh nghe khuyen cong", "nganh nghe", "nganh", "linh vuc")),
    "vsic_code": ("Mã ngành VSIC", ("ma nganh vsic", "ma nganh", "vsic")),
    "main_products": ("Sản phẩm chính", ("san pham chinh", "san pham", "mat hang", "san pham chu yeu")),
    "ocop_stars": ("Sao OCOP", ("sao ocop", "ocop", "hang sao ocop", "so sao ocop")),
    "craft_village": ("Làng nghề", ("lang nghe", "thuoc lang nghe", "ten lang nghe")),
    "cleaner_production": ("Sản xuất sạch hơn", ("san xuat sach hon", "ap dung san xuat sach hon", "sxsh")),
    "address": ("Địa chỉ (thôn, ấp, số nhà)", ("dia chi (thon, ap, so nha)", "dia chi", "thon/ap", "thon", "so nha",
                                               "dia chi cu the")),
    "commune": ("Xã/phường", ("xa/phuong", "xa", "phuong/xa", "xa/phuong/thi tran", "xa, phuong, thi tran",
                              "xa phuong", "phuong")),
    "district": ("Huyện (cũ)", ("huyen (cu)", "huyen", "quan/huyen", "huyen/thi xa/thanh pho", "quan, huyen",
                                "huyen/thi xa")),
    "province": ("Tỉnh/thành phố", ("tinh/thanh pho", "tinh", "tinh/tp", "tinh thanh", "thanh pho")),
    "latitude": ("Vĩ độ", ("vi do", "latitude", "lat")),
    "longitude": ("Kinh độ", ("kinh do", "longitude", "lng", "lon")),
}
_GPS_PLACES = Decimal("0.000001")
HEADER_INDEX = {variant: fieldname for fieldname, (_label, variants) in COLUMNS.items() for variant in variants}
TEMPLATE_FIELDS = list(COLUMNS)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    splits: list[dict] = field(default_factory=list)
    records: dict[int, dict] = field(default_factory=dict)  # row number → clean values
    bad_rows: set[int] = field(default_factory=set)
    raw_rows: dict[int, list] = field(default_factory=dict)  # the bad rows as read, for the error file
    header_row: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def valid(self) -> int:
        return len(self.records)

    def summary(self) -> dict:
        return {"total": self.total, "valid": self.valid, "errors": len(self.errors), "bad_rows": len(self.bad_rows),
                "splits": len(self.splits), "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "unknown_headers": self.unknown_headers}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, no name column)."""


class SheetRows:
    """The rows of a workbook's first sheet, read lazily: python-calamine turns a row into Python values only when
    it is reached, so a 100,000-row file never lies in memory as lists. Iterable more than once (the error file
    reads a bad row again). Row i is the spreadsheet's row i + 1: empty rows above the data are kept, so row numbers
    in messages are the ones the user sees."""

    def __init__(self, sheet, *, max_rows: int):
        self._sheet = sheet
        self.max_rows = max_rows

    def __len__(self) -> int:
        end = self._sheet.end
        return end[0] + 1 if end else 0

    def __iter__(self):
        for index, row in enumerate(self._sheet.iter_rows()):
            if index >= self.max_rows:  # the upload check makes this unreachable; a hard stop all the same
                raise ImportFileError(f"Tệp có hơn {self.max_rows:,} dòng: chỉ nhập được tối đa {self.max_rows:,} "
                                      f"dòng.".replace(",", "."))
            yield row


def read_sheet(path: str | Path) -> SheetRows:
    """The first sheet of a workbook, measured first (core.uploads.check_spreadsheet: a sheet too large for the
    reader is refused before the reader opens it), then read lazily."""
    from python_calamine import CalamineWorkbook

    try:
        info = check_spreadsheet(path)
    except InvalidInput as exc:
        raise ImportFileError(exc.message) from None
    try:
        if Path(path).suffix.lower().lstrip(".") in SPREADSHEET_SUFFIXES[info.kind]:
            workbook = CalamineWorkbook.from_path(str(path))
        else:  # named .xls but an .xlsx inside (the reader picks its format by the name)
            with open(path, "rb") as stream:
                workbook = CalamineWorkbook.from_filelike(stream)
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise ImportFileError(f"Không đọc được tệp: cần tệp Excel (.xlsx, .xls) hoặc .ods. ({exc})") from None
    return SheetRows(sheet, max_rows=spreadsheet_max_rows())


def _header_key(cell) -> str:
    text = fold(cell)
    text = re.sub(r"\s*\*\s*$", "", text)  # "Tên cơ sở *" marks a required column in some templates
    return re.sub(r"\s+", " ", text).strip(" :")


def find_header(rows: list[list]) -> tuple[int, dict[int, str], list[str]]:
    """The first row (of the first 15) that names the establishment column; returns its index and the mapping."""
    for index, row in enumerate(rows[:15]):
        mapping, unknown = {}, []
        for col, cell in enumerate(row):
            key = _header_key(cell)
            if not key:
                continue
            fieldname = HEADER_INDEX.get(key)
            if fieldname and fieldname not in mapping.values():
                mapping[col] = fieldname
            elif key not in ("stt", "so tt", "tt", "ghi chu"):
                unknown.append(normalize_text(cell))
        if "name" in mapping.values():
            return index, mapping, unknown
    raise ImportFileError("Không tìm thấy dòng tiêu đề có cột 'Tên cơ sở' trong 15 dòng đầu của trang tính đầu tiên.")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Importer:
    """Validates rows into clean values (no writes), then commits them in one transaction."""

    def __init__(self, *, actor, province: AdminUnit | None = None, choices: dict | None = None,
                 on_date: datetime.date | None = None, allowed_province_ids: Iterable[int] | None = None):
        self.actor = actor
        self.province = province
        self.choices = {int(k): int(v) for k, v in (choices or {}).items()}
        self.on_date = on_date or timezone.localdate()
        self.allowed = set(allowed_province_ids) if allowed_province_ids is not None else None
        self._places: dict[tuple, object] = {}
        self._sectors = {s.code: s for s in Sector.objects.all()}
        self._sector_names = {fold(s.name): s for s in self._sectors.values()}
        self._villages: dict[tuple[int, str], CraftVillage] = {}
        self._periods: dict[int, list] | None = None  # every unit's dated periods, loaded once
        self._eligibility: dict[tuple, bool | None] = {}
        self._communes: dict[int, AdminUnit] = {}
        self._entity_types: dict[str, tuple[str, str]] = {}
        self._raw_places: dict[tuple, tuple] = {}

    # --- reading and validating ----------------------------------------------------------------------------------

    def validate(self, rows: Iterable[list], progress: Callable[[int, int], None] | None = None) -> ImportReport:
        """`rows`: a list, or the SheetRows of read_sheet (read lazily, and read again for the bad rows' cells)."""
        with resolver_cache():
            return self._validate(rows, progress)

    def _validate(self, rows: Iterable[list], progress: Callable[[int, int], None] | None) -> ImportReport:
        report = ImportReport()
        reading = iter(rows)
        head = list(islice(reading, 15))
        header_index, mapping, unknown = find_header(head)
        report.header_row = [normalize_text(c) for c in head[header_index]]
        report.unknown_headers = unknown
        expected = len(rows) - header_index - 1 if isinstance(rows, Sized) else 0  # blank rows included
        seen_tax: dict[str, int] = {}
        seen_key: dict[tuple, int] = {}
        done = 0
        for offset, raw in enumerate(chain(head[header_index + 1:], reading)):
            if all(_blank(c) for c in raw):
                continue
            number = header_index + offset + 2  # spreadsheet row number (1-based, after the header)
            values = {mapping[c]: raw[c] for c in mapping if c < len(raw)}
            record = self._row(number, values, report)
            if record is not None:
                tax = record.get("tax_code")
                key = (record["name_folded"], record["commune"].pk)
                if tax and tax in seen_tax:
                    self._error(report, number, "tax_code", f"Mã số thuế {tax} trùng với dòng {seen_tax[tax]}.")
                elif not tax and key in seen_key:
                    self._error(report, number, "name",
                                f"Trùng tên cơ sở và xã/phường với dòng {seen_key[key]}.")
                else:
                    if tax:
                        seen_tax[tax] = number
                    seen_key.setdefault(key, number)
                    report.records[number] = record
            if number in report.bad_rows:
                report.raw_rows[number] = list(raw)
            done += 1
            if progress and done % 1000 == 0:
                progress(done, max(expected, done))
        report.total = done
        if self.allowed is not None:
            self._check_foreign_tax_codes(report)
        for number in report.bad_rows:
            report.records.pop(number, None)
        missing = report.bad_rows - report.raw_rows.keys()
        if missing:  # rows found bad after reading (a tax code of another province): their cells, read again
            for index, raw in enumerate(rows):
                if index + 1 in missing:
                    report.raw_rows[index + 1] = list(raw)
        if progress:
            progress(done, done)
        return report

    def _check_foreign_tax_codes(self, report: ImportReport) -> None:
        """A tax code registered outside the user's area belongs to that province's record: matching it would move
        the record here and overwrite it, which only someone whose area covers both may do (by hand)."""
        rows = {r["tax_code"]: number for number, r in report.records.items() if r.get("tax_code")}
        codes = sorted(rows)
        for start in range(0, len(codes), 500):
            foreign = (Establishment.objects.filter(tax_code__in=codes[start:start + 500])
                       .exclude(province_id__in=self.allowed).values_list("tax_code", flat=True))
            for code in foreign:
                self._error(report, rows[code], "tax_code",
                            f"Mã số thuế {code} đã thuộc một cơ sở ở tỉnh/thành phố khác, ngoài địa bàn của bạn: "
                            f"dòng này không nhập được.")

    def _error(self, report: ImportReport, row: int, column: str, message: str) -> None:
        report.errors.append(RowError(row, COLUMNS.get(column, (column,))[0], message))
        report.bad_rows.add(row)

    def _row(self, number: int, values: dict, report: ImportReport) -> dict | None:
        record: dict = {}
        bad = False
        # python_calamine reads every number cell as a float: 1079 → 1079.0 would become the text "1079.0".
        values = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in values.items()}

        def fail(column: str, message: str) -> None:
            nonlocal bad
            bad = True
            self._error(report, number, column, message)

        name = normalize_text(values.get("name"))
        if not name:
            fail("name", "Thiếu tên cơ sở.")
        record["name"] = name[:250]
        record["name_folded"] = fold(record["name"])
        raw_type = values.get("entity_type")
        parsed_type = self._entity_types.get(raw_type) if isinstance(raw_type, str) else None
        if parsed_type is None:
            try:
                parsed_type = parsing.parse_entity_type(raw_type)
                if isinstance(raw_type, str):
                    self._entity_types[raw_type] = parsed_type
            except ValueError as exc:
                fail("entity_type", str(exc))
        if parsed_type is not None:
            record["entity_type"], record["sme_size"] = parsed_type
            if parsed_type == ("sme", ""):
                fail("entity_type", f"Loại hình '{normalize_text(raw_type)}': ghi kèm quy mô doanh nghiệp (siêu nhỏ, "
                                    f"nhỏ hoặc vừa), ví dụ 'Công ty TNHH (nhỏ)'.")
        for key, parser in (("tax_code", parsing.parse_tax_code), ("phone", parsing.parse_phone),
                            ("business_reg_date", parsing.parse_date), ("employees", parsing.parse_int),
                            ("latitude", parsing.parse_decimal), ("longitude", parsing.parse_decimal)):
            raw = values.get(key)
            if _blank(raw):
                record[key] = None if key != "phone" else ""
                continue
            try:
                record[key] = parser(raw)
            except ValueError as exc:
                fail(key, str(exc))
        if record.get("employees") is not None and record["employees"] < 0:
            fail("employees", "Số lao động không được âm.")
        elif record.get("employees") is not None and record["employees"] > MAX_EMPLOYEES:
            fail("employees", f"Số lao động {record['employees']:,} quá lớn: kiểm tra lại cột này.".replace(",", "."))
        lat, lng = record.get("latitude"), record.get("longitude")
        if lat is not None and not (8 <= lat <= 24):
            fail("latitude", f"Vĩ độ {lat} nằm ngoài lãnh thổ Việt Nam (8–24).")
        if lng is not None and not (102 <= lng <= 118):
            fail("longitude", f"Kinh độ {lng} nằm ngoài lãnh thổ Việt Nam (102–118).")
        for key in ("latitude", "longitude"):
            if record.get(key) is not None:  # stored with 6 decimals: compare as stored, or a re-import updates
                record[key] = record[key].quantize(_GPS_PLACES)
        for key in ("woman_owned", "ethnic_minority", "cleaner_production"):
            try:
                record[key] = parsing.parse_bool(values.get(key))
            except ValueError as exc:
                fail(key, str(exc))
        gender = fold(values.get("representative_gender"))
        record["representative_gender"] = {"nam": "male", "nu": "female", "": ""}.get(gender)
        if record["representative_gender"] is None:
            fail("representative_gender", "Giới tính ghi 'Nam' hoặc 'Nữ'.")
        if record["representative_gender"] == "female" and _blank(values.get("woman_owned")):
            record["woman_owned"] = True
        stars = values.get("ocop_stars")
        record["ocop_stars"] = None
        if not _blank(stars):
            digits = re.sub(r"\D", "", str(stars))
            if not digits or not 1 <= int(digits) <= 5:
                fail("ocop_stars", "Sao OCOP là số từ 1 đến 5.")
            else:
                record["ocop_stars"] = int(digits)
        for key, limit in (("representative", 150), ("business_reg_no", 40), ("main_products", 300),
                           ("address", 300), ("vsic_code", 10)):
            record[key] = normalize_text(values.get(key))[:limit]
        email = normalize_text(values.get("email"))
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            fail("email", f"Thư điện tử '{email}' không đúng.")
        record["email"] = email
        record["sectors"] = []
        for part in re.split(r"[;,\n]", normalize_text(values.get("sectors"))):
            folded = fold(part)
            if not folded:
                continue
            sector = self._sectors.get(part.strip()) or self._sector_names.get(folded) or next(
                (s for key, s in self._sector_names.items() if folded in key), None)
            if sector is None:
                fail("sectors", f"Ngành nghề '{part.strip()}' không có trong danh mục ngành nghề khuyến công.")
            else:
                record["sectors"].append(sector.pk)
        place = self._place(number, values, report)
        if place is None:
            bad = True
        else:
            record["commune"], record["legacy_unit"], record["legacy_address"] = place
        if not bad:
            village_name = normalize_text(values.get("craft_village"))
            record["craft_village"] = None
            if village_name:
                village = self._village(record["commune"], village_name)
                if village is None:
                    fail("craft_village", f"Không có làng nghề '{village_name}' trong danh mục làng nghề của tỉnh.")
                record["craft_village"] = village
        if bad:
            report.bad_rows.add(number)
            return None
        record["eligible"] = self._eligible(record)
        return record

    def _place(self, number: int, values: dict, report: ImportReport):
        raw = (values.get("province"), values.get("district"), values.get("commune"))
        known = self._raw_places.get(raw) if all(v is None or isinstance(v, str) for v in raw) else None
        if known is not None:
            return known
        place = self._resolve_place(number, values, report)
        # Only clean answers are reused; a row with a problem is reported on its own.
        # A commune chosen for one split row is that row's answer only.
        cacheable = number not in report.bad_rows and number not in self.choices
        if place is not None and cacheable and all(v is None or isinstance(v, str) for v in raw):
            self._raw_places[raw] = place
        return place

    def _resolve_place(self, number: int, values: dict, report: ImportReport):
        province_text = normalize_text(values.get("province")) or (self.province.short_name if self.province else "")
        district_text = normalize_text(values.get("district"))
        commune_text = normalize_text(values.get("commune"))
        if not commune_text:
            self._error(report, number, "commune", "Thiếu xã/phường.")
            return None
        if not province_text:
            self._error(report, number, "province", "Thiếu tỉnh/thành phố (ghi vào cột hoặc chọn tỉnh khi nhập).")
            return None
        key = (fold(province_text), fold(district_text), fold(commune_text))
        if key not in self._places:
            self._places[key] = resolve_legacy_address(province_text, district_text, commune_text)
        resolution = self._places[key]
        typed = ", ".join(p for p in (commune_text, district_text, province_text) if p)
        if resolution.status == ResolutionStatus.SPLIT:
            candidates = [c.unit for c in resolution.current]
            chosen = self.choices.get(number)
            match = next((c for c in candidates if c.pk == chosen), None)
            if match is None:
                report.splits.append({
                    "row": number, "typed": typed, "message": resolution.message,
                    "candidates": [{"id": c.pk, "code": c.code, "name": c.name} for c in candidates],
                })
                self._error(report, number, "commune",
                            f"{resolution.message} Chọn xã/phường mới cho dòng này rồi nhập lại.")
                return None
            commune = match
        elif resolution.status == ResolutionStatus.EXACT and resolution.level == "commune" and resolution.current:
            commune = resolution.current[0].unit
        elif resolution.status == ResolutionStatus.EXACT:
            self._error(report, number, "commune", f"Không xác định được xã/phường từ '{typed}'.")
            return None
        else:
            column = resolution.part if resolution.part in ("province", "district", "commune") else "commune"
            self._error(report, number, column, resolution.message)
            return None
        province_id = commune.province_id
        if self.province is not None and province_id != self.province.pk:
            self._error(report, number, "province",
                        f"'{typed}' nay thuộc {commune.province.name if commune.province_id else '?'}, "
                        f"không thuộc {self.province.name} đã chọn.")
            return None
        if self.allowed is not None and province_id not in self.allowed:
            self._error(report, number, "province", f"'{typed}' nằm ngoài địa bàn của bạn.")
            return None
        legacy = resolution.legacy_commune if resolution.scheme == "legacy" else None
        self._communes[commune.pk] = commune
        return commune, legacy, typed if legacy is not None else ""

    def _village(self, commune: AdminUnit, name: str) -> CraftVillage | None:
        province_id = commune.province_id
        if (province_id, "") not in self._villages:
            for village in CraftVillage.objects.filter(province_id=province_id):
                self._villages[(province_id, fold(village.name))] = village
            self._villages[(province_id, "")] = None
        folded = fold(name)
        found = self._villages.get((province_id, folded))
        if found is None and not folded.startswith("lang nghe"):
            found = self._villages.get((province_id, f"lang nghe {folded}"))
        return found

    def _eligible(self, record: dict) -> bool | None:
        """The stored eligibility depends on the establishment's type, size, village and cleaner production and on
        its commune's and province's types on the date: computed once per combination of those facts."""
        village = record.get("craft_village")
        commune = record["commune"]
        if self._periods is None:
            self._periods = periods_by_unit()
        attach_periods((commune, commune.province), self._periods)
        key = (record["entity_type"], record["sme_size"], commune.kind_on(self.on_date),
               commune.province.kind_on(self.on_date) if commune.province_id else None,
               bool(village and village.recognised_on(self.on_date)), record["cleaner_production"])
        if key not in self._eligibility:
            try:
                result = engine.eligibility(key[0], key[1] or None, commune, self.on_date,
                                            craft_village=key[4], cleaner_production=key[5])
                self._eligibility[key] = result.eligible
            except Exception:
                self._eligibility[key] = None
        return self._eligibility[key]

    # --- writing ---------------------------------------------------------------------------------------------------

    FIELDS = ("name", "entity_type", "sme_size", "tax_code", "business_reg_no", "business_reg_date", "representative",
              "representative_gender", "phone", "email", "woman_owned", "ethnic_minority", "employees", "vsic_code",
              "main_products", "ocop_stars", "craft_village", "cleaner_production", "address", "commune",
              "legacy_unit", "legacy_address", "latitude", "longitude")

    def commit(self, report: ImportReport, *, good_rows: bool = False, job_id: int | None = None) -> ImportReport:
        """Writes the clean rows in one transaction. Refuses a file with errors unless good_rows is chosen."""
        if report.errors and not good_rows:
            raise ImportFileError(f"Tệp có {len(report.bad_rows)} dòng lỗi: chưa ghi gì. Sửa các dòng lỗi, hoặc "
                                  f"chọn 'chỉ nhập các dòng hợp lệ'.")
        from .services import search_text_of

        records = report.records
        province_ids = {r["commune"].province_id for r in records.values()}
        tax_codes = [r["tax_code"] for r in records.values() if r.get("tax_code")]
        existing = list(Establishment.objects.filter(province_id__in=province_ids, merged_into__isnull=True))
        existing += list(Establishment.objects.filter(tax_code__in=tax_codes).exclude(province_id__in=province_ids))
        by_tax = {e.tax_code: e for e in existing if e.tax_code}
        by_key = {(e.name_folded, e.commune_id): e for e in existing}
        sector_links = {e.pk: set() for e in existing}
        if existing:
            through = Establishment.sectors.through
            for est_id, sector_id in through.objects.filter(establishment__in=existing).values_list(
                    "establishment_id", "sector_id"):
                sector_links[est_id].add(sector_id)
        today = timezone.localdate()
        max_id = Establishment.objects.order_by("-id").values_list("id", flat=True).first() or 0
        to_create, to_update, new_sectors, changed_fields = [], [], [], set()
        audit_updates = []
        for record in records.values():
            current = by_tax.get(record.get("tax_code")) if record.get("tax_code") else None
            current = current or by_key.get((record["name_folded"], record["commune"].pk))
            values = {f: record[f] for f in self.FIELDS}
            if current is None:
                est = Establishment(**values, province_id=record["commune"].province_id,
                                    name_folded=record["name_folded"], eligible=record["eligible"],
                                    eligibility_checked_on=today)
                est.search_text = search_text_of(est, record["commune"])
                to_create.append(est)
                new_sectors.append((est, record["sectors"]))
                continue
            diff = {}
            for f, v in values.items():
                old = getattr(current, f"{f}_id") if f in ("commune", "craft_village", "legacy_unit") else getattr(
                    current, f)
                new = v.pk if f in ("commune", "craft_village", "legacy_unit") and v is not None else v
                if f in ("legacy_unit", "legacy_address") and new in (None, ""):
                    continue  # a re-import with today's names keeps the recorded legacy address
                if old != new and not (old in (None, "") and new in (None, "")):
                    diff[f] = [str(old) if old is not None else None, str(new) if new is not None else None]
            sectors_changed = set(record["sectors"]) - sector_links.get(current.pk, set())
            if not diff and not sectors_changed:
                report.unchanged += 1
                continue
            for f in diff:
                setattr(current, f, values[f])
            current.name_folded = record["name_folded"]
            current.province_id = record["commune"].province_id
            current.eligible = record["eligible"]
            current.eligibility_checked_on = today
            current.search_text = search_text_of(current, record["commune"])
            current.version += 1
            changed_fields |= set(diff)
            to_update.append(current)
            if sectors_changed:
                new_sectors.append((current, sorted(sectors_changed)))
                diff["sectors"] = [None, sorted(sectors_changed)]
            audit_updates.append((current, diff))
        with transaction.atomic():
            fast_insert(Establishment, to_create)
            if to_create:
                # fast_insert does not read primary keys back: find the new rows by their natural key.
                # Unique among the new rows: validation refuses a tax code twice, and a name twice in a commune
                # when no tax code tells them apart (an enterprise and its branch share the name).
                keys = {(e.name_folded, e.commune_id, e.tax_code): e for e in to_create}
                created_rows = Establishment.objects.filter(
                    province_id__in={e.province_id for e in to_create}, id__gt=max_id, merged_into__isnull=True
                ).values_list("id", "name_folded", "commune_id", "tax_code")
                for pk, name_folded, commune_id, code in created_rows:
                    if (name_folded, commune_id, code) in keys:
                        keys[(name_folded, commune_id, code)].pk = pk
            if to_update:
                fields = sorted(changed_fields | {"name_folded", "province", "eligible", "eligibility_checked_on",
                                                  "search_text", "version"})
                fields = [f for f in fields if f in {fl.name for fl in Establishment._meta.fields}]
                Establishment.objects.bulk_update(to_update, fields, batch_size=1000)
            through = Establishment.sectors.through
            through.objects.bulk_create(
                [through(establishment_id=est.pk, sector_id=sid) for est, sids in new_sectors for sid in sids],
                batch_size=2000, ignore_conflicts=True,
            )
            self._audit(to_create, audit_updates, job_id)
        report.created, report.updated = len(to_create), len(to_update)
        return report

    def _audit(self, created: list[Establishment], updated: list[tuple[Establishment, dict]], job_id) -> None:
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Establishment)
        actor_id = getattr(self.actor, "pk", None)
        source = {"import": [None, f"#{job_id}" if job_id else "manage.py import_establishments"]}
        events = [AuditEvent(actor_id=actor_id, action="establishment.import_create", content_type=ct,
                             object_id=str(e.pk), object_repr=e.name[:300], changes=source) for e in created]
        events += [AuditEvent(actor_id=actor_id, action="establishment.import_update", content_type=ct,
                              object_id=str(e.pk), object_repr=e.name[:300], changes={**diff, **source})
                   for e, diff in updated]
        fast_insert(AuditEvent, events)


ENTITY_LABELS = {
    EntityType.SME: "Doanh nghiệp nhỏ và vừa", EntityType.COOPERATIVE_GROUP: "Tổ hợp tác",
    EntityType.COOPERATIVE: "Hợp tác xã", EntityType.COOPERATIVE_UNION: "Liên hiệp hợp tác xã",
    EntityType.HOUSEHOLD: "Hộ kinh doanh", EntityType.OTHER: "Doanh nghiệp lớn",
}
