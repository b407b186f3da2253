"""Spreadsheets and official documents of periodic reports: one report's figures (xlsx, PDF), the national
completeness table and every province's figures (xlsx, built by the background task in tasks.py)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from khuyencong.core.exports import write_table

from .models import Report

STANDING_LABELS = {
    "missing": pgettext_lazy("report standing", "Not started"),
    "overdue": pgettext_lazy("report standing", "Overdue, not submitted"),
    "draft": pgettext_lazy("report standing", "Being drafted"),
    "on_time": pgettext_lazy("report standing", "Submitted on time"),
    "late": pgettext_lazy("report standing", "Submitted late"),
    "approved": pgettext_lazy("report standing", "Approved"),
    "locked": pgettext_lazy("report standing", "Locked"),
}
# A report against its due date (report_selectors.timeliness), worded as the completeness table words it.
TIMELINESS_LABELS = {
    "overdue": STANDING_LABELS["overdue"],
    "late": STANDING_LABELS["late"],
    "on_time": STANDING_LABELS["on_time"],
    "not_due": pgettext_lazy("report standing", "Not yet due"),
}


def number_vi(value) -> str:
    """1234567.5 → "1.234.567,5": the way Vietnamese documents write numbers; text is returned as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "x" if value else ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if number < 0 else ""
    number = abs(number).quantize(Decimal("0.01"))
    whole, _dot, frac = f"{number:f}".partition(".")
    frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def _cell(value):
    """Numbers stay numbers in the spreadsheet (integers formatted with thousands)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return int(number) if number == number.to_integral_value() else str(value).replace(".", ",")


def figure_rows(figures: dict) -> list[dict]:
    """The indicator rows of a report's figures with their value written the Vietnamese way."""
    return [{**row, "value_vi": number_vi(row.get("value")), "unit_vi": _unit(row)} for row in figures.get("rows", [])]


def _unit(row: dict) -> str:
    return row.get("unit_label") or row.get("unit", "")


def _figures_note(figures: dict, frozen: bool) -> str:
    at = datetime.datetime.fromisoformat(figures["generated_at"])
    when = timezone.localtime(at).strftime("%H:%M %d/%m/%Y")
    if frozen:
        return f"Số liệu đã chốt khi phê duyệt lúc {when}; không thay đổi khi dữ liệu thay đổi sau đó."
    return f"Số liệu tính trực tiếp từ dữ liệu lúc {when}; sẽ được chốt khi báo cáo được phê duyệt."


def report_xlsx(report: Report, figures: dict, frozen: bool) -> bytes:
    rows = [[i, row.get("code", ""), row.get("name", ""), _unit(row), _cell(row.get("value"))]
            for i, row in enumerate(figures.get("rows", []), start=1)]
    return write_table(
        title=f"{report.report_type.name} — {report.period_obj.label}",
        notes=[report.organisation.name, f"Tình trạng: {report.get_status_display()}",
               _figures_note(figures, frozen), "Địa giới: đơn vị hành chính hiện hành (sau 1/7/2025)."],
        headers=["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị"],
        rows=rows, sheet_name="Số liệu", widths=[6, 18, 60, 16, 18],
        extra_sheets=[("Nội dung", ["Mục", "Nội dung"], [
            ["I. Tình hình chung", report.situation], ["II. Kết quả thực hiện", report.results],
            ["III. Khó khăn, vướng mắc", report.difficulties], ["IV. Đề xuất, kiến nghị", report.proposals]])],
    )


def completeness_xlsx(table: dict, progress=None) -> bytes:
    types = table["types"]
    headers = ["STT", "Mã tỉnh", "Tỉnh/thành phố"]
    for rt in types:
        headers += [f"{rt.short_name}: tình trạng", f"{rt.short_name}: ngày nộp", f"{rt.short_name}: hạn nộp"]
    rows = []
    for i, row in enumerate(table["rows"], start=1):
        line = [i, row["province"].code, row["province"].name]
        for cell in row["cells"]:
            report = cell["report"]
            submitted = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
            line += [str(STANDING_LABELS[cell["standing"]]), submitted, cell["due"]]
        rows.append(line)
        if progress:
            progress(i)
    counts = [[str(STANDING_LABELS[k]), table["counts"].get(k, 0)] for k in STANDING_LABELS]
    return write_table(
        title=f"Tình hình nộp báo cáo khuyến công định kỳ — {table['period'].label}",
        notes=[f"Lập lúc {timezone.localtime():%H:%M %d/%m/%Y}. Hạn nộp theo cấu hình loại báo cáo "
               "(số ngày sau khi hết kỳ; một số thời hạn chưa được văn bản quy định)."],
        headers=headers, rows=rows, sheet_name="Tình hình nộp",
        extra_sheets=[("Tổng hợp", ["Tình trạng", "Số báo cáo"], counts)],
    )


