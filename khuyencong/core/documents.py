"""Official documents (văn bản hành chính) in the format of Nghị định 30/2020/NĐ-CP on văn thư, as PDF and DOCX.

Build an :class:`OfficialDocument` from your data and render it::

    from khuyencong.core import documents as d

    doc = d.OfficialDocument(
        header=d.Header(issuing_body="Trung tâm Khuyến công tỉnh Lai Châu", parent_body="Sở Công Thương tỉnh Lai Châu"),
        number="15", symbol="BC-TTKC",            # “Số: 15/BC-TTKC”; number="" leaves the blank a clerk fills in
        place="Lai Châu", date=datetime.date(2026, 12, 5),   # “Lai Châu, ngày 05 tháng 12 năm 2026” (None: blank)
        kind="BÁO CÁO", subject="Kết quả thực hiện kế hoạch khuyến công năm 2026",
        sections=[
            d.Section("I. KẾT QUẢ", [
                "Plain strings are body paragraphs (justified, first line indented).",
                d.Paragraph("Điều 1.", lead=True),                       # or d.Paragraph(text, bold/italic/align)
                d.Table(["TT", "Nội dung", "Kinh phí (đồng)"], [["1", "Đào tạo nghề", "120.000.000"]],
                        align=["center", "left", "right"], widths=[1, 6, 3]),
            ]),
        ],
        recipients=["Sở Công Thương (để báo cáo)", "Lưu: VT, KH"],   # “- …;” and a final “.” are added
        signer=d.Signer(title="Phó Giám đốc", name="Nguyễn Văn A", prefix="KT.", authority="Giám đốc"),
    )
    pdf: bytes = d.render_pdf(doc)        # WeasyPrint, template core/documents/official.html
    html: str = d.render_fragment(doc)    # the same, scoped, to preview inside a page
    docx: bytes = d.render_docx(doc)      # python-docx, an editable draft with the same layout
    return d.document_response(doc, fmt="pdf", filename="bao-cao-2026")   # a download in a view

The layout: A4 (``landscape=True`` turns it for wide lists); margins top and bottom 20 mm, left 30 mm, right 15 mm;
Times New Roman (Liberation Serif on servers, metric-compatible) 14 pt for the body, 12–13 pt for the header; the
national title and motto top-right with a rule under the motto, the issuing body top-left (parent body above,
issuing body bold, a short rule under it) with the number and symbol below it; place and date in italics under the
motto; the kind of document and its subject centred and bold (a letter without a kind — công văn — carries its
subject as “V/v …” under the number); recipients bottom-left; the signature block bottom-right (“KT. GIÁM ĐỐC” /
“PHÓ GIÁM ĐỐC”, space for the signature and seal, the name in bold); page numbers centred at the top from the second
page. The last paragraph(s) of the text, the recipients and the signature block are one piece that never breaks
across pages (after a final table, the table's last rows go over with it): the signature never stands alone on a
page, in the PDF (CSS ``break-inside``/``break-before: avoid``) as in the DOCX (keep with next, rows that cannot split).
``core/tests/test_document_pages.py`` prints every official document to PNG pages and checks it.

Text is Vietnamese whatever the interface language: it is what the office signs. Everything is escaped; callers pass
plain text (a newline inside a paragraph is a line break).
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Literal

from django.http import HttpResponse
from django.template.loader import render_to_string

from .text import fold

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT_FAMILY = '"Times New Roman", "Liberation Serif", serif'
DOCX_FONT = "Times New Roman"

# Signing on behalf of someone else (NĐ 30/2020, Phụ lục I, mục 7): the prefix goes before the authority's title.
SIGN_PREFIXES = ("", "TM.", "KT.", "TL.", "TUQ.")
# A last paragraph shorter than this (characters) is a closing formula: the paragraph before it stays with it.
CLOSING_SHORT_LINE = 120

Align = Literal["left", "center", "right", "justify"]


@dataclass
class Header:
    """The issuing body; ``parent_body`` is the body it answers to (printed above it, not bold). Empty for the top."""

    issuing_body: str
    parent_body: str = ""


@dataclass
class Signer:
    """Who signs. ``prefix`` “KT.”/“TL.”/“TM.”/“TUQ.” with ``authority`` (the head or collective signed for), then
    the signer's own ``title``: prefix="KT.", authority="Giám đốc", title="Phó Giám đốc" prints
    “KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC”. ``signed`` prints “(Đã ký)” in place of the blank for the signature (copies)."""

    title: str
    name: str = ""
    prefix: str = ""
    authority: str = ""
    signed: bool = False

    def __post_init__(self):
        self.prefix = (self.prefix or "").strip().upper()
        if self.prefix and not self.prefix.endswith("."):
            self.prefix += "."
        if self.prefix not in SIGN_PREFIXES:
            raise ValueError(f"Signer prefix must be one of {SIGN_PREFIXES}, not {self.prefix!r}")
        if self.prefix and not self.authority.strip():
            raise ValueError("A signer with a prefix needs the authority signed for")

    @classmethod
    def from_text(cls, text: str, name: str = "", *, signed: bool = False) -> Signer:
        """A signer from what a person typed: “KT. Giám đốc / Phó Giám đốc” (or the two parts on two lines) gives
        the prefix, the authority and the title; anything else is the title itself."""
        text = (text or "").strip()
        for prefix in SIGN_PREFIXES[1:]:
            if text.upper().startswith(prefix + " "):
                parts = [p.strip() for p in re.split(r"\s*/\s*|\n", text[len(prefix):]) if p.strip()]
                if len(parts) == 2:
                    return cls(title=parts[1], name=name, prefix=prefix, authority=parts[0], signed=signed)
        return cls(title=" ".join(text.split()), name=name, signed=signed)

    @property
    def lines(self) -> list[str]:
        """The upper-case lines above the signature."""
        out = [f"{self.prefix} {self.authority.strip().upper()}"] if self.prefix else []
        return [*out, self.title.strip().upper()] if self.title.strip() else out


@dataclass
class Paragraph:
    """One paragraph. ``lead`` (e.g. “Điều 1.”) is printed bold before the text. Body paragraphs are justified with
    the first line indented; headings and centred lines are not indented."""

    text: str = ""
    lead: str = ""
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class Table:
    """A bordered table: a header row (repeated on every page), rows of plain text, per-column alignment and relative
    widths. ``bold_last_row`` for a total."""

    columns: list[str]
    rows: list[list[str]]
    align: list[Align] | None = None
    widths: list[float] | None = None
    bold_last_row: bool = False
    caption: str = ""
    row_height_mm: float | None = None  # at least this tall: room to sign in a list

    def __post_init__(self):
        n = len(self.columns)
        if any(len(row) != n for row in self.rows):
            raise ValueError("Every table row needs one cell per column")
        self.align = list(self.align or ["left"] * n)
        if len(self.align) != n or (self.widths is not None and len(self.widths) != n):
            raise ValueError("align and widths need one value per column")

    @property
    def percents(self) -> list[float]:
        widths = self.widths or [1.0] * len(self.columns)
        total = sum(widths) or 1.0
        return [round(100 * w / total, 2) for w in widths]

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Rows as (text, alignment) pairs, for the template."""
        return [list(zip((str(c) for c in row), self.align, strict=True)) for row in self.rows]

    @property
    def head(self) -> list[tuple[str, float]]:
        return list(zip(self.columns, self.percents, strict=True))


