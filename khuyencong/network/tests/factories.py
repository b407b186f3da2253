"""Records of the network made the way the services store them, for tests and scope cases."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image

from khuyencong.accounts.models import OrganisationKind, Role, RoleAssignment, ScopeLevel
from khuyencong.accounts.tests.factories import commune_of, make_user, organisation_for, province
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from ..identity import protected_id
from ..models import (
    Announcement,
    Collaborator,
    CollaboratorApplication,
    CollaboratorStatus,
    CollaboratorStatusChange,
    CollaboratorTask,
    Coverage,
    EstablishmentProposal,
    EvaluationCriterion,
    FeeLine,
    FeeSheet,
    FieldKind,
    FieldRecord,
    JoiningStandard,
    Regulation,
)

_counter = itertools.count(1)


def _png() -> bytes:
    """A valid 1×1 transparent PNG."""
    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


PNG = _png()

FEES = {"monthly_base_vnd": 500_000, "per_survey_vnd": 30_000, "per_conversion_vnd": 300_000,
        "per_report_vnd": 50_000, "monthly_cap_vnd": None}
CRITERIA = [
    {"metric": "surveys", "label": "Khảo sát", "weight": 40, "monthly_target": 4},
    {"metric": "registrations", "label": "Đăng ký nhu cầu", "weight": 20, "monthly_target": 1},
    {"metric": "conversions", "label": "Thành đề án", "weight": 10, "monthly_target": 1},
    {"metric": "reports", "label": "Báo cáo", "weight": 10, "monthly_target": 1},
    {"metric": "tasks_on_time", "label": "Nhiệm vụ đúng hạn", "weight": 20},
]
STANDARDS = [
    {"kind": "age", "label": "Từ đủ 18 đến 60 tuổi", "min_value": 18, "max_value": 60},
    {"kind": "education", "label": "Tốt nghiệp THPT trở lên", "education_level": "upper_secondary"},
    {"kind": "residence", "label": "Cư trú tại xã đăng ký", "min_value": 1},
    {"kind": "experience", "label": "Ít nhất 1 năm kinh nghiệm", "min_value": 1},
    {"kind": "health", "label": "Đủ sức khỏe"},
    {"kind": "endorsement", "label": "UBND xã xác nhận"},
]


def regulation_data(**overrides) -> dict:
    return {
        "number": f"{next(_counter)}/2025/QĐ-UBND", "title": "Quy chế mạng lưới cộng tác viên khuyến công",
        "issued_on": datetime.date(2025, 1, 10), "issuing_body": "Ủy ban nhân dân tỉnh", "signer": "Nguyễn Văn A",
        "effective_from": datetime.date(2025, 1, 1), "effective_to": None, "duties": "Khảo sát cơ sở.",
        "term_months": 36, "max_communes": 3, "appointing_authority": "Giám đốc Trung tâm Khuyến công tỉnh",
        "appointing_body": "Trung tâm Khuyến công tỉnh", "parent_body": "Sở Công Thương tỉnh",
        "decision_symbol": "QĐ-TTKC", "accepts_applications": True, **FEES, **overrides,
    }


def make_regulation(province_code: int = 12, *, criteria=CRITERIA, standards=STANDARDS, **overrides) -> Regulation:
    regulation = Regulation.objects.create(province=province(province_code), **regulation_data(**overrides))
    for i, row in enumerate(standards):
        JoiningStandard.objects.create(regulation=regulation, order=i, **row)
    for i, row in enumerate(criteria):
        EvaluationCriterion.objects.create(regulation=regulation, order=i, **row)
    return regulation


def centre(province_code: int):
    return organisation_for(OrganisationKind.KC_CENTRE, province_code)


def make_collaborator(province_code: int = 12, *, name: str | None = None, communes=None, user=None,
                      status: str = CollaboratorStatus.ACTIVE, start: datetime.date = datetime.date(2025, 1, 1),
                      regulation: Regulation | None = None, id_number: str | None = None) -> Collaborator:
    prov = province(province_code)
    seq = (Collaborator.objects.filter(province=prov).count() + 1) * 10 + next(_counter) % 10
    name = name or f"Nguyễn Văn Thử {next(_counter)}"
    collaborator = Collaborator.objects.create(
        province=prov, seq=seq, code=f"CTV-{province_code:02d}-{seq:04d}-{next(_counter)}", full_name=name,
        name_folded=fold(name), gender="male", birth_year=1985, phone="0912345678",
        **protected_id(id_number or f"0{province_code:02d}085{next(_counter):06d}"), status=status,
        regulation=regulation, decision_number="01/QĐ-TTKC" if status != CollaboratorStatus.APPLICANT else "",
        decision_date=start if status != CollaboratorStatus.APPLICANT else None,
        decision_authority="Giám đốc Trung tâm Khuyến công tỉnh", term_start=start,
        term_end=start + datetime.timedelta(days=3 * 365), user=user,
    )
    CollaboratorStatusChange.objects.create(collaborator=collaborator, status=CollaboratorStatus.APPLICANT,
                                            on_date=start - datetime.timedelta(days=10))
    if status != CollaboratorStatus.APPLICANT:
        CollaboratorStatusChange.objects.create(collaborator=collaborator, status=CollaboratorStatus.ACTIVE,
                                                on_date=start)
        if status != CollaboratorStatus.ACTIVE:
            CollaboratorStatusChange.objects.create(collaborator=collaborator, status=status,
                                                    on_date=start + datetime.timedelta(days=30))
    for commune in communes if communes is not None else [commune_of(province_code, 3)]:
        Coverage.objects.create(collaborator=collaborator, unit=commune, province=prov, start_date=start)
    return collaborator


def make_field_collaborator(province_code: int = 12, communes=None, **fields):
    """A collaborator with an account scoped to their communes (as the appointment service makes it)."""
    communes = communes or [commune_of(province_code, 0), commune_of(province_code, 1)]
    user = make_user(Role.COLLABORATOR, province_code, communes=communes, organisation=centre(province_code))
    collaborator = make_collaborator(province_code, communes=communes, user=user, **fields)
    return collaborator, user


def make_record(collaborator: Collaborator, kind: str = FieldKind.COMMUNICATION, *, commune=None, establishment=None,
                occurred_on: datetime.date | None = None, photo: bool = False, **fields) -> FieldRecord:
    commune = commune or (establishment.commune if establishment else collaborator.coverages.first().unit)
    record = FieldRecord(collaborator=collaborator, province=collaborator.province, commune=commune, kind=kind,
                         occurred_on=occurred_on or datetime.date(2026, 3, 10), establishment=establishment, **fields)
    if photo:
        record.photo.save("thu.png", ContentFile(PNG), save=False)
    record.save()
    return record


def make_proposal(collaborator: Collaborator, *, name: str = "Cơ sở mây tre đan Bản Giang", photo: bool = False,
                  **fields) -> EstablishmentProposal:
    values = {"commune": collaborator.coverages.first().unit, "entity_type": "household",
              "representative": "Lò Văn Pọm", "phone": "0914000111", "main_products": "Giỏ mây", **fields}
    proposal = EstablishmentProposal(collaborator=collaborator, province=collaborator.province, name=name, **values)
    if photo:
        proposal.photo.save("thu.png", ContentFile(PNG), save=False)
    proposal.save()
    return proposal


def make_task(collaborator: Collaborator, **fields) -> CollaboratorTask:
    values = {"title": "Nhiệm vụ thử", "due_date": datetime.date(2026, 3, 20), **fields}
    return CollaboratorTask.objects.create(province=collaborator.province, collaborator=collaborator, **values)


def make_application(province_code: int = 12, *, name: str | None = None, communes=None,
                     regulation: Regulation | None = None) -> CollaboratorApplication:
    name = name or f"Người đăng ký {next(_counter)}"
    application = CollaboratorApplication.objects.create(
        reference=f"{province_code:02d}-T{next(_counter):05d}", province=province(province_code),
        regulation=regulation, full_name=name, name_folded=fold(name), gender="female", birth_year=1990,
        phone="0987654321", **protected_id(f"0{province_code:02d}190{next(_counter):06d}"),
        residence_commune=commune_of(province_code, 2),
        checks=[{"kind": "age", "label": "Từ đủ 18 đến 60 tuổi", "outcome": "met", "detail": "36"}])
    application.communes.set(communes or [commune_of(province_code, 2)])
    return application


def make_fee_sheet(province_code: int, *, regulation: Regulation | None = None, total: int = 1_000_000,
                   collaborator: Collaborator | None = None, status: str = "draft") -> FeeSheet:
    regulation = regulation or Regulation.objects.filter(province__code=province_code).first() or \
        make_regulation(province_code)
    collaborator = collaborator or make_collaborator(province_code)
    sheet = FeeSheet.objects.create(province=province(province_code), period_kind="month", year=2026, number=3,
                                    regulation=regulation, scheme={"regulation": regulation.number, **FEES},
                                    total_vnd=total, status=status)
    FeeLine.objects.create(sheet=sheet, collaborator=collaborator, months_active=1, surveys=0, conversions=0,
                           reports=0, base_vnd=total, survey_vnd=0, conversion_vnd=0, report_vnd=0, total_vnd=total)
    return sheet


def make_announcement(province_code: int, title: str = "Thông báo thử") -> Announcement:
    return Announcement.objects.create(province=province(province_code), title=title, body="Nội dung thông báo.")


def legacy_commune_of(legacy_province_name: str, current_province_code: int, index: int = 0) -> AdminUnit:
    """A former commune of a former province that passed (whole) to a commune of today's province."""
    return (AdminUnit.objects.legacy().communes().filter(province__name_folded=legacy_province_name,
                                                         successors__current__province__code=current_province_code,
                                                         successors__partial=False)
            .distinct().order_by("code")[index])


def collaborator_assignment(user):
    return RoleAssignment.objects.get(user=user, role=Role.COLLABORATOR, scope_level=ScopeLevel.COMMUNES)
