"""The registry's spreadsheets: the import template, the error file of an import, and "export what I filtered"."""

import datetime
import tempfile

import xlsxwriter
from django.conf import settings

from khuyencong.core.exports import write_table

from .importer import COLUMNS, ENTITY_LABELS, TEMPLATE_FIELDS, ImportReport

EXPORT_HEADERS = ["STT", "Tên cơ sở", "Loại hình", "Quy mô", "Mã số thuế", "Người đại diện", "Điện thoại",
                  "Sản phẩm chính", "Địa chỉ", "Xã/phường", "Tỉnh/thành phố", "Địa chỉ cũ (trước 1/7/2025)",
                  "Số lao động", "Chủ là nữ", "Dân tộc thiểu số", "Sao OCOP", "Làng nghề", "Đủ điều kiện CNNT",
                  "Tình trạng"]
SIZE_LABELS = {"micro": "Siêu nhỏ", "small": "Nhỏ", "medium": "Vừa", "": ""}


def template_xlsx() -> bytes:
    example = {
        "name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "Hộ kinh doanh", "tax_code": "", "business_reg_no":
        "50A8012345", "business_reg_date": "15/03/2019", "representative": "Nguyễn Văn Tư",
        "representative_gender": "Nam", "phone": "0912 345 678", "email": "", "employees": "12", "woman_owned": "",
        "ethnic_minority": "", "sectors": "Công nghiệp chế biến nông - lâm - thủy sản và chế biến thực phẩm",
        "vsic_code": "1079", "main_products": "Bánh tráng phơi sương", "ocop_stars": "3", "craft_village": "",
        "cleaner_production": "", "address": "Ấp 3", "commune": "Xã Mỹ Lệ", "district": "Huyện Cần Đước",
        "province": "Long An", "latitude": "", "longitude": "",
    }
    guide = [
        ("Tên cơ sở", "Bắt buộc."),
        ("Loại hình", "Hộ kinh doanh, Tổ hợp tác, Hợp tác xã, Liên hiệp hợp tác xã, Doanh nghiệp nhỏ và vừa "
                      "(ghi kèm quy mô: siêu nhỏ / nhỏ / vừa), Doanh nghiệp lớn."),
        ("Mã số thuế", "10 chữ số, hoặc 10 chữ số-3 chữ số của chi nhánh. Được phép có dấu cách hoặc gạch."),
        ("Địa chỉ", "Xã/phường bắt buộc. Có thể ghi tên tỉnh, huyện, xã cũ (trước 1/7/2025): hệ thống tự quy đổi "
                    "sang đơn vị hiện nay; xã cũ bị chia cho nhiều xã mới sẽ được hỏi lại."),
        ("Ngày", "dd/mm/yyyy hoặc ô ngày của Excel."),
        ("Có/không", "Ghi 'x' hoặc 'có' nếu đúng, để trống nếu không."),
        ("Nhập lại", "Nhập lại cùng tệp không tạo bản ghi trùng: đối chiếu theo mã số thuế, nếu không có thì theo "
                     "tên cơ sở và xã/phường."),
    ]
    return write_table(
        title="Mẫu nhập danh sách cơ sở công nghiệp nông thôn",
        headers=[COLUMNS[f][0] for f in TEMPLATE_FIELDS],
        rows=[[example[f] for f in TEMPLATE_FIELDS]],
        sheet_name="Danh sách",
        extra_sheets=[("Hướng dẫn", ["Mục", "Cách ghi"], guide)],
    )


def error_file_rows() -> int:
    """The bad rows an error file writes in full (KC_IMPORT_ERROR_FILE_ROWS): enough to fix a file batch by batch,
    never a file that takes the worker's memory."""
    return getattr(settings, "KC_IMPORT_ERROR_FILE_ROWS", 5_000)


