"""The awards API, mounted by `api`: rounds and entries scoped like the pages, the round's and the entry's lifecycle
steps, a juror's sheet, and the check of a certificate code."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, Version, Year
from khuyencong.core.errors import NotFound, PermissionDenied
from khuyencong.core.locks import refuse

from . import selectors, services
from .flows import entry_flow, round_flow
from .models import Level
from .rules import complaint_deadline

router = Router(tags=["awards"])


class AwardOptionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class AwardFiguresOut(Schema):
    entries: int
    passed: int
    failed: int
    certified: int
    waiting: int


class AwardRoundOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    province_code: int | None
    region: str
    unit_name: str
    year: int
    budget_vnd: int
    intake_start: datetime.date
    intake_end: datetime.date
    status: str
    status_label: str
    decision_number: str
    announced_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_level_label(obj):
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_province_code(obj):
        return obj.province.code if obj.province_id else None


class AwardRoundDetailOut(AwardRoundOut):
    figures: AwardFiguresOut
    actions: list[AwardOptionOut]
    complaint_deadline: datetime.date | None


class AwardCertificateOut(Schema):
    number: str
    level: str
    decision_number: str
    issued_on: datetime.date
    valid_until: datetime.date
    code: str
    revoked_on: datetime.date | None


class AwardEntryOut(Schema):
    id: int
    round_id: int
    product_name: str
    group: str
    establishment_id: int
    establishment_name: str
    province_code: int
    status: str
    status_label: str
    score: Decimal | None
    publish_consent: bool
    certificate: AwardCertificateOut | None
    version: int

    @staticmethod
    def resolve_establishment_name(obj):
        return obj.establishment.name

    @staticmethod
    def resolve_province_code(obj):
        return obj.province.code

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_certificate(obj):
        return getattr(obj, "certificate", None)


class AwardEntryDetailOut(AwardEntryOut):
    actions: list[AwardOptionOut]


class AwardActIn(Schema):
    action: str = Field(..., max_length=30)
    version: Version
    reference: str = Field("", max_length=60)


Points = Annotated[int, Field(ge=0, le=100)]


class AwardSheetIn(Schema):
    points: dict[Annotated[str, Field(max_length=40)], Points] = Field(default_factory=dict, max_length=40)
    version: Version
    submit: bool = False


class AwardSheetOut(Schema):
    entry_id: int
    market: int
    value: int
    culture: int
    other: int
    total: int
    status: str
    version: int


def _options(flow, obj, user) -> list[dict]:
    return [{"action": o.action, "label": o.label, "allowed": o.allowed, "reasons": o.reasons}
            for o in flow.options(obj, user)]


def _round(request, round_id):
    round_ = selectors.round_get(request.user, round_id)
    if round_ is None:
        raise NotFound(_("Award round not found."))
    return round_


def _round_detail(request, round_):
    round_.figures = selectors.round_figures(round_)
    round_.actions = _options(round_flow, round_, request.user)
    round_.complaint_deadline = complaint_deadline(round_.announced_on) if round_.announced_on else None
    return round_


@router.get("/awards/rounds", response=list[AwardRoundOut], summary="Award rounds in your scope",
            operation_id="awards_round_list", url_name="awards_round_list")
@paginate(BoundedLimitOffsetPagination)
def round_list(request, year: Year | None = None, level: str = ""):
    return selectors.round_list(request.user, year=year, level=level if level in Level.values else "")


@router.get("/awards/rounds/{round_id}", response=AwardRoundDetailOut, summary="One award round with its figures",
            operation_id="awards_round_detail", url_name="awards_round_detail")
def round_detail(request, round_id: RecordId):
    return _round_detail(request, _round(request, round_id))


@router.post("/awards/rounds/{round_id}/actions", response=AwardRoundDetailOut, summary="A step of the round",
             operation_id="awards_round_act", url_name="awards_round_act")
def round_act(request, round_id: RecordId, payload: AwardActIn):
    round_ = _round(request, round_id)
    services.round_act(actor=request.user, round_=round_, action=payload.action, version=payload.version,
                       reference=payload.reference)
    return _round_detail(request, round_)


def _entry(request, entry_id):
    entry = selectors.entry_get(request.user, entry_id)
    if entry is None:
        raise NotFound(_("Entry not found."))
    return entry


def _entry_detail(request, entry):
    entry.actions = _options(entry_flow, entry, request.user)
    return entry


@router.get("/awards/entries", response=list[AwardEntryOut], summary="Entries in your scope",
            operation_id="awards_entry_list", url_name="awards_entry_list")
@paginate(BoundedLimitOffsetPagination)
def entry_list(request, round: RecordId | None = None, q: str = ""):
    round_ = selectors.round_get(request.user, round) if round else None
    if round and round_ is None:
        return selectors.entry_list(request.user).none()
    return selectors.entry_list(request.user, round_=round_, q=q[:100])


@router.get("/awards/entries/{entry_id}", response=AwardEntryDetailOut, summary="One entry",
            operation_id="awards_entry_detail", url_name="awards_entry_detail")
def entry_detail(request, entry_id: RecordId):
    return _entry_detail(request, _entry(request, entry_id))


@router.post("/awards/entries/{entry_id}/actions", response=AwardEntryDetailOut, summary="A step of the entry",
             operation_id="awards_entry_act", url_name="awards_entry_act")
def entry_act(request, entry_id: RecordId, payload: AwardActIn):
    entry = _entry(request, entry_id)
    services.entry_act(actor=request.user, entry=entry, action=payload.action, version=payload.version)
    return _entry_detail(request, selectors.entry_get(request.user, entry.pk))


@router.put("/awards/entries/{entry_id}/sheet", response=AwardSheetOut, summary="Save or submit my sheet (jurors)",
            operation_id="awards_sheet_save", url_name="awards_sheet_save")
def sheet_save(request, entry_id: RecordId, payload: AwardSheetIn):
    entry = _entry(request, entry_id)
    juror = services.juror_of(request.user, entry)
    if juror is None:
        raise PermissionDenied(_("Only a juror of the round can score."))
    refuse(services.can_score(request.user, entry))  # a closed round: RecordLocked, HTTP 409
    sheet = services.sheet_for(juror=juror, entry=entry)
    services.sheet_save(actor=request.user, sheet=sheet, points=payload.points, version=payload.version,
                        submit=payload.submit)
    return {"entry_id": entry.pk, "market": sheet.market, "value": sheet.value, "culture": sheet.culture,
            "other": sheet.other, "total": sheet.total, "status": sheet.status, "version": sheet.version}


@router.get("/awards/certificates/verify", response=AwardCertificateOut, summary="Check a certificate by its code",
            operation_id="awards_certificate_verify", url_name="awards_certificate_verify")
def certificate_verify(request, code: str):
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise NotFound(_("No certificate has this code."))
    return certificate
