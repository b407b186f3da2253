"""Helpers the project tests (and the scope cases) use to make plans, establishments and projects."""

import datetime
import itertools

from django.core.files.base import ContentFile

from khuyencong.accounts.models import OrganisationKind
from khuyencong.accounts.tests.factories import organisation_for, province
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules.models import FundSource

from ..models import (
    AcceptanceRecord,
    AdjustmentRequest,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKind,
    SupervisionVisit,
    VisitAttachment,
)
from ..services import CODE_PREFIX

_counter = itertools.count(1)


def rural_commune(province_code: int, index: int = 0) -> AdminUnit:
    """A commune (xã, not a ward) of the province: establishments there are CNNT-eligible."""
    return (
        AdminUnit.objects.filter(scheme="current", level="commune", province__code=province_code, kind="xa")
        .order_by("code")[index]
    )


def ward(province_code: int) -> AdminUnit:
    return AdminUnit.objects.filter(scheme="current", level="commune", province__code=province_code,
                                    kind="phuong").order_by("code").first()


def make_establishment(province_code: int = 12, *, name: str | None = None, entity_type: str = "household",
                       commune: AdminUnit | None = None, **fields) -> Establishment:
    commune = commune or rural_commune(province_code)
    name = name or f"Cơ sở chế biến số {next(_counter)}"
    return Establishment.objects.create(
        name=name, name_folded=fold(name), entity_type=entity_type, commune=commune,
        province_id=commune.province_id, search_text=fold(name), **fields,
    )


def make_plan(*, year: int = 2027, fund: str = FundSource.NATIONAL, province_code: int | None = None,
              envelope: int = 20_000_000_000, name: str = "") -> AnnualPlan:
    prov = province(province_code) if fund == FundSource.LOCAL else None
    plan, _created = AnnualPlan.objects.get_or_create(
        year=year, fund=fund, province=prov,
        defaults={"envelope_vnd": envelope, "initial_envelope_vnd": envelope,
                  "name": name or f"Kế hoạch {fund} {year} {province_code or ''}".strip()},
    )
    return plan


def make_project(province_code: int = 12, *, plan: AnnualPlan | None = None, title: str | None = None,
                 kind: str = ProjectKind.STANDARD, status: str = "draft", **fields) -> Project:
    """A project written straight to the table (no rules needed): for scope and list tests."""
    plan = plan or make_plan()
    prov = province(province_code)
    seq = Project.objects.filter(plan=plan, province=prov).count() + 1
    title = title or f"Đề án thử số {next(_counter)}"
    return Project.objects.create(
        plan=plan, year=plan.year, province=prov, seq=seq,
        code=f"{CODE_PREFIX[plan.fund]}-{plan.year}-{province_code:02d}-{seq:03d}",
        kind=kind, title=title, title_folded=fold(title), status=status,
        implementing_org=organisation_for(OrganisationKind.KC_CENTRE, province_code), **fields,
    )


def attach_file(project: Project, code: str = "request_letter") -> ProjectDocument:
    doc = ProjectDocument(project=project, code=code, received_on=datetime.date(2026, 5, 1), reference="01/CV")
    doc.file.save(f"{code}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    doc.save()
    return doc


PDF = b"%PDF-1.4 test"
JPEG = b"\xff\xd8\xff\xe0 test"


def attach_monitoring(project: Project) -> None:
    """One progress report, one visit with a photo and one acceptance minutes, each with its file (written straight
    to the tables: for scope tests)."""
    day = datetime.date(2026, 10, 20)
    report = ProgressReport(project=project, period=day.replace(day=1), submitted_on=day, problems="—")
    report.file.save("bao-cao.pdf", ContentFile(PDF), save=False)
    report.save()
    visit = SupervisionVisit.objects.create(project=project, visit_date=day, team="Đoàn kiểm tra", findings="Ổn")
    photo = VisitAttachment(visit=visit, caption="Ảnh hiện trường")
    photo.file.save("anh.jpg", ContentFile(JPEG), save=False)
    photo.save()
    record = AcceptanceRecord(project=project, minutes_date=day, conclusion="passed", members=["A", "B"])
    record.file.save("bien-ban.pdf", ContentFile(PDF), save=False)
    record.save()
    AdjustmentRequest.objects.create(project=project, kind="schedule", summary="Lùi hạn", reason="Mưa lũ",
                                     requested_on=day, new_end_date=datetime.date(2027, 12, 1),
                                     decision_kind="change_timing", authority="ministry_agency",
                                     authority_label="Cục ĐCK")