def write_error_xlsx(report: ImportReport, target, *, limit: int | None = None) -> None:
    """The rows with errors as they were read, each with its messages, then the list of errors, written to `target`
    (a path or a binary file) row by row: xlsxwriter's constant_memory mode keeps one row in memory, whatever the
    count. Only the first `limit` bad rows are written; a note says how many more there are."""
    limit = error_file_rows() if limit is None else limit
    shown = sorted(report.bad_rows)[:limit]
    messages: dict[int, list[str]] = {number: [] for number in shown}
    for e in report.errors:
        if e.row in messages:
            messages[e.row].append(f"{e.column}: {e.message}")
    notes = [f"{_dotted(len(report.bad_rows))} dòng lỗi trên {_dotted(report.total)} dòng. Sửa trực tiếp trong tệp "
             f"gốc rồi nhập lại."]
    if len(report.bad_rows) > len(shown):
        notes.append(f"Tệp này chỉ ghi {_dotted(len(shown))} dòng lỗi đầu tiên; còn "
                     f"{_dotted(len(report.bad_rows) - len(shown))} dòng lỗi nữa. Sửa các dòng này rồi nhập lại để "
                     f"xem các dòng còn lại.")
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                  "valign": "vcenter", "font_name": "Times New Roman"})
    cell = workbook.add_format({"font_name": "Times New Roman", "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy", "font_name": "Times New Roman", "valign": "top"})

    def write_row(sheet, r: int, values) -> None:
        for c, value in enumerate(values):
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(r, c, value.replace(tzinfo=None), date_format)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value, cell)
            elif value is not None and value != "":
                sheet.write_string(r, c, str(value), cell)

    rows_sheet = workbook.add_worksheet("Dòng lỗi")
    rows_sheet.write_string(0, 0, "Các dòng lỗi khi nhập danh sách cơ sở", bold)
    for i, note in enumerate(notes, start=1):
        rows_sheet.write_string(i, 0, note, cell)
    start = len(notes) + 2
    head = ["Dòng", "Lỗi", *report.header_row]
    rows_sheet.write_row(start, 0, head, header)
    rows_sheet.freeze_panes(start + 1, 0)
    rows_sheet.set_column(0, 0, 8)
    rows_sheet.set_column(1, 1, 45)
    rows_sheet.set_column(2, max(2, len(head) - 1), 18)
    for r, number in enumerate(shown, start=start + 1):
        write_row(rows_sheet, r, [number, "; ".join(messages[number]), *report.raw_rows.get(number, [])])
    details = workbook.add_worksheet("Chi tiết lỗi")
    details.write_row(0, 0, ["Dòng", "Cột", "Lỗi"], header)
    details.freeze_panes(1, 0)
    details.set_column(0, 0, 8)
    details.set_column(1, 1, 24)
    details.set_column(2, 2, 80)
    r = 0
    for e in report.errors:
        if e.row in messages:
            r += 1
            write_row(details, r, [e.row, e.column, e.message])
    workbook.close()


def error_xlsx(report: ImportReport, *, limit: int | None = None) -> bytes:
    """The error file as bytes (capped, so small): for the command line and the tests."""
    with tempfile.TemporaryFile() as target:
        write_error_xlsx(report, target, limit=limit)
        target.seek(0)
        return target.read()


def _dotted(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def establishments_xlsx(queryset, *, title: str) -> bytes:
    def rows():
        for i, e in enumerate(queryset.iterator(chunk_size=2000), start=1):
            yield [i, e.name, ENTITY_LABELS.get(e.entity_type, e.entity_type), SIZE_LABELS.get(e.sme_size, ""),
                   e.tax_code or "", e.representative, e.phone, e.main_products, e.address, e.commune.name,
                   e.province.name, e.legacy_address, e.employees, e.woman_owned, e.ethnic_minority, e.ocop_stars,
                   e.craft_village.name if e.craft_village_id else "",
                   {True: "Có", False: "Không", None: "Chưa xác định"}[e.eligible], e.get_status_display()]

    return write_table(title=title, headers=EXPORT_HEADERS, rows=rows(), sheet_name="Cơ sở",
                       widths=[6, 40, 22, 10, 16, 24, 14, 30, 24, 22, 22, 34, 10, 8, 8, 8, 22, 14, 14])
