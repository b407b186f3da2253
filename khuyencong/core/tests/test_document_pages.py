"""Every official document, rendered as it is printed: PDF → PNG pages (pdftoppm) and the text of each page
(pdftotext). The signature block and “Nơi nhận” are on the last page, with body text (never alone on a new page),
the page count is what the content implies, and the issued appointment decision names the person in full.

Set ``KC_DOCUMENT_PNG_DIR`` to keep the PNG pages for a look (they are written to a temporary folder otherwise)."""

import dataclasses
import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import commune_of, make_user, province
from khuyencong.core import documents as d
from khuyencong.core.errors import InvalidInput

pytestmark = [
    pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
                       reason="poppler-utils (pdftoppm, pdftotext, pdfinfo) is not installed"),
]

D = datetime.date
LAI_CHAU = 12


# --- Rendering and reading the pages ---------------------------------------------------------------------------------

@dataclasses.dataclass
class Printed:
    pages: list[str]  # the text of each page, whitespace folded to single spaces
    pngs: list[Path]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def print_out(document: d.OfficialDocument, folder: Path, name: str) -> Printed:
    """The document's PDF as PNG pages and the text of each page."""
    out = Path(os.environ.get("KC_DOCUMENT_PNG_DIR") or folder)
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(d.render_pdf(document))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out / name)], check=True)
    pngs = sorted(out.glob(f"{name}-*.png"))
    pages = [_fold(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout) for n in range(1, count + 1)]
    assert len(pngs) == count, f"{name}: {len(pngs)} PNG pages for {count} PDF pages"
    return Printed(pages=pages, pngs=pngs)


def bare(document: d.OfficialDocument) -> d.OfficialDocument:
    """The same text without recipients nor signature: the pages the content alone needs."""
    return dataclasses.replace(document, recipients=[], signer=d.Signer(title=""))


def last_words(document: d.OfficialDocument) -> str:
    """The first words of what closes the text: the last paragraph, or the last row of a final table."""
    closing = document.closing
    if closing.blocks:
        text = closing.items[-1].text or closing.items[-1].lead
    else:
        table = document.body_sections[-1].items[-1]
        text = next(cell for cell in table.rows[-1] if cell.strip() and not cell.strip().isdigit())
    return " ".join(_fold(text).split()[:5])


def check_pages(document: d.OfficialDocument, folder: Path, name: str, *, pages: int | None = None) -> Printed:
    """The checks every official document passes; ``pages``: the count its content implies, when known."""
    printed = print_out(document, folder, name)
    last = printed.pages[-1]
    signer = document.signer
    for line in [*signer.lines, signer.name.strip()]:
        if line:
            assert _fold(line) in last, f"{name}: “{line}” is not on the last page"
    if document.recipient_lines:
        assert "Nơi nhận:" in last, f"{name}: “Nơi nhận” is not on the last page"
        assert "Nơi nhận:" not in " ".join(printed.pages[:-1]), f"{name}: “Nơi nhận” split from the signature"
        assert _fold(document.recipient_lines[-1]) in last
    closing = last_words(document)
    assert closing in last, f"{name}: the last page has no body text (“{closing}…” is on an earlier page)"
    assert all(text for text in printed.pages), f"{name}: a blank page"
    content = len(print_out(bare(document), folder, f"{name}-bare").pages)
    assert len(printed.pages) in (content, content + 1), (
        f"{name}: {len(printed.pages)} pages for content that fills {content}")
    if pages is not None:
        assert len(printed.pages) == pages, f"{name}: {len(printed.pages)} pages, {pages} expected"
    return printed


def at_a_page_break(document: d.OfficialDocument, printed: Printed) -> bool:
    """Whether the page break fell just before the closing: what precedes it is on an earlier page (the case in
    which, without the rule, the signature would have stood alone)."""
    before = document.body_sections[-1].items[-1] if document.body_sections else None
    if before is None:
        return False
    if document.closing.blocks and isinstance(before, d.Paragraph):
        text = before.text or before.lead
    elif not document.closing.blocks and len(before.rows) > 1:
        text = next(cell for cell in before.rows[-2] if cell.strip() and not cell.strip().isdigit())
    else:
        return False
    return " ".join(_fold(text).split()[:5]) not in printed.pages[-1]


def with_extra_paragraphs(document: d.OfficialDocument, count: int) -> d.OfficialDocument:
    """The document with ``count`` more paragraphs at the start of its text (to walk the end across a page)."""
    extra = [f"Đoạn bổ sung {i + 1}: kết quả thực hiện kế hoạch khuyến công, đào tạo nghề, hỗ trợ máy móc thiết bị "
             "và xây dựng mô hình trình diễn kỹ thuật cho cơ sở công nghiệp nông thôn." for i in range(count)]
    first, *rest = document.sections
    return dataclasses.replace(document, sections=[d.Section(first.heading, [*extra, *first.blocks]), *rest])


