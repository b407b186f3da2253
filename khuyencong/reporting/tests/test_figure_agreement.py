"""One source per figure: every figure shown on two screens (the dashboard and a module's page, the reports list and
the ministry's completeness table) and in the API is rendered from real pages and compared.

The facts are chosen so that the rules which used to differ between screens each change a number: a suspended
collaborator whose coverage was never closed, a coverage that ended yesterday and one that starts tomorrow; a refund
beside advances and payments; a project late only for its progress report and a closed one past its deadline; a
locked report submitted late, an overdue draft and a report submitted on time.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from khuyencong.accounts.models import OrganisationKind, Role
from khuyencong.accounts.tests.factories import commune_of, make_user, organisation_for, province
from khuyencong.core.figures import format_percent, rate_percent
from khuyencong.core.money import format_vnd, format_vnd_short
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit
from khuyencong.network.models import CollaboratorStatus, Coverage
from khuyencong.network.tests.factories import centre, make_collaborator
from khuyencong.projects.models import LedgerEntry
from khuyencong.projects.tests.factories import make_plan, make_project
from khuyencong.reporting.data import load_report_types
from khuyencong.reporting.models import Report, ReportStatus, ReportType
from khuyencong.reporting.report_exports import STANDING_LABELS

from .scope_cases_dashboards import make_figures

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH, HCM, CAN_THO = 12, 80, 79, 92


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _testid(page: str, testid: str) -> str:
    found = re.findall(rf'data-testid="{testid}"[^>]*>([^<]*)<', page)
    assert len(found) == 1, (testid, found)
    return found[0].strip()


def _card(page: str, code: str) -> str:
    found = re.findall(rf'data-code="{code}"[^>]*>([^<]*)<', page)
    assert found, code
    return found[0].strip()


@pytest.fixture
def ministry(client):
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.figures")


# --- collaborator coverage and active collaborators: dashboard ↔ network home ↔ coverage page ↔ API ---------------


def _network(today: datetime.date) -> set:
    """Lai Châu's network: the communes it really covers today are 0, 1, 2 and 3."""
    communes = [commune_of(LAI_CHAU, i) for i in range(7)]
    make_collaborator(LAI_CHAU, communes=communes[0:3])
    make_collaborator(LAI_CHAU, communes=communes[2:4])  # commune 2 twice: counted once
    # suspended 30 days after starting, coverage left open: covers nothing (the dashboard used to count it)
    make_collaborator(LAI_CHAU, communes=[communes[4]], status=CollaboratorStatus.SUSPENDED,
                      start=today - datetime.timedelta(days=200))
    ended = make_collaborator(LAI_CHAU, communes=[])
    Coverage.objects.create(collaborator=ended, unit=communes[5], province=province(LAI_CHAU),
                            start_date=datetime.date(2025, 1, 1), end_date=today - datetime.timedelta(days=1))
    future = make_collaborator(LAI_CHAU, communes=[])
    # starts tomorrow: not covered today (the coverage page used to count every open row)
    Coverage.objects.create(collaborator=future, unit=communes[6], province=province(LAI_CHAU),
                            start_date=today + datetime.timedelta(days=1))
    return {c.pk for c in communes[:4]}


def test_coverage_and_active_collaborators_agree(client, ministry):
    today = timezone.localdate()
    covered = _network(today)
    communes = AdminUnit.objects.current().communes().filter(province=province(LAI_CHAU)).count()
    centre(LAI_CHAU)
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU, username="ttkc.figures")

    client.force_login(ministry)
    dashboard = client.get(reverse("reporting_dashboard"), {"province": LAI_CHAU})
    dash_page = _text(dashboard)
    dash_rate = _testid(dash_page, "coverage-rate")
    coverage_row = dashboard.context["coverage"]
    active_row = dashboard.context["collaborators"]
    api = client.get(f"/api/v1/indicators/commune_coverage_rate/values?period={today.year}&province={LAI_CHAU}")
    assert api.status_code == 200
    api_value = api.json()["values"][0]
    api_active = client.get(f"/api/v1/indicators/collaborators_active/values?period={today.year}"
                            f"&province={LAI_CHAU}").json()["values"][0]

    client.force_login(staff)
    coverage_page = client.get(reverse("network_coverage"))
    home = client.get(reverse("network_home"))
    summary = coverage_page.context["summary"]

    # The network's own count is the truth of the facts above.
    assert summary.covered == len(covered) == 4
    assert summary.total == communes > len(covered)
    expected = format_percent(rate_percent(summary.covered, summary.total))
    # Same rate, same writing, on the three pages; the same counts beside it; the same in the API.
    assert dash_rate == expected == _testid(_text(coverage_page), "coverage-rate") == _testid(_text(home),
                                                                                                "coverage-rate")
    assert (coverage_row.numerator, coverage_row.denominator) == (summary.covered, summary.total)
    assert f"({summary.covered}/{summary.total})" in dash_page
    assert f"({summary.covered}/{summary.total})" in _text(home)
    assert (api_value["numerator"], api_value["denominator"], api_value["display"]) == (
        summary.covered, summary.total, expected)
    # Active collaborators: 4 active (the suspended one is not), on the dashboard, the network home and the API.
    assert home.context["counts"][CollaboratorStatus.ACTIVE] == active_row.value == api_active["value"] == 4
    assert f'<div class="kc-figure">{active_row.value}</div>' in home.content.decode()


