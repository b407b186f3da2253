"""Every uploaded file is checked here before it is stored or queued: its type read from its content (never from its
name or the browser's word), its size, and an image re-encoded so that nothing but pixels is kept.

- `check_document(upload)`: a scan or photo of a signed paper (PDF, JPEG, PNG, WebP), at most 10 MB.
- `reencode_photo(upload)`: a photo turned upright, shrunk, stripped of its metadata (the GPS track, the camera's
  serial number) and stored as a JPEG under a random name; a decompression bomb is refused.
- `check_spreadsheet(upload)`: an Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) workbook whose every sheet is
  small enough to read, checked without reading it into memory (see the section at the end).
"""

import io
import json
import re
import secrets
import subprocess
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The first bytes of each accepted type, by the extensions it is named with.
SIGNATURES = {"pdf": (b"%PDF",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG",),
              "webp": (b"RIFF",)}
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
# More pixels than any phone camera: a larger image is a decompression bomb, not a photo.
MAX_PIXELS = 60_000_000


def _mb(size: int) -> str:
    return str(round(size / 1024 / 1024, 1))


def check_document(upload, *, field: str = "file", missing: str = "") -> None:
    """A scan or photo of a document: PDF, JPEG, PNG or WebP by its content, at most 10 MB. `missing` is the message
    when nothing was attached (by default nothing is required)."""
    if upload is None:
        if missing:
            raise InvalidInput(missing, field=field)
        return
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in SIGNATURES:
        raise InvalidInput(_("Attach a PDF, JPEG, PNG or WebP file (this one is “%(name)s”).") % {
            "name": upload.name}, field=field)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(_("The file “%(name)s” is too large (%(size)s MB): the limit is %(limit)s MB.") % {
            "name": upload.name, "size": _mb(upload.size), "limit": MAX_DOCUMENT_BYTES // 1024 // 1024},
            field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise InvalidInput(_("The content of “%(name)s” is not a %(type)s file, whatever its name says.") % {
            "name": upload.name, "type": extension.upper()}, field=field)


def photo_max_bytes() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_BYTES", 15 * 1024 * 1024)


def photo_max_side() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_MAX_SIDE", 1600)


def photo_quality() -> int:
    return getattr(settings, "KC_NETWORK_PHOTO_QUALITY", 85)


def reencode_photo(upload, *, field: str = "photo") -> ContentFile | None:
    """The upload as a stored-ready JPEG under a random name (long side at most KC_NETWORK_PHOTO_MAX_SIDE, quality
    KC_NETWORK_PHOTO_QUALITY, upright, no metadata); a clear error for anything that is not a photo."""
    if upload is None:
        return None
    if upload.size > photo_max_bytes():
        raise InvalidInput(_("The photo is too large (at most %(mb)s MB).") % {
            "mb": photo_max_bytes() // (1024 * 1024)}, field=field)
    not_an_image = InvalidInput(_("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
                                field=field)
    too_many_pixels = InvalidInput(_("The photo has too many pixels: take it again at a normal size."), field=field)
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as original:
                if original.format not in PHOTO_FORMATS:
                    raise not_an_image
                if original.width * original.height > MAX_PIXELS:
                    raise too_many_pixels
                original.load()
                image = _flatten(ImageOps.exif_transpose(original))
                image.thumbnail((photo_max_side(), photo_max_side()), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif= and no icc_profile=: the stored file carries no metadata.
                image.save(out, "JPEG", quality=photo_quality(), optimize=True, progressive=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent parts (a PNG screenshot) go on white, other modes are converted."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


# --- Spreadsheets ---------------------------------------------------------------------------------------------------
#
# A reader (python-calamine) holds a sheet as a dense grid, from its first value to its last: a 1.5 KB file with a
# value in A1 and one in XFD1048576 asks for 17 billion cells and aborts the process, beyond any `except`. So a
# workbook is measured before the server's own processes open it:
# - its type from its content, its size, and for a zip (.xlsx, .ods) what it unpacks to (a zip bomb);
# - the dimension each sheet of an .xlsx declares (`<dimension ref="A1:XFD1048576">`), read by streaming the top of
#   the sheet's XML out of the zip, never the sheet;
# - the real extent of every sheet, by the reader itself run in a child process under a memory and time ceiling: a
#   file that makes it crash is refused, and the server lives on.

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ZIP_SIGNATURE = b"PK\x03\x04"
_RATIO_FLOOR = 1024 * 1024  # a part smaller than this unpacks to nothing dangerous, whatever its ratio
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The extensions a workbook of each kind goes by: the reader picks its format by the name.
SPREADSHEET_SUFFIXES = {"xlsx": ("xlsx", "xlsm"), "xls": ("xls",), "ods": ("ods",)}
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def spreadsheet_max_bytes() -> int:
    return getattr(settings, "KC_SPREADSHEET_MAX_BYTES", 20 * 1024 * 1024)


def spreadsheet_max_rows() -> int:
    return getattr(settings, "KC_SPREADSHEET_MAX_ROWS", 100_000)


def spreadsheet_max_columns() -> int:
    return getattr(settings, "KC_SPREADSHEET_MAX_COLUMNS", 200)


def spreadsheet_max_cells() -> int:
    """The grid a reader may hold (about 32 bytes a cell in python-calamine): 5,000,000 cells is 160 MB."""
    return getattr(settings, "KC_SPREADSHEET_MAX_CELLS", 5_000_000)


def spreadsheet_max_unpacked() -> int:
    return getattr(settings, "KC_SPREADSHEET_MAX_UNPACKED_BYTES", 250 * 1024 * 1024)


def spreadsheet_max_ratio() -> int:
    return getattr(settings, "KC_SPREADSHEET_MAX_RATIO", 200)


def spreadsheet_probe_memory() -> int:
    """The address space of the child process that measures a workbook (KC_SPREADSHEET_PROBE_MEMORY)."""
    return getattr(settings, "KC_SPREADSHEET_PROBE_MEMORY", 1024 * 1024 * 1024)


@dataclass(frozen=True)
class SheetSize:
    """A sheet's extent as Excel numbers it: the last row and column holding a value (1-based), and the cells of
    the rectangle from the first value to the last, which a reader holds in memory."""

    name: str
    rows: int
    columns: int
    cells: int


@dataclass(frozen=True)
class SpreadsheetInfo:
    kind: str  # "xlsx", "xls" or "ods", read from the content: the extension to store the file under
    sheets: tuple[SheetSize, ...]


class _Refused(Exception):
    def __init__(self, error: InvalidInput):
        super().__init__(error.message)
        self.error = error


class _Stop(Exception):
    """Ends a streaming read once what was looked for is found."""


def _dotted(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    """28.6 MB written as Vietnamese write it: 28,6."""
    return _mb(size).replace(".", ",")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Limits:
    def __init__(self, *, name: str, field: str, max_rows: int, max_columns: int, max_cells: int):
        self.name, self.field = name, field
        self.max_rows, self.max_columns, self.max_cells = max_rows, max_columns, max_cells

    def refuse(self, message: str) -> _Refused:
        return _Refused(InvalidInput(message, field=self.field))

    def check(self, sheet: str, rows: int, columns: int, cells: int = 0) -> SheetSize:
        if rows > self.max_rows or columns > self.max_columns:
            raise self.refuse(_(
                "The file has %(rows)s rows × %(columns)s columns on the sheet “%(sheet)s”: at most %(max_rows)s "
                "rows and %(max_columns)s columns. Delete the extra cells and upload again.") % {
                "rows": _dotted(rows), "columns": _dotted(columns), "sheet": sheet,
                "max_rows": _dotted(self.max_rows), "max_columns": _dotted(self.max_columns)})
        if cells > self.max_cells:
            raise self.refuse(_(
                "The sheet “%(sheet)s” spans %(rows)s rows × %(columns)s columns (%(cells)s cells): at most "
                "%(max_cells)s cells. Delete the empty rows and columns between the values and upload again.") % {
                "sheet": sheet, "rows": _dotted(rows), "columns": _dotted(columns), "cells": _dotted(cells),
                "max_cells": _dotted(self.max_cells)})
        return SheetSize(sheet, rows, columns, cells)

    def too_large_to_read(self) -> _Refused:
        return self.refuse(_(
            "“%(name)s” is too large to read: at most %(max_rows)s rows and %(max_columns)s columns on each sheet. "
            "Delete the extra cells and upload again.") % {
            "name": self.name, "max_rows": _dotted(self.max_rows), "max_columns": _dotted(self.max_columns)})

    def unreadable(self) -> _Refused:
        return self.refuse(_(
            "“%(name)s” is damaged and cannot be read. If it has a password, remove it; otherwise open it in Excel, "
            "save it again and upload it again.") % {"name": self.name})


def _parse_xml(stream, start) -> None:
    """Feeds a part of the zip to expat in 64 KB pieces until `start` raises _Stop or the part ends. Names arrive as
    "namespace}local"; a document type declaration (the door to entity bombs) is refused."""
    parser = expat.ParserCreate(namespace_separator="}")

    def no_doctype(*args):
        raise ValueError("document type declaration")

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.StartElementHandler = start
    try:
        while chunk := stream.read(65536):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        pass


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the workbook's order."""
    sheets, targets = [], {}

    def on_sheet(name, attrs):
        if _local(name) == "sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL_NS}}}id", "")))

    def on_relation(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    with archive.open("xl/workbook.xml") as stream:
        _parse_xml(stream, on_sheet)
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            _parse_xml(stream, on_relation)
    parts = []
    for name, relation in sheets:
        target = targets.get(relation, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in archive.namelist():
            parts.append((name, part))
    return parts


def _xlsx_declared(archive: zipfile.ZipFile, name: str, part: str, limits: _Limits) -> None:
    """The sheet's `<dimension ref="A1:XFD1048576">`, which comes before its cells: the read stops there."""

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "dimension":
            match = _CELL_REF.fullmatch(attrs.get("ref", "").split(":")[-1])
            if match:
                limits.check(name, int(match.group(2)), _column_number(match.group(1)))
            raise _Stop
        if tag == "sheetData":
            raise _Stop

    with archive.open(part) as stream:
        _parse_xml(stream, start)


def _zip_kind(archive: zipfile.ZipFile, limits: _Limits) -> str:
    names = set(archive.namelist())
    unpacked = sum(part.file_size for part in archive.infolist())
    bomb = limits.refuse(_(
        "“%(name)s” would unpack to %(size)s MB: that is not an ordinary spreadsheet. Open it in Excel, save it "
        "again and upload it again.") % {"name": limits.name, "size": _megabytes(unpacked)})
    if unpacked > spreadsheet_max_unpacked():
        raise bomb
    for part in archive.infolist():
        if part.file_size > _RATIO_FLOOR and part.file_size > spreadsheet_max_ratio() * max(part.compress_size, 1):
            raise bomb
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        for name, part in _xlsx_sheets(archive):
            _xlsx_declared(archive, name, part, limits)
        return "xlsx"
    if ("mimetype" in names and "content.xml" in names and archive.getinfo("mimetype").file_size < 100
            and archive.read("mimetype").strip() == ODS_MIMETYPE):
        return "ods"
    if "xl/workbook.bin" in names:
        raise limits.refuse(_("“%(name)s” is a binary workbook (.xlsb): open it in Excel, save it as .xlsx and "
                              "upload it again.") % {"name": limits.name})
    raise limits.refuse(_not_a_spreadsheet(limits.name))


# Run in a child process: the reader's own measure of every sheet, under a ceiling of memory and processor time.
_PROBE = """
import json, resource, sys
memory, seconds = int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
from python_calamine import CalamineWorkbook
try:
    workbook = CalamineWorkbook.from_path(sys.argv[1])
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        sheets.append([name, sheet.start, sheet.end])
    print(json.dumps({"sheets": sheets}))
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
"""


def _measured_sheets(path: str, limits: _Limits) -> list[SheetSize]:
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE, path, str(spreadsheet_probe_memory()), "20"],
            capture_output=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        raise limits.too_large_to_read() from None
    if done.returncode != 0:  # the reader crashed against the memory ceiling, or ran out of time
        raise limits.too_large_to_read()
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise limits.unreadable() from None
    if "error" in answer:
        # python-calamine refuses some grids itself ("Cell limit exceeded"), others it cannot read
        raise limits.too_large_to_read() if "limit" in answer["error"].lower() else limits.unreadable()
    sizes = []
    for name, first, last in answer["sheets"]:
        if not first or not last:
            sizes.append(SheetSize(name, 0, 0, 0))
            continue
        cells = (last[0] - first[0] + 1) * (last[1] - first[1] + 1)
        sizes.append(limits.check(name, last[0] + 1, last[1] + 1, cells))
    return sizes


def _not_a_spreadsheet(name: str) -> str:
    return _("“%(name)s” is not a spreadsheet: upload an Excel file (.xlsx, .xls) or .ods.") % {"name": name}


def check_spreadsheet(upload, *, field: str = "file", max_rows: int | None = None, max_columns: int | None = None,
                      max_bytes: int | None = None, max_cells: int | None = None) -> SpreadsheetInfo:
    """An Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) workbook, recognised by its content, at most `max_bytes`
    (KC_SPREADSHEET_MAX_BYTES), each sheet declaring and holding at most `max_rows` rows and `max_columns` columns
    (KC_SPREADSHEET_MAX_ROWS, KC_SPREADSHEET_MAX_COLUMNS), and a grid a reader can hold (KC_SPREADSHEET_MAX_CELLS);
    a zip that unpacks to more than KC_SPREADSHEET_MAX_UNPACKED_BYTES, or at a ratio beyond
    KC_SPREADSHEET_MAX_RATIO, is a zip bomb. `upload` is an uploaded file or a path. Raises InvalidInput with the
    reason in Vietnamese. This process never reads the file's sheets: the reader runs in a child process."""
    limits = _Limits(name="", field=field, max_rows=max_rows or spreadsheet_max_rows(),
                     max_columns=max_columns or spreadsheet_max_columns(),
                     max_cells=max_cells or spreadsheet_max_cells())
    max_bytes = max_bytes or spreadsheet_max_bytes()
    if isinstance(upload, (str, Path)):
        path = Path(upload)
        limits.name = path.name
        with open(path, "rb") as stream:
            return _check_spreadsheet(stream, path.stat().st_size, str(path), limits, max_bytes)
    limits.name = Path(getattr(upload, "name", "") or "").name or "tệp"
    path = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else None
    return _check_spreadsheet(upload, upload.size, path, limits, max_bytes)


def _check_spreadsheet(stream, size: int, path: str | None, limits: _Limits, max_bytes: int) -> SpreadsheetInfo:
    name = limits.name
    if size > max_bytes:
        raise InvalidInput(_("The file “%(name)s” is too large (%(size)s MB): the limit is %(limit)s MB.") % {
            "name": name, "size": _megabytes(size), "limit": max_bytes // 1024 // 1024}, field=limits.field)
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(_ZIP_SIGNATURE):
            try:
                with zipfile.ZipFile(stream) as archive:
                    kind = _zip_kind(archive, limits)
            # What a damaged or crafted archive makes the standard library raise: a bad or truncated zip, a missing
            # member, malformed XML, a compression method zipfile does not implement (NotImplementedError), an
            # encrypted member (RuntimeError), a read error. Each is the user's file, not our fault: say so in words.
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, expat.ExpatError,
                    NotImplementedError, RuntimeError, OSError):
                raise limits.unreadable() from None
        elif head.startswith(OLE2_SIGNATURE):
            kind = "xls"
        elif head.lstrip().lower().startswith((b"<html", b"<!doc", b"<table", b"<?xml")):
            raise limits.refuse(_(
                "“%(name)s” is a web page saved under a spreadsheet's name (as some software exports it): open it "
                "in Excel, save it as .xlsx and upload it again.") % {"name": name})
        else:
            raise limits.refuse(_not_a_spreadsheet(name))
        if path is not None and Path(path).suffix.lower().lstrip(".") in SPREADSHEET_SUFFIXES[kind]:
            sheets = _measured_sheets(path, limits)
        else:  # the reader picks its format by the name: a copy named for what the content is
            stream.seek(0)
            with tempfile.NamedTemporaryFile(suffix=f".{kind}") as copy:
                while chunk := stream.read(65536):
                    copy.write(chunk)
                copy.flush()
                sheets = _measured_sheets(copy.name, limits)
    except _Refused as refused:
        raise refused.error from None
    finally:
        stream.seek(0)
    return SpreadsheetInfo(kind=kind, sheets=tuple(sheets))
