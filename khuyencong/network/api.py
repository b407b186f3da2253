"""Network API: collaborators, applications, field records and tasks, scoped like the pages.

A collaborator's account sees only its own collaborator record, field records and tasks, and may send field records
(a phone app's way in); the centre's staff see their province's network.
"""

import datetime
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from khuyencong.accounts.scope import acting_provinces
from khuyencong.core.api_params import Amount, BoundedLimitOffsetPagination, Count, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound, PermissionDenied
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.schemas import UnitRef
from khuyencong.registry.models import Sector

from . import selectors, services
from .models import FEE_PERIOD_KINDS, FieldKind, SyncKind

router = Router(tags=["network"])


class CoverageOut(Schema):
    code: int
    name: str
    former_unit: bool
    since: datetime.date


class CollaboratorOut(Schema):
    id: int
    code: str
    full_name: str
    gender: str
    birth_year: int
    phone: str
    email: str
    id_number: str
    province: UnitRef
    status: str
    status_reason: str
    affiliation: str
    decision_number: str
    decision_date: datetime.date | None
    term_start: datetime.date | None
    term_end: datetime.date | None
    communes: list[CoverageOut]
    version: int

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name}

    @staticmethod
    def resolve_communes(obj):
        return [{"code": c.unit.code, "name": c.unit.name, "former_unit": c.unit.scheme == "legacy",
                 "since": c.start_date} for c in obj.open_coverages]


class CheckOut(Schema):
    kind: str
    label: str
    outcome: str
    detail: str


class ApplicationOut(Schema):
    id: int
    reference: str
    full_name: str
    gender: str
    birth_year: int
    phone: str
    province: UnitRef
    communes: list[UnitRef]
    checks: list[CheckOut]
    status: str
    submitted_at: datetime.datetime
    refusal_reason: str
    collaborator_id: int | None

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name}

    @staticmethod
    def resolve_communes(obj):
        return [{"code": c.code, "name": c.name} for c in obj.communes.all()]


class PersonRef(Schema):
    id: int
    code: str
    full_name: str


class EstablishmentRef(Schema):
    id: int
    name: str


class FieldRecordOut(Schema):
    id: int
    kind: str
    status: str
    occurred_on: datetime.date
    collaborator: PersonRef
    commune: UnitRef
    establishment: EstablishmentRef | None
    notes: str
    latitude: Decimal | None
    longitude: Decimal | None
    has_photo: bool
    proposed_changes: dict
    content_code: str
    expected_cost_vnd: int | None
    project_code: str | None
    topic: str
    participants: int | None
    review_note: str
    version: int

    @staticmethod
    def resolve_collaborator(obj):
        return {"id": obj.collaborator_id, "code": obj.collaborator.code, "full_name": obj.collaborator.full_name}

    @staticmethod
    def resolve_commune(obj):
        return {"code": obj.commune.code, "name": obj.commune.name}

    @staticmethod
    def resolve_establishment(obj):
        return {"id": obj.establishment_id, "name": obj.establishment.name} if obj.establishment_id else None

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)

    @staticmethod
    def resolve_project_code(obj):
        return obj.project.code if obj.project_id else None


class FieldRecordIn(Schema):
    kind: str
    occurred_on: datetime.date | None = None
    establishment: RecordId | None = None
    commune: UnitCode | None = None  # current commune code, for a communication session without an establishment
    notes: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    changes: dict = {}
    content_code: str = ""
    expected_cost_vnd: Amount | None = None
    topic: str = ""
    participants: Count | None = None


class TaskOut(Schema):
    id: int
    title: str
    description: str
    collaborator: PersonRef
    commune: UnitRef | None
    establishment: EstablishmentRef | None
    due_date: datetime.date
    status: str
    done_on: datetime.date | None
    completion_note: str
    version: int

    @staticmethod
    def resolve_collaborator(obj):
        return {"id": obj.collaborator_id, "code": obj.collaborator.code, "full_name": obj.collaborator.full_name}

    @staticmethod
    def resolve_commune(obj):
        return {"code": obj.commune.code, "name": obj.commune.name} if obj.commune_id else None

    @staticmethod
    def resolve_establishment(obj):
        return {"id": obj.establishment_id, "name": obj.establishment.name} if obj.establishment_id else None