# --- The documents, with demo-like data ------------------------------------------------------------------------------

@pytest.fixture
def appointed(db):
    from khuyencong.network.tests.factories import make_collaborator, make_regulation

    regulation = make_regulation(
        LAI_CHAU, title="Quy chế quản lý mạng lưới cộng tác viên khuyến công tỉnh Lai Châu",
        issuing_body="Ủy ban nhân dân tỉnh Lai Châu", appointing_body="Trung tâm Khuyến công tỉnh Lai Châu",
        parent_body="Sở Công Thương tỉnh Lai Châu",
        duties="khảo sát, nắm bắt nhu cầu của cơ sở công nghiệp nông thôn; tuyên truyền chính sách khuyến công; "
               "đề xuất đề án khuyến công; báo cáo định kỳ với Trung tâm.")
    collaborator = make_collaborator(LAI_CHAU, name="Sùng A Páo", regulation=regulation, id_number="012085123378",
                                     communes=[commune_of(LAI_CHAU, 2), commune_of(LAI_CHAU, 3)],
                                     start=D(2026, 2, 3))
    collaborator.decision_number = "21/QĐ-TTKC"
    collaborator.decision_authority = "Phó Giám đốc Trung tâm Khuyến công tỉnh Lai Châu"
    collaborator.decision_signer = "Lò Văn Thành"
    collaborator.residence_commune = commune_of(LAI_CHAU, 2)
    collaborator.address = "Bản Nà Hừ"
    collaborator.affiliation = "Hợp tác xã dệt thổ cẩm Nà Hừ"
    collaborator.save()
    return collaborator


@pytest.fixture
def staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.lc.doc",
                     full_name="Nguyễn Thị Thu Hà")


def _tour(staff, people: int):
    from khuyencong.events import services
    from khuyencong.events.tests.helpers import legacy_province, make_event, person

    tour = make_event(staff, LAI_CHAU, title="Đoàn học tập kinh nghiệm hoạt động khuyến công tại Hải Phòng, "
                                             "Quảng Ninh và Yên Bái",
                      purpose="Học tập kinh nghiệm tổ chức mạng lưới cộng tác viên và xây dựng mô hình trình diễn.",
                      venue="Hải Phòng, Quảng Ninh, Yên Bái", start_date=D(2016, 12, 5), end_date=D(2016, 12, 9))
    person(staff, tour, "Lò Văn Thành", role="head", origin="doit", position="Phó Giám đốc Sở Công Thương")
    names = ["Nguyễn Thị Hương", "Tòng Văn Sơn", "Vàng A Dế", "Lường Thị Mai", "Đèo Văn Hùng", "Giàng Thị Sua"]
    for i in range(people - 1):
        person(staff, tour, f"{names[i % len(names)]} {i + 1}", position="Chuyên viên")
    for i, code in enumerate((31, 22, 15, 15, 22)):
        services.itinerary_day_add(actor=staff, event=tour, day=D(2016, 12, 5 + i), host_province=legacy_province(code),
                                   host_name=f"Trung tâm Khuyến công {d.in_sentence(legacy_province(code).name)}",
                                   activities="Làm việc với Sở Công Thương và Trung tâm Khuyến công; thăm mô hình "
                                              "trình diễn kỹ thuật và cơ sở công nghiệp nông thôn tiêu biểu.",
                                   topics=["collaborator_network"])
    return tour


def decision(appointed, id_number: str = "012085123378"):
    from khuyencong.network.letters import decision_document, full_id_number

    return decision_document(appointed, id_number=full_id_number(appointed, id_number) if id_number else "")


def mission_report(staff, people: int = 12):
    from khuyencong.events import services
    from khuyencong.events.report import report_document
    from khuyencong.events.tests.helpers import legacy_province

    manager = make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU, username="ld.sct.lc.doc",
                        full_name="Tẩn Văn Minh")
    tour = _tour(staff, people)
    for code in (31, 22, 15):
        services.event_place_add(actor=staff, event=tour, unit=legacy_province(code))
    services.budget_line_add(actor=staff, event=tour, kind="transport", unit_cost=18_000_000, support=18_000_000)
    services.event_transition(actor=manager, event=tour, action="approve", on_date=D(2016, 11, 20),
                              inputs={"reference": "112/QĐ-SCT"})
    services.event_transition(actor=staff, event=tour, action="hold", on_date=D(2016, 12, 10))
    for i, (topic, title) in enumerate((("settlement", "Hồ sơ quyết toán chuẩn bị từ đầu"),
                                        ("collaborator_network", "Cộng tác viên đi cùng cán bộ Trung tâm"))):
        services.lesson_create(actor=staff, data={
            "topic": topic, "title": title, "province": province((31, 22)[i]), "event": tour,
            "practice": "Rà soát hồ sơ ngay khi ký hợp đồng; giao cộng tác viên theo dõi từng cơ sở thụ hưởng.",
            "why_it_works": "Phát hiện sớm thiếu sót, không phải bổ sung khi quyết toán.",
            "how_to_apply": "Áp dụng cho các đề án khuyến công địa phương từ năm 2017."})
    report = services.mission_report_prepare(actor=staff, event=tour, on_date=D(2016, 12, 12))
    return report_document(tour, report)