def figures_xlsx(period_label: str, provinces: list, tables: list[list[dict]]) -> bytes:
    """Every province's indicator table side by side: one row per indicator, one column per province."""
    first = next((t for t in tables if t), [])
    headers = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", *[p.name for p in provinces]]
    values = [{row["code"]: row.get("value") for row in table} for table in tables]
    rows = [[i, row["code"], row.get("name", ""), _unit(row), *[_cell(v.get(row["code"])) for v in values]]
            for i, row in enumerate(first, start=1)]
    return write_table(
        title=f"Chỉ tiêu khuyến công các tỉnh, thành phố — {period_label}",
        notes=[f"Lập lúc {timezone.localtime():%H:%M %d/%m/%Y}. Địa giới: đơn vị hành chính hiện hành."],
        headers=headers, rows=rows, sheet_name="Chỉ tiêu",
        widths=[6, 18, 50, 14, *[16] * len(provinces)],
    )


def export_filename(report: Report, ext: str) -> str:
    return f"bao-cao-{report.report_type.code}-{report.province.code}-{report.period}.{ext}"


__all__ = ["completeness_xlsx", "figure_rows", "figures_xlsx", "number_vi", "report_xlsx"]


def report_document(report: Report, figures: dict, frozen: bool):
    """The report in the administrative format (NĐ 30/2020): the DoIT as issuing body under the provincial People's
    Committee, the narrative sections, the table of figures, recipients and the signature block of the approver."""
    from khuyencong.core import documents as d

    period = report.period_obj
    number, _slash, symbol = report.number.partition("/")
    table = d.Table(
        ["TT", "Chỉ tiêu", "Đơn vị tính", "Giá trị"],
        [[str(i), row.get("name", ""), _unit(row), number_vi(row.get("value"))]
         for i, row in enumerate(figures.get("rows", []), start=1)],
        align=["center", "left", "center", "right"], widths=[0.8, 6, 2, 2.4])

    def paragraphs(text: str) -> list:
        return [p for p in (text or "").split("\n") if p.strip()] or ["(Chưa có nội dung.)"]

    note = _figures_note(figures, frozen)
    approver = report.approved_by if frozen else None
    return d.OfficialDocument(
        header=d.Header(issuing_body=report.organisation.name,
                        parent_body=f"Ủy ban nhân dân {d.in_sentence(report.province.name)}"),
        number=number.strip() if symbol else "", symbol=symbol.strip() or "BC-SCT",
        place=report.province.short_name,
        date=timezone.localdate(report.approved_at) if frozen and report.approved_at else None,
        year=period.end.year if not frozen else None,
        kind="BÁO CÁO",
        subject=f"{report.report_type.name}\n{period.label}",
        sections=[
            d.Section("I. TÌNH HÌNH CHUNG", paragraphs(report.situation)),
            d.Section("II. KẾT QUẢ THỰC HIỆN", [
                *paragraphs(report.results),
                d.Paragraph("Các chỉ tiêu chủ yếu:", bold=True, indent=False),
                table,
                d.Paragraph(note, italic=True, indent=False),
            ]),
            d.Section("III. KHÓ KHĂN, VƯỚNG MẮC", paragraphs(report.difficulties)),
            d.Section("IV. ĐỀ XUẤT, KIẾN NGHỊ", paragraphs(report.proposals)),
        ],
        recipients=[*[r.strip() for r in report.report_type.recipients.split(";")], "Lưu: VT"],
        signer=d.Signer(title="Giám đốc", name=str(approver) if approver else "", signed=False),
    )
