"""Spreadsheets of plans and projects as the KC offices file them.

- `plan_xlsx`: the annual plan's project table in the manner of Mẫu 2 (TT 36/2013): one row per content line of each
  project or task, grouped by fund and by KC content with a subtotal per group and a grand total, amounts in đồng.
- `settlement_xlsx`: one project's settlement summary: the money per content (approved support, money used as
  reported, acceptance), the ledger totals by kind, the balance, and every ledger entry.

Both read only what the user may see (the caller passes the scoped plan/project and the user) and write numbers as
numbers, so the office can sum them again.
"""

import datetime
import io
from collections import defaultdict

import xlsxwriter
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.rules.models import FundSource

from .ledger import Balances, project_balances
from .models import AnnualPlan, LedgerKind, Project, ProjectContent
from .selectors import ProjectFilters, project_ledger, project_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"


class _Formats:
    def __init__(self, workbook):
        base = {"font_name": FONT, "valign": "top", "border": 1}
        self.title = workbook.add_format({"bold": True, "font_name": FONT, "font_size": 13})
        self.note = workbook.add_format({"font_name": FONT, "italic": True})
        self.header = workbook.add_format({**base, "bold": True, "bg_color": "#DCE6F1", "text_wrap": True,
                                           "align": "center", "valign": "vcenter"})
        self.cell = workbook.add_format({**base, "text_wrap": True})
        self.money = workbook.add_format({**base, "num_format": "#,##0"})
        self.date = workbook.add_format({**base, "num_format": "dd/mm/yyyy"})
        self.group = workbook.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True})
        self.group_money = workbook.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0"})
        self.total = workbook.add_format({**base, "bold": True, "bg_color": "#FFF2CC"})
        self.total_money = workbook.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "num_format": "#,##0"})