def participant_list(staff, people: int):
    from khuyencong.events.exports import participants_document

    return participants_document(_tour(staff, people), prepared_by="Nguyễn Thị Thu Hà")


def fair_documents(staff):
    from khuyencong.events import services
    from khuyencong.events.exports import booths_document, settlement_document
    from khuyencong.events.tests.helpers import establishment, make_event

    fair = make_event(staff, LAI_CHAU, kind="fair_attended", audience="", content="fair_domestic_participate",
                      title="Hội chợ hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc", fund="local",
                      start_date=D(2026, 11, 12), end_date=D(2026, 11, 16))
    names = ("Hợp tác xã chè Tam Đường", "Cơ sở dệt thổ cẩm Nà Hừ", "Hộ kinh doanh mây tre Bản Giang")
    for i, name in enumerate(names):
        services.booth_add(actor=staff, event=fair, establishment=establishment(LAI_CHAU, name=name),
                           number=f"A{i + 1:02d}", price=12_000_000, products="Chè, thổ cẩm, mây tre đan")
    return (booths_document(fair, prepared_by="Nguyễn Thị Thu Hà"),
            settlement_document(fair, prepared_by="Nguyễn Thị Thu Hà"))


def periodic_report():
    from khuyencong.reporting.report_exports import report_document
    from khuyencong.reporting.report_selectors import report_figures
    from khuyencong.reporting.tests.scope_cases_reports import make_report

    report = make_report(LAI_CHAU, period="2026-Q2", state="locked")
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="qt.doc")
    figures, frozen = report_figures(user=admin, report=report)
    return report_document(report, figures, frozen)


# --- Each document ---------------------------------------------------------------------------------------------------

def test_appointment_decision_is_one_page_ready_to_sign_with_the_id_number_in_full(appointed, tmp_path):
    document = decision(appointed)
    printed = check_pages(document, tmp_path, "quyet-dinh", pages=2)
    text = " ".join(printed.pages)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ CÔNG THƯƠNG TỈNH LAI CHÂU",
                 "TRUNG TÂM KHUYẾN CÔNG TỈNH LAI CHÂU", "Số: 21/QĐ-TTKC", "Lai Châu, ngày 03 tháng 02 năm 2026",
                 "QUYẾT ĐỊNH", "Về việc công nhận cộng tác viên khuyến công",
                 "GIÁM ĐỐC TRUNG TÂM KHUYẾN CÔNG TỈNH LAI CHÂU", "Công nhận ông Sùng A Páo",
                 "số định danh cá nhân 012085123378", "Bản Nà Hừ", "tỉnh Lai Châu", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                 "Lò Văn Thành", "Nơi nhận:", "- Lưu: VT."):
        assert part in text, part
    assert "•" not in text and "lai châu" not in text


def test_decision_without_the_typed_id_number_leaves_a_blank_never_the_mask(appointed, tmp_path):
    text = " ".join(check_pages(decision(appointed, id_number=""), tmp_path, "quyet-dinh-trong", pages=2).pages)
    assert "số định danh cá nhân ………" in text and "•" not in text and "378" not in text


def test_an_id_number_that_is_not_the_one_on_record_is_refused(appointed):
    with pytest.raises(InvalidInput) as wrong:
        decision(appointed, id_number="012085123379")
    assert wrong.value.field == "id_number" and "không khớp" in wrong.value.message
    with pytest.raises(InvalidInput):
        decision(appointed, id_number="12345")


