"""Scope cases of dashboards, indicators and comparison; and `make_figures`, the facts behind the indicator tests.

The figures of a province are identified by an amount only that province has (Lai Châu 1,21 tỷ allocated, Tây
Ninh 8,08 tỷ): a Lai Châu user must never see Tây Ninh's amount on the dashboard, the comparison, the exports or
the API.
"""

import datetime

from khuyencong.accounts.models import OrganisationKind
from khuyencong.accounts.tests.factories import organisation_for
from khuyencong.events.models import Event, EventStatus, Participant
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import LedgerEntry, ProjectBeneficiary, ProjectContent
from khuyencong.projects.tests.factories import make_establishment, make_plan, make_project
from khuyencong.registry.models import SupportRecord
from khuyencong.reporting.selectors import format_value
from khuyencong.rules.models import ContentItem
from khuyencong.testing.scope import ScopedCase, register, unscoped

D = datetime.date
ALLOCATED = {12: 1_212_000_000, 80: 8_080_000_000}


def allocated_for(province_code: int) -> int:
    return ALLOCATED.get(province_code, 1_000_000_000 + province_code * 1_000_000)


def make_figures(province_code: int, *, year: int = 2026, commune: AdminUnit | None = None, fund: str = "national",
                 allocated: int | None = None, trainees: int = 2, title: str | None = None):
    """One approved project of the year's plan with its content, a beneficiary, ledger entries (allocated,
    contracted, advanced, disbursed), a past deadline (late), a support record of the year and a training course
    held with trainees. Written straight to the tables: the indicators only read them."""
    allocated = allocated or allocated_for(province_code)
    plan = make_plan(year=year, fund=fund, province_code=province_code)
    establishment = make_establishment(province_code, commune=commune, woman_owned=True)
    project = make_project(province_code, plan=plan, status="in_progress", commune=establishment.commune,
                           title=title or f"Đề án chỉ tiêu {province_code}-{year}",
                           approved_on=D(year, 3, 1), due_date=D(year, 4, 1), end_date=D(year, 5, 1))
    ProjectContent.objects.create(
        project=project, content=ContentItem.objects.get(code="machinery"), establishment=establishment,
        eligible_cost_vnd=2 * allocated, requested_support_vnd=allocated, counterpart_vnd=allocated // 2,
        other_sources_vnd=0, quote_support_vnd=allocated, quoted_on=D(year, 2, 1))
    ProjectBeneficiary.objects.create(project=project, establishment=establishment, eligible=True,
                                      checked_on=D(year, 2, 1))
    for kind, share, day in (("APPROVED", 1, 3), ("CONTRACTED", 1, 4), ("ADVANCE", 4, 5), ("DISBURSEMENT", 2, 6)):
        LedgerEntry.objects.create(project=project, kind=kind, amount_vnd=allocated // share, on_date=D(year, day, 1))
    SupportRecord.objects.create(establishment=establishment, year=year, fund=fund, content_code="training",
                                 description="Hỗ trợ đào tạo nghề", amount=50_000_000, source="import")
    centre = organisation_for(OrganisationKind.KC_CENTRE, province_code)
    event = Event.objects.create(
        kind="training", title=f"Lớp nghề chỉ tiêu {province_code}-{year}", organiser=centre,
        province_id=project.province_id, content=ContentItem.objects.get(code="training"), fund="local",
        start_date=D(year, 5, 4), end_date=D(year, 5, 8), status=EventStatus.DONE)
    for n in range(trainees):
        Participant.objects.create(event=event, full_name=f"Học viên {n}", role="trainee", origin="other",
                                   gender="female" if n % 2 else "male", employed=n == 0,
                                   employment_confirmation="Xác nhận của cơ sở" if n == 0 else "")
    project.allocated = allocated
    return project


def _display(project) -> str:
    return format_value(project.allocated, "vnd")


register(ScopedCase(
    name="indicator_figures",
    make=make_figures,
    marker=_display,
    list_urls=["/reporting/?period=2026", "/reporting/?period=2026-Q2&province=80",
               "/reporting/compare/?period=2026&codes=kc_allocated",
               "/api/v1/indicators/kc_allocated/values?period=2026",
               "/api/v1/indicators/kc_allocated/values?period=2026&breakdown=province",
               "/api/v1/indicators/kc_planned/values?period=2026&breakdown=content",
               "/api/v1/indicators/compare?period=2026&codes=kc_allocated"],
    detail_urls=lambda p: [],
    covers=["reporting_dashboard", "reporting_compare", "api:indicator_values", "api:indicator_compare"],
))

register(ScopedCase(
    name="indicator_exports",
    make=make_figures,
    marker=lambda p: str(p.allocated),
    list_urls=["/reporting/export.xlsx?period=2026", "/reporting/export.xlsx?period=2026&province=80",
               "/reporting/compare/export.xlsx?period=2026&codes=kc_allocated"],
    detail_urls=lambda p: [],
    covers=["reporting_dashboard_export", "reporting_compare_export"],
))

register(ScopedCase(
    name="late_projects_on_dashboard",
    make=make_figures,
    marker=lambda p: p.title,
    list_urls=["/reporting/?period=2026"],
    detail_urls=lambda p: [],
    covers=[],
))

unscoped("reporting_indicators", "the catalogue of indicator definitions: no data")
unscoped("reporting_indicators_export", "the catalogue of indicator definitions: no data")
unscoped("api:indicator_list", "the catalogue of indicator definitions: no data")
