"""Workbooks written byte by byte, as an attacker or a careless program writes them: an .xlsx zip whose sheet
declares what it likes, an .ods with repeated cells, a binary .xls (a compound file holding BIFF8 records), and a zip
bomb. No spreadsheet library writes such files; the tests need them exactly."""

import io
import struct
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row: int, column: int, value) -> str:
    ref = f"{_column_letters(column)}{row}"
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx_bytes(cells: dict[tuple[int, int], object], *, dimension: str | None = None, sheet: str = "Sheet1",
               rows=None, padding: int = 0, workbook: str | None = None) -> bytes:
    """A minimal .xlsx: `cells` maps (row, column), 1-based, to a value; `dimension` is what the sheet declares
    (none when None). `rows` yields more (row, column, value) cells, streamed into the zip (a million rows stay
    small in memory). `padding` spaces after the cells make a part that unpacks far beyond its packed size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", workbook or _WORKBOOK.format(name=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_START.encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            by_row: dict[int, list[str]] = {}
            for (row, column), value in sorted(cells.items()):
                by_row.setdefault(row, []).append(_cell(row, column, value))
            for row, texts in by_row.items():
                part.write(f'<row r="{row}">{"".join(texts)}</row>'.encode())
            batch = []
            for row, column, value in rows or ():
                batch.append(f'<row r="{row}">{_cell(row, column, value)}</row>')
                if len(batch) == 10_000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write("".join(batch).encode())
            part.write(b"</sheetData>")
            for _ in range(padding // 1_000_000):
                part.write(b" " * 1_000_000)
            part.write(b"</worksheet>")
    return buffer.getvalue()


def sparse_xlsx() -> bytes:
    """The file that took down the worker: a sheet declaring A1:XFD1048576, with a value in A1 and one in
    XFD1048576 (about 1.5 KB)."""
    return xlsx_bytes({(1, 1): "Tên cơ sở", (1_048_576, 16_384): "x"}, dimension="A1:XFD1048576")


def ods_bytes(body: str) -> bytes:
    """An .ods whose first sheet is `body` (table:table-row elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Sheet1">{body}</table:table></office:spreadsheet>'
        '</office:body></office:document-content>'
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_cell(text: str, repeated: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeated}" office:value-type="string">'
            f'<text:p>{text}</text:p></table:table-cell>')


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def xls_bytes(cells: list[tuple[int, int, float]], *, sheet: str = "Sheet1") -> bytes:
    """A binary .xls (BIFF8 in a compound file) whose one sheet holds numbers at (row, column), 0-based. A column
    is a 16-bit field: a forged file may put a value where Excel never could."""
    name = sheet.encode("latin-1")

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))

    sheet_offset = 20 + 12 + len(name) + 4  # BOF, BOUNDSHEET, EOF of the workbook globals
    stream = bof(0x0005) + _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(name), 0) + name)
    stream += _record(0x000A)
    rows, columns = [c[0] for c in cells], [c[1] for c in cells]
    stream += bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", min(rows), max(rows) + 1, min(columns),
                                                        min(max(columns) + 1, 0xFFFF), 0))
    for row, column, value in cells:
        stream += _record(0x0203, struct.pack("<HHHd", row, column, 0, value))
    stream += _record(0x000A)
    return _compound_file("Workbook", stream)


def _compound_file(stream_name: str, data: bytes) -> bytes:
    """A compound file (the OLE2 container of .xls) with one stream, in 512-byte sectors: header, FAT, directory,
    then the stream (at least 4096 bytes, so it lives in ordinary sectors)."""
    data += b"\x00" * (max(4096, -(-len(data) // 512) * 512) - len(data))
    count = len(data) // 512
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = [fat_sector, end] + [3 + i for i in range(count - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\x00").encode("utf-16-le") if name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", no_stream, no_stream, child) + b"\x00" * 20 + b"\x00" * 16
                + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, no_stream, 2, len(data))
    directory += entry("", 0, no_stream, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + data