Block = Paragraph | Table | str


@dataclass
class Section:
    """A heading (bold, not indented; may be empty) and its blocks: strings (body paragraphs), Paragraphs, Tables."""

    heading: str = ""
    blocks: list[Block] = field(default_factory=list)

    @property
    def items(self) -> list[Paragraph | Table]:
        return [Paragraph(b) if isinstance(b, str) else b for b in self.blocks]


@dataclass
class OfficialDocument:
    header: Header
    kind: str  # “BÁO CÁO”, “QUYẾT ĐỊNH”…; "" for a letter (công văn), whose subject goes under the number
    subject: str  # trích yếu
    signer: Signer
    number: str = ""
    symbol: str = ""
    place: str = ""
    date: datetime.date | None = None
    year: int | None = None  # for an undated draft: “ngày … tháng … năm 2026”
    sections: list[Section] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    landscape: bool = False  # A4 turned: lists with many columns (the same margins, the text area 25.2 cm wide)

    @property
    def number_line(self) -> str:
        """“Số: 15/BC-TTKC”; with a symbol but no number, the blank a clerk fills in; with neither (a list), none."""
        if not self.number.strip() and not self.symbol.strip():
            return ""
        number = self.number.strip() or "\u00a0" * 6
        return f"Số: {number}/{self.symbol.strip()}" if self.symbol.strip() else f"Số: {number}"

    @property
    def place_date(self) -> str:
        return place_date_line(self.place, self.date, year=self.year)

    @property
    def recipient_lines(self) -> list[str]:
        return recipient_lines(self.recipients)

    @property
    def is_letter(self) -> bool:
        return not self.kind.strip()

    @property
    def subject_lines(self) -> list[str]:
        return [line for line in self.subject.split("\n") if line.strip()]

    @property
    def body_sections(self) -> list[Section]:
        """The sections printed before the closing (see :attr:`closing`)."""
        return self._split()[0]

    @property
    def closing(self) -> Section:
        """The last paragraph(s) of the text, printed with the recipients and the signature block as one piece that
        never breaks across pages, so the signature never stands alone on a page (its heading comes with it when
        the last section is no more than that). When the text ends with a table, the closing is empty and the
        signature block pulls the table's last rows over with it instead."""
        return self._split()[1]

    def _split(self) -> tuple[list[Section], Section]:
        sections = [s for s in self.sections if s.heading.strip() or s.blocks]
        if not sections:
            return [], Section()
        last = sections[-1]
        items = last.items
        keep = 0
        if items and isinstance(items[-1], Paragraph):
            keep = 1
            # A short last line (“Xin trân trọng cảm ơn./.”) brings the paragraph before it.
            if len(items) > 1 and isinstance(items[-2], Paragraph) and len(items[-1].text) < CLOSING_SHORT_LINE:
                keep = 2
        body, tail = items[:len(items) - keep], items[len(items) - keep:]
        if not body:
            return sections[:-1], Section(last.heading, tail)
        return [*sections[:-1], Section(last.heading, body)], Section("", tail)


