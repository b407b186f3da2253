"""Official documents in the NĐ 30/2020/NĐ-CP format: the PDF's text and page, the DOCX's parts."""

import datetime
import io
import shutil
import subprocess

import docx
import pytest
from docx.shared import Mm

from khuyencong.core import documents as d

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")


def sample(**changes) -> d.OfficialDocument:
    values = {
        "header": d.Header(issuing_body="Trung tâm Khuyến công tỉnh Lai Châu",
                           parent_body="Sở Công Thương tỉnh Lai Châu"),
        "number": "15",
        "symbol": "BC-TTKC",
        "place": "Lai Châu",
        "date": datetime.date(2026, 12, 5),
        "kind": "Báo cáo",
        "subject": "Kết quả chuyến công tác học tập kinh nghiệm\ntại Hải Phòng, Quảng Ninh và Yên Bái",
        "sections": [
            d.Section("I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN", [
                "Đoàn gồm 12 thành viên của Sở Công Thương, Trung tâm Khuyến công và cộng tác viên khuyến công.",
                d.Paragraph("Bổ nhiệm ông Nguyễn Văn Đức làm cộng tác viên khuyến công.", lead="Điều 1."),
            ]),
            d.Section("II. KINH PHÍ", [
                d.Table(["TT", "Nội dung chi", "Số tiền (đồng)"],
                        [["1", "Thuê xe, đi lại", "45.000.000"], ["", "Tổng cộng", "45.000.000"]],
                        align=["center", "left", "right"], widths=[1, 6, 3], bold_last_row=True),
            ]),
        ],
        "recipients": ["Sở Công Thương (để báo cáo);", "- Ban Giám đốc Trung tâm", "Lưu: VT, KH."],
        "signer": d.Signer(title="Phó Giám đốc", name="Nguyễn Thị Hương", prefix="KT.", authority="Giám đốc"),
    }
    values.update(changes)
    return d.OfficialDocument(**values)


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def test_pdf_carries_the_administrative_parts_with_their_diacritics():
    pdf = d.render_pdf(sample())
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ CÔNG THƯƠNG TỈNH LAI CHÂU",
                 "TRUNG TÂM KHUYẾN CÔNG", "Số: 15/BC-TTKC", "Lai Châu, ngày 05 tháng 12 năm 2026", "BÁO CÁO",
                 "Kết quả chuyến công tác học tập kinh nghiệm", "I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN",
                 "Điều 1. Bổ nhiệm ông Nguyễn Văn Đức", "Thuê xe, đi lại", "45.000.000", "Nơi nhận:",
                 "- Sở Công Thương (để báo cáo);", "- Ban Giám đốc Trung tâm;", "- Lưu: VT, KH.",
                 "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hương"):
        assert part in text, part
    # The national title sits to the right of the issuing body, on the same first line.
    first = text.splitlines()[0]
    assert first.index("SỞ CÔNG THƯƠNG") < first.index("CỘNG HÒA")


def test_pdf_page_is_a4_in_the_liberation_serif_font(tmp_path):
    pdf = d.render_pdf(sample())
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "595.2" in info and "841.8" in info  # A4 in points
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Liberation-Serif" in fonts or "TimesNewRoman" in fonts
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "doc.pdf"),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5000  # a page with text on it, not a blank


def test_long_document_numbers_its_pages_from_the_second():
    long = sample(sections=[d.Section("II. LỊCH TRÌNH", [f"Ngày thứ {i}: làm việc với đơn vị chủ nhà." * 3
                                                          for i in range(1, 60)])])
    text = pdf_text(d.render_pdf(long))
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert not pages[0].strip().splitlines()[0].strip().isdigit()


def test_undated_draft_leaves_the_blanks_a_clerk_fills_in():
    text = pdf_text(d.render_pdf(sample(number="", date=None, year=2027)))
    assert "Số:" in text and "/BC-TTKC" in text and "Số: 15" not in text
    assert "ngày" in text and "tháng" in text and "năm 2027" in text


def test_letter_without_kind_carries_its_subject_under_the_number():
    text = pdf_text(d.render_pdf(sample(kind="", symbol="TTKC-KH", subject="Đăng ký nhu cầu hỗ trợ năm 2027")))
    assert "V/v Đăng ký nhu cầu hỗ trợ năm 2027" in text
    assert "BÁO CÁO" not in text


def test_signed_copy_says_so_and_plain_signer_has_one_line():
    doc = sample(signer=d.Signer(title="Giám đốc", name="Lò Văn Minh", signed=True))
    text = pdf_text(d.render_pdf(doc))
    assert "(Đã ký)" in text and "GIÁM ĐỐC" in text and "KT." not in text