# --- money: disbursement rate and amounts: dashboard ↔ project board ↔ API -------------------------------------------


def test_disbursement_counts_advances_and_agrees_with_the_project_board(client, ministry):
    year = timezone.localdate().year - 1  # a past year: every entry is dated before the figures stand
    project = make_figures(LAI_CHAU, year=year)
    allocated = project.allocated
    LedgerEntry.objects.create(project=project, kind="REFUND", amount_vnd=50_000_000,
                               on_date=datetime.date(year, 7, 1))
    paid = allocated // 4 + allocated // 2 - 50_000_000  # advance + disbursement − refund

    client.force_login(ministry)
    dashboard = client.get(reverse("reporting_dashboard"), {"province": LAI_CHAU, "period": str(year)})
    dash = _text(dashboard)
    api_rate = client.get(f"/api/v1/indicators/disbursement_rate/values?period={year}"
                          f"&province={LAI_CHAU}").json()["values"][0]
    api_paid = client.get(f"/api/v1/indicators/kc_paid/values?period={year}&province={LAI_CHAU}").json()["values"][0]
    board = client.get(reverse("project_board"), {"year": year, "province": LAI_CHAU})
    board_page = _text(board)
    total = board.context["total"]

    assert total.paid == paid and total.approved == allocated
    rate = rate_percent(total.paid, total.approved)
    assert rate > 0  # advances count: never "0,0 %" beside money advanced
    # The dashboard (short money, labelled) and the board (full money) show the same amounts.
    assert _card(dash, "kc_allocated") == format_vnd_short(total.approved)
    assert _card(dash, "kc_paid") == format_vnd_short(total.paid)
    assert _card(dash, "disbursement_rate") == format_percent(rate)
    assert format_vnd(total.paid) in board_page and format_vnd(total.approved) in board_page
    assert api_paid["value"] == total.paid
    assert api_rate["value"] == float(rate) and (api_rate["numerator"], api_rate["denominator"]) == (
        total.paid, total.approved)
    # The label says what "giải ngân" counts.
    assert "tạm ứng" in dash and "Tỷ lệ giải ngân (đã chi gồm tạm ứng ÷ kinh phí được giao)" in dash


# --- late projects: dashboard ↔ project list "late only" ↔ project board --------------------------------------------


def test_late_projects_agree_with_the_project_list_and_board(client, ministry):
    today = timezone.localdate()
    year = today.year
    make_figures(LAI_CHAU, year=year)  # in progress, step deadline past
    plan = make_plan(year=year, province_code=LAI_CHAU)
    # late only for its monthly progress report (the dashboard used to miss it)
    make_project(LAI_CHAU, plan=plan, status="in_progress", approved_on=datetime.date(year, 1, 5),
                 due_date=today + datetime.timedelta(days=60), report_due_date=today - datetime.timedelta(days=3))
    # closed: its old deadline makes it late nowhere
    make_project(LAI_CHAU, plan=plan, status="settled", approved_on=datetime.date(year, 1, 5),
                 due_date=today - datetime.timedelta(days=90))
    # on time
    make_project(LAI_CHAU, plan=plan, status="in_progress", approved_on=datetime.date(year, 1, 5),
                 due_date=today + datetime.timedelta(days=30), report_due_date=today + datetime.timedelta(days=5))

    client.force_login(ministry)
    dashboard = client.get(reverse("reporting_dashboard"), {"province": LAI_CHAU, "period": str(year)})
    dash_late = _card(_text(dashboard), "projects_late")
    listed = client.get(dashboard.context["late_link"])
    board = client.get(reverse("project_board"), {"province": LAI_CHAU})
    api = client.get(f"/api/v1/indicators/projects_late/values?period={year}&province={LAI_CHAU}").json()

    assert listed.status_code == 200 and board.status_code == 200
    assert listed.context["page"].paginator.count == board.context["total_late"] == 2
    assert dash_late == "2" == str(api["values"][0]["value"])
    assert len(dashboard.context["late"]) == 2  # the list beside the figure


