"""Spreadsheets of an event: the participant list to sign, the booth list, and the settlement summary."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khuyencong.core import documents as d
from khuyencong.core.exports import write_table
from khuyencong.core.money import format_vnd

from .models import Event, Origin
from .report import header_defaults
from .selectors import attendance_matrix, budget_summary

# Signature columns per table of the printed list: a longer course gets one table per week.
DAYS_PER_TABLE = 7


def _notes(event: Event) -> list[str]:
    return [f"{event.organiser.name} — {event.start_date:%d/%m/%Y}–{event.end_date:%d/%m/%Y}",
            f"{_('KC content')}: {event.content.name} ({event.get_fund_display()})"]


def participants_xlsx(event: Event) -> bytes:
    """The list each participant signs, one column per day (the document settlement needs)."""
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    headers = [_("No."), _("Full name"), _("Position"), _("Organisation / establishment"), _("Role"), _("Origin"),
               _("State-paid"), _("Phone"), *[_("Signature %(day)s") % {"day": d.strftime("%d/%m")} for d in days]]
    rows = []
    for i, p in enumerate((p for p in event.participants.all() if p.origin != Origin.HOST), start=1):
        where = p.establishment.name if p.establishment_id else (
            p.organisation.name if p.organisation_id else p.organisation_name)
        rows.append([i, p.full_name, p.position, where, p.get_role_display(), p.get_origin_display(),
                     p.state_paid, p.phone, *[""] * len(days)])
    return write_table(title=_("Participant list to sign: %(title)s") % {"title": event.title}, headers=headers,
                       rows=rows, notes=_notes(event), widths=[6, 28, 20, 34, 16, 18, 10, 14, *[14] * len(days)])


BOOTH_WIDTHS = [6, 10, 36, 24, 30, 16, 16, 18, 40, 12]
SETTLEMENT_WIDTHS = [6, 18, 36, 10, 14, 16, 16, 18, 40, 16, 16]
# On paper (landscape A4, 14 pt) the amount columns need room for "100.000.000".
BOOTH_DOC_WIDTHS = [7, 7, 23, 16, 20, 14, 14, 14, 26, 9]  # the first column holds “STT” in bold
SETTLEMENT_DOC_WIDTHS = [7, 9, 16, 8, 13, 14, 14, 13, 20, 14, 14]


def booth_table(event: Event) -> tuple[list[str], list[list]]:
    headers = [_("No."), _("Booth"), _("Establishment"), _("Commune / ward"), _("Products shown"), _("Booth price"),
               _("KC support"), _("Maximum by the rule"), _("Legal basis"), _("Exhibited (certified)")]
    rows = []
    for i, b in enumerate(event.booths.all(), start=1):
        rows.append([i, b.number, b.establishment.name, b.establishment.commune.name, b.products, b.price_vnd,
                     b.support_vnd, b.quote_support_vnd if b.quote_support_vnd is not None else _("no verified rate"),
                     (b.quote.get("rule") or {}).get("basis", "") or b.quote_message, b.certified])
    return headers, rows


def booths_xlsx(event: Event) -> bytes:
    headers, rows = booth_table(event)
    return write_table(title=_("Booths and exhibitors: %(title)s") % {"title": event.title}, headers=headers,
                       rows=rows, notes=_notes(event), widths=BOOTH_WIDTHS)


def settlement_tables(event: Event) -> tuple[list[str], list[list], list[tuple[str, list[str], list[list]]]]:
    """Budget lines planned and spent with the support settled (with the total), then the extra tables: the payment
    list of participants who are not state-paid, the signed attendance lists and the certified exhibitors."""
    headers = [_("No."), _("Cost"), _("Description"), _("Quantity"), _("Unit cost"), _("Cost planned"),
               _("KC support asked"), _("Maximum by the rule"), _("Legal basis or why no rate"), _("Spent"),
               _("KC support settled")]
    rows = []
    for i, line in enumerate(event.budget_lines.all(), start=1):
        rows.append([i, line.get_kind_display(), line.description, line.quantity, line.unit_cost_vnd, line.amount_vnd,
                     line.support_vnd,
                     line.quote_support_vnd if line.quote_support_vnd is not None else _("no verified rate"),
                     (line.quote.get("rule") or {}).get("basis", "") or line.quote_message, line.spent_vnd,
                     line.settled_support_vnd])
    summary = budget_summary(event)
    rows.append(["", _("Total"), "", "", "", summary.cost, summary.support, "", "", summary.spent,
                 summary.settled_support])
    payees = [[i, p.full_name, p.get_origin_display(),
               p.establishment.name if p.establishment_id else (p.organisation_name or ""), p.phone, ""]
              for i, p in enumerate((p for p in event.participants.all()
                                     if not p.state_paid and p.origin != Origin.HOST), start=1)]
    matrix = attendance_matrix(event)
    sheets = [[d, _("yes") if d in matrix["sheets"] else _("missing"),
               sum(1 for day, _pid in matrix["present"] if day == d)] for d in matrix["days"]]
    exhibitors = [[b.number, b.establishment.name, b.price_vnd, b.support_vnd] for b in event.booths.all()
                  if b.certified]
    extra = [
        (_("Payment list"), [_("No."), _("Full name"), _("Origin"), _("Establishment / organisation"), _("Phone"),
                              _("Signature")], payees),
        (_("Attendance lists"), [_("Day"), _("Signed list uploaded"), _("Present")], sheets),
    ]
    if event.is_fair:
        extra.append((_("Certified exhibitors"), [_("Booth"), _("Establishment"), _("Booth price"), _("KC support")],
                      exhibitors))
    return headers, rows, extra


def settlement_xlsx(event: Event) -> bytes:
    headers, rows, extra = settlement_tables(event)
    notes = [*_notes(event), _("Status: %(status)s") % {"status": event.get_status_display()}]
    return write_table(title=_("Settlement summary: %(title)s") % {"title": event.title}, headers=headers, rows=rows,
                       notes=notes, widths=SETTLEMENT_WIDTHS, extra_sheets=extra)


def participants_document(event: Event, *, prepared_by: str = "") -> d.OfficialDocument:
    """The list each participant signs, day by day, as a printed document in the administrative format (the same
    rows as the spreadsheet; Vietnamese whatever the interface language, as it is signed on paper)."""
    head = header_defaults(event, timezone.localdate())
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    people = [p for p in event.participants.all() if p.origin != Origin.HOST]
    tables = []
    for start in range(0, len(days), DAYS_PER_TABLE):
        chunk = days[start:start + DAYS_PER_TABLE]
        rows = []
        for i, p in enumerate(people, start=1):
            where = p.establishment.name if p.establishment_id else (
                p.organisation.name if p.organisation_id else p.organisation_name)
            rows.append([str(i), p.full_name, p.position, where or "", *[""] * len(chunk)])
        caption = (f"Từ ngày {chunk[0]:%d/%m/%Y} đến ngày {chunk[-1]:%d/%m/%Y}"
                   if len(days) > DAYS_PER_TABLE else "")
        tables.append(d.Table(["TT", "Họ và tên", "Chức vụ", "Đơn vị, cơ sở", *[f"Ngày\n{x:%d/%m}" for x in chunk]],
                              rows, align=["center", "left", "left", "left", *["center"] * len(chunk)],
                              widths=[1.2, 5, 4, 6, *[2.4] * len(chunk)], caption=caption, row_height_mm=12))
    where = f"; địa điểm: {event.venue}" if event.venue else ""
    intro = (f"Thời gian: từ ngày {event.start_date:%d/%m/%Y} đến ngày {event.end_date:%d/%m/%Y}{where}. "
             f"Số người tham dự: {len(people)}.")
    return d.OfficialDocument(
        header=d.Header(issuing_body=head["issuing_body"], parent_body=head["governing_body"]),
        place=head["place"], date=None, year=event.start_date.year, kind="Danh sách",
        subject=f"Người tham dự ký nhận\n{event.title}",
        sections=[d.Section(blocks=[intro, *tables])] if people else [d.Section(blocks=[intro])],
        signer=d.Signer(title="Người lập danh sách", name=prepared_by),
        landscape=len(days) > 2,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, int):
        return format_vnd(value).removesuffix(" ₫")
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _doc_table(headers: list[str], rows: list[list], *, caption: str = "", total: bool = False,
               widths: list[float] | None = None) -> d.Table:
    align = ["right" if any(isinstance(r[i], int) and not isinstance(r[i], bool) for r in rows) else "left"
             for i in range(len(headers))]
    return d.Table([str(h) for h in headers], [[_cell(v) for v in row] for row in rows], align=align,
                   caption=caption, bold_last_row=total, widths=widths)


def _event_document(event: Event, *, kind: str, subject: str, blocks: list, prepared_by: str) -> d.OfficialDocument:
    head = header_defaults(event, timezone.localdate())
    intro = _("KC content: %(content)s (%(fund)s). From %(start)s to %(end)s. Amounts in đồng.") % {
        "content": event.content.name, "fund": event.get_fund_display(), "start": f"{event.start_date:%d/%m/%Y}",
        "end": f"{event.end_date:%d/%m/%Y}"}
    return d.OfficialDocument(
        header=d.Header(issuing_body=head["issuing_body"], parent_body=head["governing_body"]),
        place=head["place"], date=None, year=event.start_date.year, kind=kind, subject=subject,
        sections=[d.Section(blocks=[intro, *blocks])],
        signer=d.Signer(title=pgettext("signer", "Prepared by"), name=prepared_by),
        landscape=True)


def booths_document(event: Event, *, prepared_by: str = "") -> d.OfficialDocument:
    """The booth list as a printed document (the same rows as the spreadsheet)."""
    headers, rows = booth_table(event)
    subject = _("Booths and exhibitors\n%(title)s") % {"title": event.title}
    return _event_document(event, kind=pgettext("document kind", "List"), subject=subject,
                           blocks=[_doc_table(headers, rows, widths=BOOTH_DOC_WIDTHS)], prepared_by=prepared_by)


def settlement_document(event: Event, *, prepared_by: str = "") -> d.OfficialDocument:
    """The settlement summary as a printed document: the budget table with its total, then the payment list, the
    attendance lists and the certified exhibitors (the same figures as the spreadsheet)."""
    headers, rows, extra = settlement_tables(event)
    blocks = [_doc_table(headers, rows, total=True, widths=SETTLEMENT_DOC_WIDTHS)]
    blocks += [_doc_table(h, r, caption=str(title)) for title, h, r in extra if r]
    subject = _("Settlement of the event\n%(title)s") % {"title": event.title}
    return _event_document(event, kind=pgettext("document kind", "Summary"), subject=subject, blocks=blocks,
                           prepared_by=prepared_by)
