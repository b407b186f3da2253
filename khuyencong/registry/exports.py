"""The registry's spreadsheets: the import template, the error file of an import, and "export what I filtered"."""

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


def error_xlsx(report: ImportReport) -> bytes:
    """The rows with errors as they were read, each with its messages, and the full list of errors."""
    messages: dict[int, list[str]] = {}
    for e in report.errors:
        messages.setdefault(e.row, []).append(f"{e.column}: {e.message}")
    rows = [[number, "; ".join(messages.get(number, [])), *report.raw_rows.get(number, [])]
            for number in sorted(report.bad_rows)]
    return write_table(
        title="Các dòng lỗi khi nhập danh sách cơ sở",
        notes=[f"{len(report.bad_rows)} dòng lỗi trên {report.total} dòng. Sửa trực tiếp trong tệp gốc rồi nhập lại."],
        headers=["Dòng", "Lỗi", *report.header_row],
        rows=rows,
        sheet_name="Dòng lỗi",
        extra_sheets=[("Chi tiết lỗi", ["Dòng", "Cột", "Lỗi"], [[e.row, e.column, e.message] for e in report.errors])],
    )


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