# --- periodic reports: overdue / submitted late: reports list ↔ completeness table ↔ API ---------------------------


def _report(code: int, report_type: ReportType, period: Period, author, *, status: str, submitted=None) -> Report:
    organisation = organisation_for(OrganisationKind.DOIT, code)
    due = period.end + datetime.timedelta(days=report_type.deadline_days)
    report = Report.objects.create(
        report_type=report_type, organisation=organisation, province=organisation.province, period=str(period),
        period_start=period.start, period_end=period.end, due_date=due, status=status, created_by=author)
    if submitted is not None:
        moment = timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=submitted),
                                                               datetime.time(9)))
        Report.objects.filter(pk=report.pk).update(submitted_at=moment)
        report.refresh_from_db()
    return report


def test_overdue_and_late_reports_agree_between_the_list_the_completeness_table_and_the_api(client, ministry):
    load_report_types(ReportType)
    report_type = ReportType.objects.get(code="doit_quarterly")
    today = timezone.localdate()
    period = Period.containing(today, "quarter").previous().previous()  # due date long past
    reports = {
        LAI_CHAU: _report(LAI_CHAU, report_type, period, ministry, status=ReportStatus.LOCKED, submitted=6),
        TAY_NINH: _report(TAY_NINH, report_type, period, ministry, status=ReportStatus.SUBMITTED, submitted=-3),
        CAN_THO: _report(CAN_THO, report_type, period, ministry, status=ReportStatus.DRAFT),
    }  # TP Hồ Chí Minh: no report at all

    client.force_login(ministry)
    listing = _text(client.get(reverse("report_list"), {"period": str(period)}))
    rows = {int(pk): row for pk, row in re.findall(r'<tr>\s*<td><a href="/reporting/reports/(\d+)/">(.*?)</tr>',
                                                   listing, flags=re.S)}
    assert set(rows) == {r.pk for r in reports.values()}
    flags = {pk: (re.findall(r'data-timeliness="(\w+)"', row) or [""])[0] for pk, row in rows.items()}
    completeness = client.get(reverse("report_completeness"), {"period": str(period)})
    table = completeness.context["table"]
    cells = {row["province"].code: cell for row in table["rows"] for cell in row["cells"]
             if cell["type"].pk == report_type.pk}
    api = {r["id"]: r for r in client.get(f"/api/v1/reports?period={period}").json()["items"]}

    # The facts: Cần Thơ's draft is overdue; Lai Châu's locked report came in late ("nộp muộn"), never "quá hạn";
    # Tây Ninh's was on time. Every screen says the same of each report.
    assert flags == {reports[CAN_THO].pk: "overdue", reports[LAI_CHAU].pk: "late", reports[TAY_NINH].pk: ""}
    for code, report in reports.items():
        cell = cells[code]
        assert cell["report"].pk == report.pk and cell["due"] == report.due_date
        overdue_on_list = flags[report.pk] == "overdue"
        assert overdue_on_list == (cell["standing"] == "overdue") == (api[report.pk]["timeliness"] == "overdue")
        assert (flags[report.pk] == "late") == (cell["timeliness"] == "late") == (
            api[report.pk]["timeliness"] == "late")
    assert cells[LAI_CHAU]["standing"] == "locked" and cells[HCM]["standing"] == "overdue"
    # The completeness page's count of overdue reports covers the listed ones it flags, plus the provinces with no
    # report at all (which the list cannot show).
    missing_overdue = sum(1 for row in table["rows"] for c in row["cells"]
                          if c["report"] is None and c["standing"] == "overdue")
    listed_overdue = sum(1 for f in flags.values() if f == "overdue")
    assert table["counts"]["overdue"] == listed_overdue + missing_overdue
    page = _text(completeness)
    assert str(STANDING_LABELS["late"]) in page  # the locked Lai Châu report says "nộp muộn" there too
    assert str(STANDING_LABELS["overdue"]) in listing and str(STANDING_LABELS["late"]) in listing
    assert "quá hạn" not in rows[reports[LAI_CHAU].pk].lower()