@router.get("/collaborators", response=list[CollaboratorOut], summary="Collaborators in your scope",
            operation_id="collaborator_list", url_name="collaborator_list")
@paginate(BoundedLimitOffsetPagination)
def collaborator_list(request, q: str = "", status: str = "", province: UnitCode | None = None):
    return selectors.collaborator_list(user=request.user, filters=selectors.CollaboratorFilters(
        q=q, status=status, province=province))


@router.get("/collaborators/{collaborator_id}", response=CollaboratorOut, summary="One collaborator",
            operation_id="collaborator_detail", url_name="collaborator_detail")
def collaborator_detail(request, collaborator_id: RecordId):
    collaborator = selectors.collaborator_list(user=request.user).filter(pk=collaborator_id).first()
    if collaborator is None:
        raise NotFound(_("Collaborator not found."))
    return collaborator


@router.get("/collaborator-applications", response=list[ApplicationOut],
            summary="Applications to join the network (centre staff)",
            operation_id="collaborator_application_list", url_name="collaborator_application_list")
@paginate(BoundedLimitOffsetPagination)
def collaborator_application_list(request, status: str = "", province: UnitCode | None = None):
    return selectors.application_list(user=request.user, status=status, province=province)


@router.get("/field-records", response=list[FieldRecordOut], summary="Field records in your scope",
            operation_id="field_record_list", url_name="field_record_list")
@paginate(BoundedLimitOffsetPagination)
def field_record_list(request, kind: str = "", status: str = "", collaborator: RecordId | None = None,
                      province: UnitCode | None = None):
    return selectors.field_record_list(user=request.user, filters=selectors.FieldRecordFilters(
        kind=kind, status=status, collaborator=collaborator, province=province))


@router.get("/field-records/{record_id}", response=FieldRecordOut, summary="One field record",
            operation_id="field_record_detail", url_name="field_record_detail")
def field_record_detail(request, record_id: RecordId):
    record = selectors.field_record_get(user=request.user, pk=record_id)
    if record is None:
        raise NotFound(_("Field record not found."))
    return record


@router.post("/field-records", response={201: FieldRecordOut}, summary="Record field work (collaborators)",
             operation_id="field_record_create", url_name="field_record_create")
def field_record_create(request, payload: FieldRecordIn):
    collaborator = selectors.my_collaborator(request.user)
    if collaborator is None:
        raise PermissionDenied(_("Only the collaborator themselves records their field work."))
    if payload.kind not in FieldKind.values:
        raise InvalidInput(_("Unknown kind of field record."), field="kind")
    data = payload.dict()
    if payload.establishment is not None:
        data["establishment"] = selectors.establishments_for(collaborator).filter(pk=payload.establishment).first()
        if data["establishment"] is None:
            raise InvalidInput(_("No establishment of your communes has this number."), field="establishment")
    if payload.commune is not None:
        data["commune"] = AdminUnit.objects.current().communes().filter(code=payload.commune).first()
        if data["commune"] is None:
            raise InvalidInput(_("No current commune has this code."), field="commune")
    record = services.field_record_create(actor=request.user, kind=payload.kind, data=data)
    return Status(201, selectors.field_record_get(user=request.user, pk=record.pk))


class ProposalOut(Schema):
    id: int
    status: str
    status_label: str
    name: str
    entity_type: str
    sme_size: str
    sectors: list[str]
    main_products: str
    representative: str
    phone: str
    commune: UnitRef
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    has_photo: bool
    notes: str
    collaborator: PersonRef
    proposed_at: datetime.datetime
    reviewed_at: datetime.datetime | None
    review_note: str
    establishment: EstablishmentRef | None
    version: int

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_sectors(obj):
        return [s.code for s in obj.sectors.all()]

    @staticmethod
    def resolve_commune(obj):
        return {"code": obj.commune.code, "name": obj.commune.name}

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)

    @staticmethod
    def resolve_collaborator(obj):
        return {"id": obj.collaborator_id, "code": obj.collaborator.code, "full_name": obj.collaborator.full_name}

    @staticmethod
    def resolve_proposed_at(obj):
        return obj.created_at

    @staticmethod
    def resolve_establishment(obj):
        return {"id": obj.establishment_id, "name": obj.establishment.name} if obj.establishment_id else None


