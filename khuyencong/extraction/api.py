"""The extraction API, mounted by `api`: read an article into a record (`POST /articles/extract`), and the review
of the records saved for staff (list, detail, accept, reject)."""

import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, Version
from khuyencong.core.errors import InvalidInput

from . import selectors, services
from .flows import extraction_flow
from .models import ExtractionStatus
from .permissions import can_submit

router = Router(tags=["extraction"])

ArticleText = Annotated[str, Field(min_length=1, max_length=services.MAX_TEXT)]
DayOrNone = Annotated[datetime.date | None, Field(ge=datetime.date(1990, 1, 1), le=datetime.date(2100, 12, 31))]


class ExtractIn(Schema):
    text: ArticleText
    published_on: DayOrNone = None
    save: bool = Field(False, description="Also keep the record for staff to review.")
    source_title: Annotated[str, Field(max_length=300)] = ""
    source_url: Annotated[str, Field(max_length=500)] = ""


class ExtractOut(Schema):
    record: dict
    extraction_id: int | None = None


class ExtractionActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class ExtractionOut(Schema):
    id: int
    version: int
    status: str
    status_label: str
    title: str
    source_title: str
    source_url: str
    published_on: datetime.date | None
    province: str | None
    event_id: int | None
    merged: bool
    reason: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_province(obj):
        return obj.province.name if obj.province_id else None


class ExtractionDetailOut(ExtractionOut):
    text: str
    record: dict
    actions: list[ExtractionActionOut]

    @staticmethod
    def resolve_actions(obj, context):
        return extraction_flow.options(obj, context["request"].user)


class AcceptIn(Schema):
    version: Version
    title: Annotated[str, Field(max_length=300)] = ""
    kind: Annotated[str, Field(max_length=30)] = ""
    audience: Annotated[str, Field(max_length=20)] = ""
    fund: Annotated[str, Field(max_length=10)] = ""
    organiser: RecordId | None = None
    start_date: DayOrNone = None
    end_date: DayOrNone = None
    lessons: bool = True


class RejectIn(Schema):
    version: Version
    reason: Annotated[str, Field(min_length=1, max_length=300)]


@router.post("/articles/extract", response=ExtractOut, summary="Read a Vietnamese article into an activity record",
             operation_id="article_extract", url_name="article_extract")
def article_extract(request, payload: ExtractIn):
    services.require(can_submit(request.user))
    if payload.save:
        saved = services.extraction_submit(actor=request.user, text=payload.text, published_on=payload.published_on,
                                           source_title=payload.source_title, source_url=payload.source_url)
        return {"record": saved.record, "extraction_id": saved.pk}
    return {"record": services.read(payload.text, payload.published_on), "extraction_id": None}


@router.get("/extractions", response=list[ExtractionOut], summary="Articles read into records (staff)",
            operation_id="extraction_list", url_name="extraction_list_api")
@paginate(BoundedLimitOffsetPagination)
def extraction_list(request, status: Annotated[str, Field(max_length=20)] = "",
                    q: Annotated[str, Field(max_length=200)] = ""):
    if status and status not in ExtractionStatus.values:
        raise InvalidInput(_("Unknown status."), field="status")
    return selectors.extraction_rows(request.user, status=status, q=q)


@router.get("/extractions/{extraction_id}", response=ExtractionDetailOut, summary="One article read into a record",
            operation_id="extraction_detail", url_name="extraction_detail_api")
def extraction_detail(request, extraction_id: RecordId):
    return selectors.extraction_get(request.user, extraction_id)


@router.post("/extractions/{extraction_id}/accept", response=ExtractionDetailOut,
             summary="Accept the record: create or merge the event", operation_id="extraction_accept",
             url_name="extraction_accept_api")
def extraction_accept(request, extraction_id: RecordId, payload: AcceptIn):
    extraction = selectors.extraction_get(request.user, extraction_id)
    data = payload.dict(exclude={"version"})
    services.extraction_accept(actor=request.user, extraction=extraction, version=payload.version, data=data)
    return selectors.extraction_get(request.user, extraction_id)


@router.post("/extractions/{extraction_id}/reject", response=ExtractionDetailOut, summary="Reject the record",
             operation_id="extraction_reject", url_name="extraction_reject_api")
def extraction_reject(request, extraction_id: RecordId, payload: RejectIn):
    extraction = selectors.extraction_get(request.user, extraction_id)
    services.extraction_reject(actor=request.user, extraction=extraction, version=payload.version,
                               reason=payload.reason)
    return Status(200, selectors.extraction_get(request.user, extraction_id))
