"""Spreadsheet exports in the shape civil servants expect: Vietnamese headers, a title, a frozen header row,
readable widths, numbers as numbers and dates as dd/mm/yyyy."""

import datetime
import io
from collections.abc import Iterable, Sequence

import xlsxwriter


def write_table(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str = "Dữ liệu",
    widths: Sequence[int] | None = None,
    notes: Sequence[str] = (),
    extra_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]] = (),
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                  "valign": "vcenter", "font_name": "Times New Roman"})
    cell = workbook.add_format({"font_name": "Times New Roman", "valign": "top"})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy", "font_name": "Times New Roman", "valign": "top"})
    number_fmt = workbook.add_format({"num_format": "#,##0", "font_name": "Times New Roman", "valign": "top"})

    def sheet(name, head, body, with_title):
        ws = workbook.add_worksheet(name[:31])
        start = 0
        if with_title:
            ws.write(0, 0, title, bold)
            for i, note in enumerate(notes, start=1):
                ws.write(i, 0, note, cell)
            start = len(notes) + 2
        ws.write_row(start, 0, list(head), header)
        ws.freeze_panes(start + 1, 0)
        for c, w in enumerate(widths or [max(12, min(45, len(h) + 4)) for h in head]):
            ws.set_column(c, c, w)
        r = start
        for r, row in enumerate(body, start=start + 1):
            for c, value in enumerate(row):
                if isinstance(value, (datetime.date, datetime.datetime)):
                    ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()) if not isinstance(
                        value, datetime.datetime) else value.replace(tzinfo=None), date_fmt)
                elif isinstance(value, bool):
                    ws.write_string(r, c, "x" if value else "", cell)
                elif isinstance(value, int):
                    ws.write_number(r, c, value, number_fmt)
                elif value is None:
                    ws.write_blank(r, c, None, cell)
                else:
                    ws.write_string(r, c, str(value), cell)
        if r > start:
            ws.autofilter(start, 0, r, max(0, len(head) - 1))

    sheet(sheet_name, headers, rows, True)
    for name, head, body in extra_sheets:
        sheet(name, head, body, False)
    workbook.close()
    return buffer.getvalue()