def test_docx_opens_and_has_the_parts_in_the_same_layout():
    word = docx.Document(io.BytesIO(d.render_docx(sample())))
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert Mm(19.9) <= section.top_margin <= Mm(25) and Mm(29.9) <= section.left_margin <= Mm(35)
    assert Mm(14.9) <= section.right_margin <= Mm(20)  # stored in twips: 15 mm is 850 twips
    head = word.tables[0].rows[0].cells
    assert "SỞ CÔNG THƯƠNG TỈNH LAI CHÂU" in head[0].text and "Số: 15/BC-TTKC" in head[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    assert "Lai Châu, ngày 05 tháng 12 năm 2026" in head[1].text
    assert word.tables[0]._tbl.tblPr.xml.count('w:val="nil"') == 6  # the header is borderless
    issuing = next(p for p in head[0].paragraphs if "TRUNG TÂM" in p.text)
    assert all(run.bold for run in issuing.runs)
    date = next(p for p in head[1].paragraphs if "ngày" in p.text)
    assert all(run.italic for run in date.runs)
    body = [p.text for p in word.paragraphs]
    assert "BÁO CÁO" in body and "I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN" in body
    assert any(t.startswith("Điều 1. Bổ nhiệm") for t in body)
    costs = word.tables[1]
    assert [c.text for c in costs.rows[0].cells] == ["TT", "Nội dung chi", "Số tiền (đồng)"]
    assert costs.rows[2].cells[2].paragraphs[0].runs[0].bold
    recipients, signature = word.tables[2].rows[0].cells
    assert recipients.text.splitlines()[0] == "Nơi nhận:" and "- Lưu: VT, KH." in recipients.text
    assert signature.text.splitlines()[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signature.text.splitlines()[-1] == "Nguyễn Thị Hương"
    assert word.styles["Normal"].font.name == "Times New Roman"


@pytest.mark.parametrize(("on", "expected"), [
    (datetime.date(2026, 12, 5), "Lai Châu, ngày 05 tháng 12 năm 2026"),
    (datetime.date(2026, 2, 15), "Lai Châu, ngày 15 tháng 02 năm 2026"),
    (datetime.date(2026, 3, 10), "Lai Châu, ngày 10 tháng 3 năm 2026"),
])
def test_place_and_date_follow_the_decree(on, expected):
    assert d.place_date_line("Lai Châu", on) == expected


def test_bad_signer_and_table_are_refused():
    with pytest.raises(ValueError):
        d.Signer(title="Phó Giám đốc", prefix="XX.", authority="Giám đốc")
    with pytest.raises(ValueError):
        d.Signer(title="Phó Giám đốc", prefix="KT.")
    with pytest.raises(ValueError):
        d.Table(["A", "B"], [["1"]])


@pytest.mark.parametrize(("typed", "lines"), [
    ("KT. Giám đốc / Phó Giám đốc", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ("TM. Ủy ban nhân dân\nChủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("Trưởng đoàn", ["TRƯỞNG ĐOÀN"]),
    ("KT. Giám đốc", ["KT. GIÁM ĐỐC"]),
])
def test_signer_from_typed_text(typed, lines):
    assert d.Signer.from_text(typed, "Lò Văn Minh").lines == lines


def test_fragment_is_scoped_for_a_preview_inside_a_page():
    html = d.render_fragment(sample(subject="<script>x</script>"))
    assert '<div class="kc-doc" lang="vi">' in html and "&lt;script&gt;" in html
    css = html[html.index("<style>"):html.index("</style>")]
    assert all(line.strip().startswith((".kc-doc", "@page", "@top-center", "/*", "}")) for line in css.splitlines()[1:]
               if line.strip())


def test_landscape_turns_the_page_in_both_formats():
    wide = sample(landscape=True)
    info = subprocess.run(["pdfinfo", "-"], input=d.render_pdf(wide), capture_output=True, check=True).stdout.decode()
    assert "841.89 x 595.27" in info  # A4 turned, in points
    section = docx.Document(io.BytesIO(d.render_docx(wide))).sections[0]
    assert section.page_width > section.page_height and abs(section.page_width - Mm(297)) < Mm(1)


def test_text_is_escaped():
    text = pdf_text(d.render_pdf(sample(subject="<b>Đề án</b> & kế hoạch")))
    assert "<b>Đề án</b> & kế hoạch" in text


def test_download_response_names_the_file_in_ascii():
    response = d.document_response(sample(), fmt="docx", filename="Báo cáo số 15/BC-TTKC")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bao-cao-so-15-bc-ttkc.docx"' in response["Content-Disposition"]
    with pytest.raises(ValueError):
        d.document_response(sample(), fmt="odt", filename="x")
