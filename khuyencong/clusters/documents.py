"""The report forms of TT 14/2024/TT-BCT (Biểu 01–04) as official documents in the format of NĐ 30/2020/NĐ-CP
(`core.documents`): the national title and motto, the sender, "BÁO CÁO" with the form and the period, the table
TT, Chỉ tiêu, ĐVT, Kết quả, Ghi chú, the recipients the circular names for each form and the signature block.
The rows and figures are those of the xlsx (`reports.form_rows`, `reports.summary_rows`); the text is Vietnamese
whatever the interface language, as it is signed on paper."""

from decimal import Decimal

from django.utils import translation

from khuyencong.core import documents as d

from . import reports
from .models import Cluster, FormKind, FormReport

CIRCULAR = "Thông tư số 14/2024/TT-BCT ngày 15 tháng 8 năm 2024 của Bộ trưởng Bộ Công Thương"
SUBJECT = {
    "01": "Tình hình hoạt động của dự án đầu tư sản xuất, kinh doanh\ntrong cụm công nghiệp",
    "02": "Tình hình đầu tư xây dựng hạ tầng kỹ thuật\nvà hoạt động của cụm công nghiệp",
    "03": "Tình hình cụm công nghiệp trên địa bàn xã",
    "04": "Tình hình cụm công nghiệp trên địa bàn tỉnh",
}
ALIGN: list[d.Align] = ["center", "left", "center", "right", "left"]
WIDTHS = [1.2, 8.5, 2.6, 2.6, 2.2]


def _group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _number(value) -> str:
    """A cell as the form prints it: whole numbers grouped "12.000", decimals with a comma "42,5"."""
    if value in (None, ""):
        return ""
    if isinstance(value, int):
        return _group(value)
    text = str(value)
    if "," in text:
        return text
    return _group(int(Decimal(text)))


def _summary_rows(summary: reports.Summary) -> list[list]:
    with translation.override("vi"):
        return reports.summary_rows(summary)


def _table(rows: list[list]) -> d.Table:
    cells = [[str(r[0]), str(r[1]), str(r[2]), _number(r[3]), str(r[4])] for r in rows]
    return d.Table(list(reports.HEADERS), cells, align=ALIGN, widths=WIDTHS)


def _period_line(period: reports.ReportPeriod) -> str:
    kind = "6 tháng đầu năm" if period.half else "năm"
    return (f"Kỳ báo cáo: {kind} {period.year} (từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}). "
            "Đơn vị tiền: triệu đồng.")


def _form_blocks(form: str, period: reports.ReportPeriod, rows: list[list], lines=()) -> list:
    return [
        d.Paragraph(f"Biểu số {form}", bold=True, align="right", indent=False),
        d.Paragraph(f"(Ban hành kèm theo {CIRCULAR})", italic=True, align="right", indent=False),
        *[d.Paragraph(line, indent=False, align="left") for line in lines],
        d.Paragraph(_period_line(period), indent=False, align="left"),
        _table(rows),
    ]


def _subject(form: str, period: reports.ReportPeriod) -> str:
    when = f"6 tháng đầu năm {period.year}" if period.half else f"năm {period.year}"
    return f"{SUBJECT[form]}\n{when}"


def _province_words(cluster_or_province) -> str:
    return d.in_sentence(cluster_or_province.name)