class ProposalIn(Schema):
    name: str
    entity_type: str
    sme_size: str = ""
    sectors: list[str] = []  # sector codes
    main_products: str = ""
    representative: str
    phone: str = ""
    commune: UnitCode  # a current commune the collaborator covers
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    notes: str = ""


class ProposalReviewIn(Schema):
    version: Version
    note: str = ""


def _proposal_or_404(request, proposal_id: int):
    proposal = selectors.establishment_proposal_get(user=request.user, pk=proposal_id)
    if proposal is None:
        raise NotFound(_("Proposed establishment not found."))
    return proposal


@router.get("/establishment-proposals", response=list[ProposalOut],
            summary="New establishments proposed from the field", operation_id="establishment_proposal_list",
            url_name="establishment_proposal_list")
@paginate(BoundedLimitOffsetPagination)
def establishment_proposal_list(request, status: str = "", province: UnitCode | None = None):
    return selectors.establishment_proposal_list(user=request.user, status=status, province=province)


@router.get("/establishment-proposals/{proposal_id}", response=ProposalOut,
            summary="One proposed establishment", operation_id="establishment_proposal_detail",
            url_name="establishment_proposal_detail")
def establishment_proposal_detail(request, proposal_id: RecordId):
    return _proposal_or_404(request, proposal_id)


@router.post("/establishment-proposals", response={201: ProposalOut},
             summary="Propose a new establishment found in the field (collaborators)",
             operation_id="establishment_propose", url_name="establishment_propose")
def establishment_propose(request, payload: ProposalIn):
    data = payload.dict()
    data["commune"] = AdminUnit.objects.current().communes().filter(code=payload.commune).first()
    if data["commune"] is None:
        raise InvalidInput(_("No current commune has this code."), field="commune")
    codes = set(payload.sectors)
    sectors = list(Sector.objects.filter(code__in=codes))
    if len(sectors) != len(codes):
        raise InvalidInput(_("Unknown sector code."), field="sectors")
    proposal = services.establishment_propose(actor=request.user, data=data, sectors=sectors)
    return Status(201, _proposal_or_404(request, proposal.pk))


@router.post("/establishment-proposals/{proposal_id}/accept", response=ProposalOut,
             summary="Add a proposed establishment to the registry (centre staff)",
             operation_id="establishment_proposal_accept", url_name="establishment_proposal_accept")
def establishment_proposal_accept(request, proposal_id: RecordId, payload: ProposalReviewIn):
    proposal = _proposal_or_404(request, proposal_id)
    services.establishment_proposal_accept(actor=request.user, proposal=proposal, version=payload.version,
                                           note=payload.note)
    return _proposal_or_404(request, proposal_id)


@router.post("/establishment-proposals/{proposal_id}/reject", response=ProposalOut,
             summary="Reject a proposed establishment, with the reason (centre staff)",
             operation_id="establishment_proposal_reject", url_name="establishment_proposal_reject")
def establishment_proposal_reject(request, proposal_id: RecordId, payload: ProposalReviewIn):
    proposal = _proposal_or_404(request, proposal_id)
    services.establishment_proposal_reject(actor=request.user, proposal=proposal, version=payload.version,
                                           note=payload.note)
    return _proposal_or_404(request, proposal_id)


@router.get("/collaborator-tasks", response=list[TaskOut], summary="Tasks given to collaborators",
            operation_id="collaborator_task_list", url_name="collaborator_task_list")
@paginate(BoundedLimitOffsetPagination)
def collaborator_task_list(request, status: str = "", collaborator: RecordId | None = None, overdue: bool = False,
                           province: UnitCode | None = None):
    return selectors.task_list(user=request.user, filters=selectors.TaskFilters(
        status=status, collaborator=collaborator, overdue=overdue, province=province))


class PerformanceRowOut(Schema):
    rank: int | None
    collaborator: PersonRef
    months_active: int
    surveys: int
    registrations: int
    conversions: int
    reports: int
    tasks_due: int
    tasks_on_time: int
    score: Decimal | None