def test_decision_page_prints_the_typed_id_number_and_keeps_what_was_typed_on_error(client, appointed):
    from khuyencong.network.tests.factories import centre

    officer = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.lc.qd",
                        organisation=centre(LAI_CHAU))
    client.force_login(officer)
    url = f"/network/collaborators/{appointed.pk}/decision/"
    preview = client.post(url, {"id_number": "0120 8512 3378", "format": ""}).content.decode()
    assert "số định danh cá nhân 012085123378" in preview
    pdf = client.post(url, {"id_number": "012085123378", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    wrong = client.post(url, {"id_number": "012085123379", "format": "pdf"})
    page = wrong.content.decode()
    assert wrong.status_code == 422 and 'role="alert"' in page and 'value="012085123379"' in page
    appointed.refresh_from_db()
    assert "123378" not in str(vars(appointed))  # never stored


def test_mission_report(staff, tmp_path):
    document = mission_report(staff)
    text = " ".join(check_pages(document, tmp_path, "bao-cao-doan", pages=2).pages)
    # Place names inside sentences take the registry's capitals but a lower-case type word.
    assert "tại thành phố Hải Phòng, tỉnh Quảng Ninh, tỉnh Yên Bái" in text and "Tỉnh Quảng Ninh" not in text


def test_participant_list_to_sign(staff, tmp_path):
    check_pages(participant_list(staff, 12), tmp_path, "danh-sach", pages=2)


def test_booth_list_and_settlement(staff, tmp_path):
    booths, settlement = fair_documents(staff)
    check_pages(booths, tmp_path, "gian-hang", pages=2)
    check_pages(settlement, tmp_path, "quyet-toan")


def test_periodic_report(db, tmp_path):
    check_pages(periodic_report(), tmp_path, "bao-cao-dinh-ky", pages=3)  # the figures of every module


# --- Long documents: the end walked across a page break ---------------------------------------------------------------

def test_a_decision_growing_across_a_page_break_never_leaves_the_signature_alone(appointed, tmp_path):
    moved = 0
    for extra in range(0, 14, 2):
        document = with_extra_paragraphs(decision(appointed), extra)
        moved += at_a_page_break(document, check_pages(document, tmp_path, f"quyet-dinh-dai-{extra}"))
    assert moved, "no length put the signature at a page break: the walk tests nothing"


def test_a_list_growing_across_a_page_break_never_leaves_the_signature_alone(staff, tmp_path):
    moved = 0
    for people in range(12, 18):
        document = participant_list(staff, people)
        moved += at_a_page_break(document, check_pages(document, tmp_path, f"danh-sach-{people}"))
    assert moved, "no length put the signature at a page break: the walk tests nothing"


# --- The editable Word draft keeps the same pieces together ----------------------------------------------------------

def test_docx_keeps_the_closing_with_the_signature_block(appointed):
    word = docx.Document(io.BytesIO(d.render_docx(decision(appointed))))
    body = [p for p in word.paragraphs if p.text.strip()]
    article3 = next(p for p in body if p.text.startswith("Điều 3."))
    assert article3.paragraph_format.keep_with_next and article3.paragraph_format.keep_together
    first_body = next(p for p in body if p.text.startswith("Căn cứ"))
    assert not first_body.paragraph_format.keep_with_next  # only the closing is tied to what follows
    foot = word.tables[-1]
    assert foot.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") \
        is not None
    assert "Lò Văn Thành" in foot.rows[0].cells[1].text and "Nơi nhận:" in foot.rows[0].cells[0].text
    assert "012085123378" in "\n".join(p.text for p in word.paragraphs)


def test_closing_takes_the_last_paragraph_and_a_short_formula_brings_the_one_before():
    base = d.OfficialDocument(header=d.Header("Trung tâm Khuyến công tỉnh Lai Châu"), kind="Báo cáo", subject="Thử",
                              signer=d.Signer(title="Giám đốc", name="Lò Văn Thành"))
    one = dataclasses.replace(base, sections=[d.Section("I. KẾT QUẢ", ["Một.", "Hai " * 80])])
    assert [p.text for p in one.closing.items] == ["Hai " * 80] and one.closing.heading == ""
    assert [p.text for p in one.body_sections[0].items] == ["Một."]
    last = d.Section("II. ĐỀ XUẤT", ["Hai " * 80, "Trân trọng./."])
    two = dataclasses.replace(base, sections=[d.Section("I", ["Một " * 80]), last])
    assert two.closing.heading == "II. ĐỀ XUẤT" and len(two.closing.items) == 2 and len(two.body_sections) == 1
    table = d.Table(["TT", "Tên"], [["1", "Lò Văn Thành"]])
    ends_with_table = dataclasses.replace(base, sections=[d.Section("", ["Mở đầu.", table])])
    assert not ends_with_table.closing.blocks and ends_with_table.body_sections[0].items[-1] is table


@pytest.mark.parametrize(("name", "expected"), [
    ("Tỉnh Lai Châu", "tỉnh Lai Châu"), ("Thành phố Hải Phòng", "thành phố Hải Phòng"),
    ("Xã Bản Giang", "xã Bản Giang"), ("Đặc khu Phú Quốc", "đặc khu Phú Quốc"), ("Bản Giang", "Bản Giang"),
    ("Trung tâm Khuyến công tỉnh Lai Châu", "Trung tâm Khuyến công tỉnh Lai Châu"),
])
def test_unit_names_inside_a_sentence_keep_the_registry_capitals(name, expected):
    assert d.in_sentence(name) == expected