def form_document(report: FormReport, cluster: Cluster) -> d.OfficialDocument:
    """Biểu 01 (a production project: to the statistics office and the commune) or Biểu 02 (the infrastructure
    investor: to the statistics office, the commune and the DoIT), TT 14/2024 Art 3."""
    period = reports.ReportPeriod.parse(report.period)
    commune = reports.commune_of(cluster)
    commune_words = f"Ủy ban nhân dân {d.in_sentence(commune.name)}" if commune else "Ủy ban nhân dân cấp xã"
    province = _province_words(cluster.province)
    with translation.override("vi"):
        rows = reports.form_rows(report, getattr(cluster, "land_industrial", None))
    if report.form == FormKind.TENANT:
        sender = report.tenant.name
        lines = [f"Tên dự án, cơ sở: {report.tenant.name}", f"Cụm công nghiệp: {cluster.name}"]
        recipients = [f"Cơ quan thống kê {province}", commune_words, "Lưu: VT"]
    else:
        sender = cluster.investor or f"Đơn vị quản lý {cluster.name}"
        lines = [f"Cụm công nghiệp: {cluster.name}", f"Chủ đầu tư hạ tầng: {cluster.investor or '—'}"]
        recipients = [f"Cơ quan thống kê {province}", commune_words, f"Sở Công Thương {province}", "Lưu: VT"]
    return d.OfficialDocument(
        header=d.Header(issuing_body=sender), kind="Báo cáo", subject=_subject(report.form, period),
        place=cluster.province.short_name, date=report.submitted_on, year=period.year,
        sections=[d.Section(blocks=_form_blocks(report.form, period, rows, lines))], recipients=recipients,
        signer=d.Signer(title="Người đại diện theo pháp luật"))


def commune_document(unit, province, period: reports.ReportPeriod, summary: reports.Summary) -> d.OfficialDocument:
    """Biểu 03: the commune's People's Committee to the provincial People's Committee and the DoIT."""
    words = _province_words(province)
    return d.OfficialDocument(
        header=d.Header(issuing_body=f"Ủy ban nhân dân {d.in_sentence(unit.name)}"), kind="Báo cáo",
        subject=_subject("03", period), symbol="BC-UBND", place=unit.short_name, year=period.year,
        sections=[d.Section(blocks=_form_blocks("03", period, _summary_rows(summary)))],
        recipients=[f"Ủy ban nhân dân {words}", f"Sở Công Thương {words}", "Lưu: VT"],
        signer=d.Signer(title="Chủ tịch", prefix="TM.", authority="Ủy ban nhân dân"))


def province_document(province, period: reports.ReportPeriod, summary: reports.Summary) -> d.OfficialDocument:
    """Biểu 04: the DoIT to the provincial People's Committee and the Ministry of Industry and Trade."""
    words = _province_words(province)
    return d.OfficialDocument(
        header=d.Header(issuing_body="Sở Công Thương", parent_body=f"Ủy ban nhân dân {words}"), kind="Báo cáo",
        subject=_subject("04", period), symbol="BC-SCT", place=province.short_name, year=period.year,
        sections=[d.Section(blocks=_form_blocks("04", period, _summary_rows(summary)))],
        recipients=["Bộ Công Thương", f"Ủy ban nhân dân {words}", "Lưu: VT"],
        signer=d.Signer(title="Giám đốc"))


def national_document(period: reports.ReportPeriod, summary: reports.Summary, provinces: int) -> d.OfficialDocument:
    """The ministry's roll-up of the provinces' Biểu 04 (the same rows, summed; occupancy recomputed); `provinces`:
    how many have clusters."""
    return d.OfficialDocument(
        header=d.Header(issuing_body="Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
                        parent_body="Bộ Công Thương"),
        kind="Báo cáo", subject=f"Tổng hợp tình hình cụm công nghiệp cả nước\n"
                                f"{'6 tháng đầu năm' if period.half else 'năm'} {period.year}",
        place="Hà Nội", year=period.year,
        sections=[d.Section(blocks=[
            d.Paragraph(f"Tổng hợp Biểu số 04 của {provinces} tỉnh, thành phố có cụm công nghiệp "
                        f"(theo {CIRCULAR}).", indent=False, align="left"),
            d.Paragraph(_period_line(period), indent=False, align="left"), _table(_summary_rows(summary))])],
        recipients=["Lãnh đạo Bộ (để báo cáo)", "Lưu: VT"], signer=d.Signer(title="Cục trưởng"))