class PerformanceOut(Schema):
    province: UnitRef
    period: str
    label: str
    regulation: str | None
    rows: list[PerformanceRowOut]


@router.get("/collaborator-performance", response=PerformanceOut,
            summary="Collaborators' activity, score and rank over a month or quarter (as on the performance page)",
            operation_id="collaborator_performance", url_name="collaborator_performance")
def collaborator_performance(request, province: UnitCode, period: str):
    place = acting_provinces(request.user).filter(code=province).first()
    if place is None:
        raise NotFound(_("This province is outside your area."))
    span = Period.parse(period, kinds=FEE_PERIOD_KINDS)
    rows, regulation = selectors.performance_ranking(place, span)
    return {
        "province": {"code": place.code, "name": place.name}, "period": span.key, "label": span.label,
        "regulation": regulation.number if regulation else None,
        "rows": [{"rank": row.rank, "score": row.score, "collaborator": {
            "id": row.collaborator.pk, "code": row.collaborator.code, "full_name": row.collaborator.full_name},
                  **{k: getattr(row.activity, k) for k in ("months_active", "surveys", "registrations", "conversions",
                                                           "reports", "tasks_due", "tasks_on_time")}}
                 for row in rows],
    }


# --- the collaborator's phone app: working set and outbox -------------------------------------------------------------


class WorkingSetOut(Schema):
    collaborator: dict
    communes: list[dict]
    establishments: list[dict]
    tasks: list[dict]
    announcements: list[dict]
    choices: dict
    generated_at: datetime.datetime


@decorate_view(gzip_page)  # the phone's slow network: a quarter of the bytes (bench/field_app.py)
@router.get("/field-app/working-set", response=WorkingSetOut,
            summary="What a collaborator's phone keeps to work offline (collaborators)",
            operation_id="field_working_set", url_name="field_working_set")
def field_working_set(request):
    data = selectors.working_set(request.user)
    if data is None:
        raise PermissionDenied(_("Only the collaborator themselves records their field work."))
    return data


class SyncItemIn(Schema):
    client_id: uuid.UUID = Field(description="Made by the phone when the item was captured; a retry sends it again")
    kind: str = Field(description="survey, need, establishment or task_report")
    establishment: RecordId | None = None
    base_version: Version | None = Field(None, description="The establishment's version on the phone's copy")
    occurred_on: datetime.date | None = None
    notes: str = Field("", max_length=5000)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    changes: dict = {}
    content_code: str = Field("", max_length=60)
    expected_cost_vnd: Amount | None = None
    commune: UnitCode | None = None
    name: str = Field("", max_length=300)
    entity_type: str = Field("", max_length=20)
    sme_size: str = Field("", max_length=10)
    representative: str = Field("", max_length=300)
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    main_products: str = Field("", max_length=300)
    task: RecordId | None = None
    version: Version | None = Field(None, description="The task's version on the phone's copy")
    note: str = Field("", max_length=500)
    photo: str | None = Field(None, description="A photo resized on the phone, as a data: URL (JPEG, PNG or WebP)")


class SyncResultOut(Schema):
    client_id: uuid.UUID
    kind: str
    first_time: bool
    object_label: str
    object_url: str
    conflict: bool
    message: str
    received_at: datetime.datetime


@router.post("/field-app/sync", response=SyncResultOut,
             summary="Send one item of a collaborator's phone outbox (idempotent by client_id)",
             operation_id="field_sync", url_name="field_sync")
def field_sync(request, payload: SyncItemIn):
    if payload.kind not in SyncKind.values:
        raise InvalidInput(_("Unknown kind of field record."), field="kind")
    data = payload.dict(exclude={"client_id", "kind", "photo"})
    receipt, first_time = services.sync_item(actor=request.user, client_id=payload.client_id, kind=payload.kind,
                                             data=data, photo=payload.photo)
    return {"client_id": receipt.client_id, "kind": receipt.kind, "first_time": first_time,
            "object_label": receipt.object_label, "object_url": receipt.object_url, "conflict": receipt.conflict,
            "message": receipt.message, "received_at": receipt.received_at}
