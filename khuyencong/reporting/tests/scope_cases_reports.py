"""Scope cases of periodic reports, and the builders the reports tests share.

A report belongs to its organisation's province: a provincial user neither lists, opens, exports nor acts on
another province's report. The ministry's completeness page and its exports are for national users only.
"""

import datetime

from khuyencong.accounts.models import OrganisationKind, Role, User
from khuyencong.accounts.tests.factories import make_user, organisation_for
from khuyencong.core.periods import Period
from khuyencong.reporting import services
from khuyencong.reporting.data import load_report_types
from khuyencong.reporting.models import Report, ReportType
from khuyencong.testing.scope import ScopedCase, register, unscoped

D = datetime.date
AFTER_Q2 = D(2026, 7, 10)


def report_type(code: str = "doit_quarterly") -> ReportType:
    if not ReportType.objects.filter(code=code).exists():  # a transactional test flushed the migration's rows
        load_report_types(ReportType)
    return ReportType.objects.get(code=code)


def doit(province_code: int):
    return organisation_for(OrganisationKind.DOIT, province_code)


def _admin() -> User:
    user = User.objects.filter(username="quantri.baocao").first()
    return user or make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.baocao")


def make_report(province_code: int, *, period: str = "2026-Q2", state: str = "draft", type_code="doit_quarterly",
                actor=None) -> Report:
    """A DoIT report of the province with a narrative, taken to `state` (draft, submitted, approved, locked)."""
    actor = actor or _admin()
    report = services.report_create(actor=actor, report_type=report_type(type_code), organisation=doit(province_code),
                                    period=Period.parse(period), today=AFTER_Q2)
    services.report_update_narrative(actor=actor, report=report, version=report.version, data={
        "situation": f"Tình hình khuyến công tỉnh mã {province_code}.",
        "results": f"Kết quả thực hiện của tỉnh mã {province_code}."})
    if state != "draft":
        services.report_submit(actor=actor, report=report, today=max(AFTER_Q2, report.period_end + D.resolution))
    if state in ("approved", "locked"):
        services.report_approve(actor=actor, report=report)
    if state == "locked":
        services.report_lock(actor=actor, report=report)
    return report


def _posts(r: Report):
    return [
        ("POST", f"/reporting/reports/{r.pk}/narrative/", {"results": "Bị sửa", "version": r.version}),
        ("POST", f"/reporting/reports/{r.pk}/act/approve/", {"version": r.version}),
        ("POST", f"/reporting/reports/{r.pk}/act/return/", {"reason": "x", "version": r.version}),
        ("POST", f"/reporting/reports/{r.pk}/act/lock/", {}),
        ("POST", f"/reporting/reports/{r.pk}/act/unlock/", {"reason": "x"}),
        ("POST", f"/api/v1/reports/{r.pk}/actions/approve", {}),
        ("POST", f"/api/v1/reports/{r.pk}/actions/return", {"reason": "x"}),
        ("POST", "/api/v1/reports", {"report_type": "doit_half_year", "period": "2026-H1",
                                     "organisation": r.organisation_id}),
    ]


register(
    ScopedCase(
        name="periodic_report",
        make=lambda code: make_report(code, state="submitted"),
        marker=lambda r: r.organisation.name,
        list_urls=["/reporting/reports/", "/reporting/reports/?period=2026-Q2&type=doit_quarterly",
                   "/reporting/reports/?status=submitted", "/api/v1/reports?limit=200",
                   "/api/v1/reports?period=2026-Q2"],
        detail_urls=lambda r: [f"/reporting/reports/{r.pk}/", f"/reporting/reports/{r.pk}/report.xlsx",
                               f"/reporting/reports/{r.pk}/report.pdf", f"/api/v1/reports/{r.pk}"],
        change_requests=_posts,
        covers=["report_list", "report_detail", "report_narrative", "report_act", "report_xlsx", "report_pdf",
                "api:report_list", "api:report_detail", "api:report_action", "api:report_create"],
    )
)

unscoped("report_create", "offers only organisations of the user's own provinces; another province's is refused "
                          "by the service (test_reports_views, test_reports_services)")
unscoped("report_completeness", "national users only; provincial users get 403 (test_reports_views)")
unscoped("report_export_start", "national users only (test_reports_views)")
unscoped("report_export_detail", "an export job is shown only to the user who started it (test_reports_views)")
unscoped("report_export_download", "an export file is served only to the user who started it (test_reports_views)")
