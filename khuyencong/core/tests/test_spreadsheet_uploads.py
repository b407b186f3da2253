"""check_spreadsheet: a workbook is measured before any reader of the server opens it. The files are forged byte by
byte (core/tests/spreadsheets.py); the one that made python-calamine abort the worker is among them."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.core.errors import InvalidInput
from khuyencong.core.uploads import SheetSize, check_spreadsheet

from .spreadsheets import ods_bytes, ods_cell, sparse_xlsx, xls_bytes, xlsx_bytes

TOO_LARGE = ("“{name}” quá lớn, không đọc được: mỗi trang tính tối đa 100.000 dòng và 200 cột. Hãy xoá các ô thừa "
             "rồi tải lên lại.")


def _refusal(name: str, content: bytes, **limits) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_spreadsheet(SimpleUploadedFile(name, content), **limits)
    assert caught.value.field == "file"
    return caught.value.message


def test_the_sparse_file_is_refused_by_the_dimension_it_declares():
    content = sparse_xlsx()
    assert len(content) < 2000
    assert _refusal("danh-sach.xlsx", content) == (
        "Tệp có 1.048.576 dòng × 16.384 cột ở trang tính “Sheet1”: tối đa 100.000 dòng và 200 cột. Hãy xoá các ô "
        "thừa rồi tải lên lại.")


def test_a_sheet_that_hides_its_extent_is_measured_by_a_reader_that_may_crash():
    # It declares A1:B2 and holds a value in XFD1048576: the reader, in its child process, hits the memory ceiling
    # and dies; this process answers with the refusal.
    content = xlsx_bytes({(1, 1): "Tên cơ sở", (1_048_576, 16_384): "x"}, dimension="A1:B2")
    assert _refusal("danh-sach.xlsx", content) == TOO_LARGE.format(name="danh-sach.xlsx")


def test_the_real_extent_is_checked_when_no_dimension_is_declared():
    rows = ((row, 1, row) for row in range(2, 100_002))
    message = _refusal("dai.xlsx", xlsx_bytes({(1, 1): "Tên cơ sở"}, rows=rows))
    assert message.startswith("Tệp có 100.001 dòng × 1 cột ở trang tính “Sheet1”")


def test_columns_beyond_the_limit_are_refused():
    message = _refusal("rong.xlsx", xlsx_bytes({(1, 1): "a", (1, 201): "b"}))
    assert message.startswith("Tệp có 1 dòng × 201 cột")


def test_a_grid_too_large_for_the_reader_is_refused():
    content = xlsx_bytes({(1, 1): "a", (2_000, 60): "b"})
    message = _refusal("o.xlsx", content, max_cells=100_000)
    assert message == ("Trang tính “Sheet1” trải trên 2.000 dòng × 60 cột (120.000 ô): tối đa 100.000 ô. Hãy xoá "
                       "các dòng và cột trống giữa các giá trị rồi tải lên lại.")


def test_a_zip_bomb_is_refused_by_its_ratio():
    content = xlsx_bytes({(1, 1): "a"}, padding=30_000_000)
    assert len(content) < 1_000_000
    assert _refusal("bom.xlsx", content).startswith("“bom.xlsx” khi giải nén thành 28,6 MB")


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(settings):
    settings.KC_SPREADSHEET_MAX_UNPACKED_BYTES = 1024 * 1024
    rows = ((row, 1, os.urandom(16).hex()) for row in range(1, 30_000))
    assert "khi giải nén thành" in _refusal("lon.xlsx", xlsx_bytes({}, rows=rows))


def test_a_file_over_the_size_limit_is_refused():
    rows = ((row, 1, os.urandom(32).hex()) for row in range(1, 30_000))
    content = xlsx_bytes({}, rows=rows)
    size = f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")
    assert _refusal("a.xlsx", content, max_bytes=1024 * 1024) == f"Tệp “a.xlsx” quá lớn ({size} MB): tối đa 1 MB."


def test_the_type_is_read_from_the_content():
    assert check_spreadsheet(SimpleUploadedFile("danh-sach.xls", xlsx_bytes({(1, 1): "a"}))).kind == "xlsx"
    assert _refusal("danh-sach.xlsx", "Tên cơ sở;Xã\n".encode()) == (
        "“danh-sach.xlsx” không phải bảng tính: hãy tải lên tệp Excel (.xlsx, .xls) hoặc .ods.")
    assert "là một trang web" in _refusal("bao-cao.xls", b"<html><table><tr><td>1</td></tr></table></html>")
    assert "(.xlsb)" in _refusal("a.xlsx", _zip({"[Content_Types].xml": "", "xl/workbook.bin": "x"}))
    assert "bị hỏng" in _refusal("a.xlsx", b"PK\x03\x04 not a zip at all")


def test_an_entity_declaration_is_refused():
    workbook = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    assert "bị hỏng" in _refusal("a.xlsx", xlsx_bytes({(1, 1): "a"}, workbook=workbook))


def test_an_ordinary_xlsx_is_measured(tmp_path):
    content = xlsx_bytes({(3, 2): "Tên cơ sở", (5, 4): 12}, dimension="B3:D5")
    info = check_spreadsheet(SimpleUploadedFile("danh-sach.xlsx", content))
    assert info.kind == "xlsx"
    assert info.sheets == (SheetSize("Sheet1", rows=5, columns=4, cells=9),)
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(content)
    assert check_spreadsheet(path) == info  # a path too (the command line, the worker)


def test_ods_sheets_are_measured_and_their_repeated_cells_counted():
    trailing = ('<table:table-row table:number-rows-repeated="1048575">'
                '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    info = check_spreadsheet(SimpleUploadedFile("a.ods", ods_bytes(
        f"<table:table-row>{ods_cell('a')}{ods_cell('b')}</table:table-row>{trailing}")))
    assert (info.kind, info.sheets) == ("ods", (SheetSize("Sheet1", rows=1, columns=2, cells=2),))
    # a value repeated over 16,384 columns, a million rows down
    forged = (f"<table:table-row>{ods_cell('a')}</table:table-row>"
              '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>'
              f"<table:table-row>{ods_cell('z', repeated=16384)}</table:table-row>")
    assert _refusal("a.ods", ods_bytes(forged)) == TOO_LARGE.format(name="a.ods")


def test_xls_sheets_are_measured_by_the_reader_in_a_child_process():
    info = check_spreadsheet(SimpleUploadedFile("cu.xls", xls_bytes([(0, 0, 1.0), (2, 1, 2.5)])))
    assert (info.kind, info.sheets) == ("xls", (SheetSize("Sheet1", rows=3, columns=2, cells=6),))
    assert _refusal("cu.xls", xls_bytes([(0, 0, 1.0), (3, 250, 2.5)])).startswith("Tệp có 4 dòng × 251 cột")
    # a column Excel never writes: the reader would ask for 4 billion cells and abort
    assert _refusal("cu.xls", xls_bytes([(0, 0, 1.0), (65_535, 65_535, 2.5)])) == TOO_LARGE.format(name="cu.xls")


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