def _dt(value: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(value, datetime.time())


def _timing(project: Project) -> str:
    start = project.start_date.strftime("%m/%Y") if project.start_date else ""
    end = project.end_date.strftime("%m/%Y") if project.end_date else ""
    if start and end:
        return f"{start} – {end}"
    return end or start or str(project.plan.year)


def _location(project: Project) -> str:
    return ", ".join(unit.name for unit in (project.commune, project.province) if unit is not None)


# --- the plan's project table (Mẫu 2 style) -------------------------------------------------------------------------

PLAN_MONEY_COLUMNS = 3  # KC support, counterpart funds, other sources


def plan_rows(*, user, plan: AnnualPlan) -> list[dict]:
    """The plan's content lines the user may see, in the order of the catalogue: two queries."""
    projects = project_list(user=user, filters=ProjectFilters(plan=plan.pk)).select_related("commune").prefetch_related(
        Prefetch("contents", queryset=ProjectContent.objects.select_related("content", "content__group")))
    rows = []
    for project in projects:
        contents = list(project.contents.all())
        if not contents:
            rows.append({"project": project, "content": None, "group": "", "group_order": (999, ""),
                         "support": 0, "counterpart": 0, "other": 0, "line": project.title})
        for row in contents:
            item = row.content
            rows.append({
                "project": project, "content": row,
                "group": item.name,
                "group_order": (item.group.sort_order, item.sort_order, item.code),
                "support": row.requested_support_vnd, "counterpart": row.counterpart_vnd,
                "other": row.other_sources_vnd,
                "line": row.description or item.name,
            })
    rows.sort(key=lambda r: (r["group_order"], r["project"].code, r["content"].pk if r["content"] else 0))
    return rows


def plan_xlsx(*, user, plan: AnnualPlan, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    rows = plan_rows(user=user, plan=plan)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _Formats(workbook)
    ws = workbook.add_worksheet(_("Plan")[:31])
    headers = [_("No."), _("Project code"), _("Project or task"), _("Implementing unit"), _("Location"),
               _("Content and scale"), _("KC support (đồng)"), _("Counterpart funds (đồng)"),
               _("Other sources (đồng)"), _("Total (đồng)"), _("Timing"), _("Status")]
    widths = [6, 20, 42, 30, 30, 40, 18, 18, 16, 18, 16, 22]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write(0, 0, _("ANNUAL KC PLAN: LIST OF PROJECTS AND TASKS (Mẫu 2 style)"), fmt.title)
    ws.write(1, 0, plan.name, fmt.title)
    decision = (_("Approval decision: %(number)s of %(date)s") % {
        "number": plan.decision_number, "date": plan.decision_date.strftime("%d/%m/%Y")}
        if plan.is_approved else _("Not yet approved"))
    ws.write(2, 0, _("Fund: %(fund)s. %(decision)s. Envelope: %(envelope)s đồng.") % {
        "fund": plan.get_fund_display(), "decision": decision, "envelope": f"{plan.envelope_vnd:,}".replace(",", ".")},
        fmt.note)
    ws.write(3, 0, _("Unit: đồng. Exported on %(date)s.") % {"date": today.strftime("%d/%m/%Y")}, fmt.note)
    head_row = 5
    ws.write_row(head_row, 0, headers, fmt.header)
    ws.write_row(head_row + 1, 0, [f"({i})" for i in range(1, len(headers) + 1)], fmt.header)
    ws.freeze_panes(head_row + 2, 3)
    r = head_row + 2
    fund_label = (_("National KC fund") if plan.fund == FundSource.NATIONAL
                  else _("Local KC fund of %(province)s") % {"province": plan.province.name if plan.province else ""})
    grand = [0, 0, 0]
    # One fund per plan: its heading row carries the grand total; content groups below it carry their subtotals.
    fund_row = r
    r += 1
    groups: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    for row in rows:
        key = row["group"]
        if key not in groups:
            order.append(key)
        groups[key].append(row)
    number = 0
    roman = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for index, key in enumerate(order):
        members = groups[key]
        sums = [sum(m["support"] for m in members), sum(m["counterpart"] for m in members),
                sum(m["other"] for m in members)]
        grand = [a + b for a, b in zip(grand, sums, strict=True)]
        label = key or _("Projects without a content yet")
        ws.write(r, 0, roman[index % 26], fmt.group)
        ws.merge_range(r, 1, r, 5, label, fmt.group)
        for c, value in enumerate(sums):
            ws.write_number(r, 6 + c, value, fmt.group_money)
        ws.write_number(r, 9, sum(sums), fmt.group_money)
        ws.write_row(r, 10, ["", ""], fmt.group)
        r += 1
        for m in members:
            number += 1
            project = m["project"]
            ws.write_number(r, 0, number, fmt.cell)
            ws.write_string(r, 1, project.code, fmt.cell)
            ws.write_string(r, 2, project.title, fmt.cell)
            ws.write_string(r, 3, project.implementing_org.name, fmt.cell)
            ws.write_string(r, 4, _location(project), fmt.cell)
            ws.write_string(r, 5, m["line"], fmt.cell)
            ws.write_number(r, 6, m["support"], fmt.money)
            ws.write_number(r, 7, m["counterpart"], fmt.money)
            ws.write_number(r, 8, m["other"], fmt.money)
            ws.write_number(r, 9, m["support"] + m["counterpart"] + m["other"], fmt.money)
            ws.write_string(r, 10, _timing(project), fmt.cell)
            ws.write_string(r, 11, project.get_status_display(), fmt.cell)
            r += 1
    ws.write(fund_row, 0, "I", fmt.group)
    ws.merge_range(fund_row, 1, fund_row, 5, fund_label, fmt.group)
    for c, value in enumerate(grand):
        ws.write_number(fund_row, 6 + c, value, fmt.group_money)
    ws.write_number(fund_row, 9, sum(grand), fmt.group_money)
    ws.write_row(fund_row, 10, ["", ""], fmt.group)
    ws.merge_range(r, 0, r, 5, _("TOTAL"), fmt.total)
    for c, value in enumerate(grand):
        ws.write_number(r, 6 + c, value, fmt.total_money)
    ws.write_number(r, 9, sum(grand), fmt.total_money)
    ws.write_row(r, 10, ["", ""], fmt.total)
    ws.write(r + 2, 0, _("%(count)s projects and tasks, %(lines)s content lines.") % {
        "count": len({row["project"].pk for row in rows}), "lines": len(rows)}, fmt.note)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(head_row, head_row + 1)
    workbook.close()
    return buffer.getvalue()


# --- one project's settlement ---------------------------------------------------------------------------------------

KIND_ORDER = [LedgerKind.APPROVED, LedgerKind.CONTRACTED, LedgerKind.ADVANCE, LedgerKind.DISBURSEMENT,
              LedgerKind.SETTLEMENT, LedgerKind.REFUND]


def settlement_data(project: Project) -> dict:
    """What the settlement workbook shows, in five queries."""
    contents = list(project.contents.select_related("content").annotate(
        used_vnd=Sum("progress_lines__money_used_vnd")).order_by("id"))
    accepted = dict.fromkeys((row.pk for row in contents), None)
    for record in project.acceptances.prefetch_related("results"):
        for result in record.results.all():
            if result.content_id in accepted:
                accepted[result.content_id] = (accepted[result.content_id] is not False) and result.met
    entries = list(project_ledger(project))
    balances: Balances = project_balances(project)
    return {"contents": contents, "accepted": accepted, "entries": entries, "balances": balances}


def settlement_xlsx(project: Project, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    data = settlement_data(project)
    balances: Balances = data["balances"]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _Formats(workbook)

    # Sheet 1: summary by content and by kind, and the balance.
    ws = workbook.add_worksheet(_("Settlement")[:31])
    for col, width in enumerate([6, 46, 18, 18, 18, 18, 18, 16]):
        ws.set_column(col, col, width)
    ws.write(0, 0, _("SETTLEMENT SUMMARY OF A KC PROJECT"), fmt.title)
    ws.write(1, 0, f"{project.code} — {project.title}", fmt.title)
    ws.write(2, 0, _("Plan: %(plan)s. Implementing unit: %(org)s. Status: %(status)s.") % {
        "plan": project.plan.name, "org": project.implementing_org.name, "status": project.get_status_display()},
        fmt.note)
    ws.write(3, 0, _("Approval: %(approval)s. Contract: %(contract)s. Accepted on: %(accepted)s.") % {
        "approval": project.approval_reference or "—", "contract": project.contract_reference or "—",
        "accepted": project.accepted_on.strftime("%d/%m/%Y") if project.accepted_on else "—"}, fmt.note)
    ws.write(4, 0, _("Unit: đồng. Exported on %(date)s.") % {"date": today.strftime("%d/%m/%Y")}, fmt.note)
    r = 6
    ws.write(r, 0, _("I. By content"), fmt.title)
    r += 1
    head = [_("No."), _("Content"), _("Eligible cost"), _("KC support approved"), _("Counterpart funds"),
            _("Other sources"), _("Money used (reported)"), _("Acceptance")]
    ws.write_row(r, 0, head, fmt.header)
    ws.freeze_panes(r + 1, 2)
    r += 1
    sums = [0, 0, 0, 0, 0]
    for number, row in enumerate(data["contents"], start=1):
        used = row.used_vnd or 0
        values = [row.eligible_cost_vnd, row.requested_support_vnd, row.counterpart_vnd, row.other_sources_vnd,
                  used]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        ws.write_number(r, 0, number, fmt.cell)
        ws.write_string(r, 1, row.description or row.content.name, fmt.cell)
        for c, value in enumerate(values):
            ws.write_number(r, 2 + c, value, fmt.money)
        met = data["accepted"].get(row.pk)
        ws.write_string(r, 7, {True: _("met"), False: _("not met"), None: "—"}[met], fmt.cell)
        r += 1
    ws.merge_range(r, 0, r, 1, _("TOTAL"), fmt.total)
    for c, value in enumerate(sums):
        ws.write_number(r, 2 + c, value, fmt.total_money)
    ws.write_string(r, 7, "", fmt.total)
    r += 2

    ws.write(r, 0, _("II. Money by kind of entry"), fmt.title)
    r += 1
    ws.write_row(r, 0, [_("No."), _("Kind"), _("Amount (đồng)"), _("Entries")], fmt.header)
    r += 1
    counts: dict[str, int] = defaultdict(int)
    for entry in data["entries"]:
        counts[entry.kind] += 1
    amounts = {LedgerKind.APPROVED: balances.approved, LedgerKind.CONTRACTED: balances.contracted,
               LedgerKind.ADVANCE: balances.advanced, LedgerKind.DISBURSEMENT: balances.disbursed,
               LedgerKind.SETTLEMENT: balances.settled, LedgerKind.REFUND: balances.refunded}
    for number, kind in enumerate(KIND_ORDER, start=1):
        ws.write_number(r, 0, number, fmt.cell)
        ws.write_string(r, 1, str(kind.label), fmt.cell)
        ws.write_number(r, 2, amounts[kind], fmt.money)
        ws.write_number(r, 3, counts[kind], fmt.cell)
        r += 1
    r += 1

    ws.write(r, 0, _("III. Balance"), fmt.title)
    r += 1
    lines = [
        (_("KC support approved"), balances.approved),
        (_("Contracted support"), balances.contracted),
        (_("Paid (advances + disbursements − refunds)"), balances.paid),
        (_("Settled amount"), balances.settled),
        (_("Contracted but not yet paid"), max(0, balances.contracted - balances.paid)),
        (_("Paid but not yet settled"), max(0, balances.paid - balances.settled)),
        (_("To refund to the budget after settlement"), balances.to_refund),
        (_("To pay to the implementing unit after settlement"), balances.to_pay),
    ]
    for label, value in lines:
        ws.write_string(r, 1, label, fmt.cell)
        ws.write_number(r, 2, value, fmt.money)
        r += 1

    # Sheet 2: every ledger entry, reversals included.
    ledger = workbook.add_worksheet(_("Ledger")[:31])
    for col, width in enumerate([6, 12, 26, 18, 26, 40, 12, 24]):
        ledger.set_column(col, col, width)
    ledger.write_row(0, 0, [_("No."), _("Date"), _("Kind"), _("Amount (đồng)"), _("Voucher / decision"),
                            _("Note"), _("Reversal"), _("Recorded by")], fmt.header)
    ledger.freeze_panes(1, 0)
    for number, entry in enumerate(data["entries"], start=1):
        ledger.write_number(number, 0, number, fmt.cell)
        ledger.write_datetime(number, 1, _dt(entry.on_date), fmt.date)
        ledger.write_string(number, 2, entry.get_kind_display(), fmt.cell)
        ledger.write_number(number, 3, entry.amount_vnd, fmt.money)
        ledger.write_string(number, 4, entry.reference, fmt.cell)
        ledger.write_string(number, 5, entry.note, fmt.cell)
        ledger.write_string(number, 6, _("reversing") if entry.reverses_id else (
            _("reversed") if entry.reversal_pk else ""), fmt.cell)
        ledger.write_string(number, 7, entry.created_by.full_name if entry.created_by else "", fmt.cell)
    if data["entries"]:
        ledger.autofilter(0, 0, len(data["entries"]), 7)
    workbook.close()
    return buffer.getvalue()