def place_date_line(place: str, on: datetime.date | None, *, year: int | None = None) -> str:
    """“Lai Châu, ngày 05 tháng 12 năm 2026”: days below 10 and the months 1 and 2 take a leading zero
    (NĐ 30/2020/NĐ-CP, Phụ lục I). Without a date, the blanks a clerk fills in when the document is issued."""
    prefix = f"{place.strip()}, " if place.strip() else ""
    if on is None:
        blank = "\u00a0" * 5
        return f"{prefix}ngày{blank}tháng{blank}năm {year or datetime.date.today().year}"
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{prefix}ngày {day} tháng {month} năm {on.year}"


# The words an administrative unit's official name opens with, longest first: inside a sentence they are common nouns
# (“công nhận … trên địa bàn xã Bản Giang, tỉnh Lai Châu”); the proper name after them keeps its capitals.
UNIT_TYPE_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Huyện", "Quận", "Phường", "Tỉnh", "Xã")


def in_sentence(name: str) -> str:
    """“Tỉnh Lai Châu” → “tỉnh Lai Châu”, “Thành phố Hải Phòng” → “thành phố Hải Phòng”; a name without a type word
    (“Bản Giang”, “Trung tâm Khuyến công…”) is returned as the registry spells it."""
    name = (name or "").strip()
    for word in UNIT_TYPE_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word):]
    return name


def recipient_lines(recipients: list[str]) -> list[str]:
    """“- Sở Công Thương;” … “- Lưu: VT.”: a dash before each, a semicolon after each but the last, a full stop."""
    items = [r.strip().lstrip("-–").strip().rstrip(";.").strip() for r in recipients]
    items = [r for r in items if r]
    return [f"- {r}{'.' if i == len(items) - 1 else ';'}" for i, r in enumerate(items)]


# --- PDF -------------------------------------------------------------------------------------------------------------

def render_html(document: OfficialDocument) -> str:
    """The document as a standalone HTML page with its print CSS (what the PDF is made from)."""
    return render_to_string("core/documents/official.html", {"doc": document, "font_family": FONT_FAMILY})


def render_fragment(document: OfficialDocument) -> str:
    """The document as a ``<style>`` and a ``<div class="kc-doc">`` to show inside a page (a preview before the
    download); the styles are scoped to ``.kc-doc``. Mark it safe in the template: every text in it is escaped."""
    return render_to_string("core/documents/fragment.html", {"doc": document, "font_family": FONT_FAMILY})


def render_pdf(document: OfficialDocument) -> bytes:
    """The document as an A4 PDF (WeasyPrint)."""
    from weasyprint import HTML  # imported here: loading Pango costs time that pages without documents need not pay

    return HTML(string=render_html(document)).write_pdf()


# --- DOCX ------------------------------------------------------------------------------------------------------------

# The text area of A4 with 3 cm and 1.5 cm side margins: 16.5 cm upright, 25.2 cm turned. The header's columns
# take 45 % and 55 % of it upright, and keep their upright widths at the two sides when turned.
_LEFT_COL_CM = 7.4
_TEXT_WIDTH_CM = 16.5
_LANDSCAPE_TEXT_WIDTH_CM = 25.2


def render_docx(document: OfficialDocument) -> bytes:
    """The document as an editable Word draft (python-docx) with the same layout as the PDF."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Mm, Pt

    word = Document()
    section = word.sections[0]
    text_width = _LANDSCAPE_TEXT_WIDTH_CM if document.landscape else _TEXT_WIDTH_CM
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_numbers(section)

    normal = word.styles["Normal"]
    _set_font(normal, size=14)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    # The two-column header as a borderless table.
    head = word.add_table(rows=1, cols=2)
    _no_borders(head)
    right_cm = text_width - _LEFT_COL_CM
    _fixed_widths(head, [Cm(_LEFT_COL_CM), Cm(right_cm)])
    left, right = head.rows[0].cells
    first = True
    if document.header.parent_body.strip():
        _para(left, document.header.parent_body.upper(), size=12, align="center", first=first)
        first = False
    _para(left, document.header.issuing_body.upper(), size=12, bold=True, align="center", first=first)
    _rule(left, width_cm=_LEFT_COL_CM * 0.4, cell_width_cm=_LEFT_COL_CM)
    if document.number_line:
        _para(left, document.number_line, size=13, align="center", space_before=4)
    if document.is_letter:
        for line in document.subject_lines:
            _para(left, f"V/v {line}" if line is document.subject_lines[0] else line, size=12, align="center",
                  space_before=4)
    _para(right, NATIONAL_TITLE, size=12, bold=True, align="center", first=True)
    _para(right, MOTTO, size=13, bold=True, align="center")
    _rule(right, width_cm=5.9, cell_width_cm=right_cm)
    _para(right, document.place_date, size=14, italic=True, align="center", space_before=6)

    if not document.is_letter:
        _para(word, document.kind.upper(), bold=True, align="center", space_before=24)
        for line in document.subject_lines:
            _para(word, line, bold=True, align="center")
        _rule(word, width_cm=4.5, cell_width_cm=text_width)
    else:
        word.add_paragraph()

    # The closing paragraph(s) keep with the signature block, which keeps together: Word moves them to the next
    # page as one piece (keep with next, keep lines together, rows that cannot split), like the PDF.
    closing = document.closing
    last_table = None
    for sec, keep in [*((s, False) for s in document.body_sections), (closing, True)]:
        if sec.heading.strip():
            _keep(_para(word, sec.heading, bold=True, align="justify", space_before=6), with_next=True)
        for item in sec.items:
            if isinstance(item, Table):
                last_table = _docx_table(word, item, text_width)
            else:
                _keep(_docx_paragraph(word, item), with_next=keep)
                last_table = None
    if last_table is not None and not closing.blocks:
        # The text ends with a table: its last two rows go over with the signature rather than leave it alone.
        for row in last_table.rows[-2:]:
            _keep_row(row)

    # Recipients and signature side by side, borderless.
    foot = word.add_table(rows=1, cols=2)
    _no_borders(foot)
    _fixed_widths(foot, [Cm(text_width - 8.5), Cm(8.5)])
    left, right = foot.rows[0].cells
    if document.recipient_lines:
        _para(left, "Nơi nhận:", size=12, bold=True, italic=True, first=True, space_before=12)
        for line in document.recipient_lines:
            _para(left, line, size=11)
    else:
        _para(left, "", first=True)
    signer = document.signer
    first = True
    for line in signer.lines:
        _para(right, line, bold=True, align="center", first=first, space_before=12 if first else 0)
        first = False
    if signer.signed:
        _para(right, "(Đã ký)", italic=True, align="center", first=first)
        first = False
    for _ in range(4):
        _para(right, "", first=first)
        first = False
    _para(right, signer.name, bold=True, align="center")
    _keep_row(foot.rows[0], last=True)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_font(style_or_run, *, size: float | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = DOCX_FONT
    if size is not None:
        font.size = Pt(size)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), DOCX_FONT)


_ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 3}


def _para(container, text: str, *, size: float | None = None, bold=False, italic=False, align: Align = "left",
          first=False, space_before: float = 0, indent_cm: float = 0, lead: str = ""):
    """Adds a paragraph to a document or a table cell (a cell's first paragraph is reused when ``first``)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.paragraphs[0] if first and container.paragraphs else container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH(_ALIGN[align])
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(space_before)
    if indent_cm:
        fmt.first_line_indent = Cm(indent_cm)
    if lead:
        run = paragraph.add_run(f"{lead} " if text else lead)
        run.bold = True
        run.italic = italic
        if size:
            run.font.size = Pt(size)
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if i < text.count("\n"):
            run.add_break()
    return paragraph


def _keep(paragraph, *, with_next: bool):
    """Keeps the paragraph's lines on one page and, if ``with_next``, on the page of what follows."""
    fmt = paragraph.paragraph_format
    fmt.keep_together = True
    if with_next:
        fmt.keep_with_next = True
    return paragraph


def _keep_row(row, *, last: bool = False):
    """A table row that does not split across pages and stays with the next row or paragraph (``last``: the row
    itself keeps together but is the end of the piece)."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            _keep(paragraph, with_next=not last or paragraph is not cell.paragraphs[-1])


def _docx_paragraph(word, item: Paragraph):
    return _para(word, item.text, bold=item.bold, italic=item.italic, align=item.align, lead=item.lead, space_before=6,
          indent_cm=1.0 if item.indent and item.align == "justify" else 0)


def _docx_table(word, item: Table, text_width: float):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    if item.caption:
        _keep(_para(word, item.caption, bold=True, align="center", space_before=6), with_next=True)
    else:
        _keep(_para(word, "", size=4), with_next=True)
    table = word.add_table(rows=1 + len(item.rows), cols=len(item.columns))
    table.style = word.styles["Table Grid"]
    _fixed_widths(table, [Cm(text_width * p / 100) for p in item.percents])
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, item.columns, strict=True):
        _para(cell, text, size=13, bold=True, align="center", first=True)
    last = len(item.rows) - 1
    for r, row in enumerate(item.rows):
        for cell, text, align in zip(table.rows[r + 1].cells, row, item.align, strict=True):
            _para(cell, str(text), size=13, align=align, first=True, bold=item.bold_last_row and r == last)
        if item.row_height_mm:
            table.rows[r + 1].height = Mm(item.row_height_mm)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_before = Pt(2)
                p.paragraph_format.space_after = Pt(2)
    return table


def _fixed_widths(table, widths):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _no_borders(table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _rule(container, *, width_cm: float, cell_width_cm: float):
    """A short centred horizontal rule: an empty paragraph whose bottom border runs between its indents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    side = max((cell_width_cm - width_cm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(side), Cm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(2)
    fmt.line_spacing = Pt(3)
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p_pr.append(border)
    return paragraph


def _page_numbers(section):
    """The page number centred at the top of every page but the first (NĐ 30/2020, Phụ lục I, mục II.3)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


# --- Downloads -------------------------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_response(document: OfficialDocument, *, fmt: str, filename: str) -> HttpResponse:
    """A download of the document as ``fmt`` ("pdf" or "docx"); ``filename`` without extension, any text (folded to
    ASCII for the header)."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"Unknown document format {fmt!r}")
    body = render_pdf(document) if fmt == "pdf" else render_docx(document)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.{fmt}"'
    return response


def safe_filename(name: str) -> str:
    """“Báo cáo số 15/BC-TTKC” → “bao-cao-so-15-bc-ttkc”."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "van-ban"
