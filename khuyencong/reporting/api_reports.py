"""Periodic report instances and their approval actions. Figures: the approval snapshot of an approved or locked
report, else computed now from the data (`figures_frozen` says which)."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from khuyencong.accounts.models import Organisation
from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.core.periods import Period
from khuyencong.geo.schemas import UnitRef

from . import services
from .models import ReportStatus
from .report_exports import TIMELINESS_LABELS as TIMELINESS_API_LABELS
from .report_selectors import (
    ReportFilters,
    report_figures,
    report_get,
    report_list,
    report_timeliness,
    report_types,
)

router = Router(tags=["reporting"])


class ReportOut(Schema):
    id: int
    report_type: str
    report_type_name: str
    period: str
    period_label: str
    organisation: str
    province: UnitRef
    status: str
    status_label: str
    due_date: datetime.date
    submitted_at: datetime.datetime | None
    submitted_late: bool | None
    timeliness: str  # overdue (due date passed, not submitted), late (submitted late), on_time, not_due
    timeliness_label: str
    approved_at: datetime.datetime | None
    locked_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_report_type(obj):
        return obj.report_type.code

    @staticmethod
    def resolve_report_type_name(obj):
        return obj.report_type.name

    @staticmethod
    def resolve_period_label(obj):
        return obj.period_obj.label

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name}

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_timeliness(obj):
        return report_timeliness(obj)

    @staticmethod
    def resolve_timeliness_label(obj):
        return str(TIMELINESS_API_LABELS[report_timeliness(obj)])


class ReportDetailOut(ReportOut):
    number: str
    situation: str
    results: str
    difficulties: str
    proposals: str
    return_reason: str
    figures_frozen: bool
    figures: dict[str, Any]


class ReportIn(Schema):
    report_type: str
    period: str
    organisation: RecordId | None = None  # default: the user's organisation of the type's kind in their province


class ReportActionIn(Schema):
    reason: str = ""
    version: Version | None = None


def _detail(request, report_id: int):
    report = report_get(user=request.user, pk=report_id)
    report.figures, report.figures_frozen = report_figures(user=request.user, report=report)
    return report


@router.get("/reports", response=list[ReportOut], summary="Periodic reports in your scope",
            operation_id="report_list", url_name="report_list")
@paginate(BoundedLimitOffsetPagination)
def report_list_api(request, report_type: str = "", period: str = "", status: str = "",
                    province: UnitCode | None = None):
    if period:
        period = str(Period.parse(period))
    if status and status not in ReportStatus.values:
        raise InvalidInput(_("Unknown status “%(status)s”.") % {"status": status}, field="status")
    return report_list(user=request.user, filters=ReportFilters(report_type=report_type, period=period,
                                                                status=status, province=province))


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="One periodic report with its figures",
            operation_id="report_detail", url_name="report_detail")
def report_detail_api(request, report_id: RecordId):
    return _detail(request, report_id)


@router.post("/reports", response={201: ReportDetailOut}, summary="Open a periodic report as a draft",
             operation_id="report_create", url_name="report_create")
def report_create_api(request, payload: ReportIn):
    report_type = report_types().filter(code=payload.report_type).first()
    if report_type is None:
        raise InvalidInput(_("Unknown report type “%(code)s”.") % {"code": payload.report_type},
                           field="report_type")
    period = Period.parse(payload.period)
    organisations = Organisation.objects.filter(kind=report_type.from_kind, is_active=True,
                                                province__isnull=False).select_related("province")
    if payload.organisation is not None:
        organisation = organisations.filter(pk=payload.organisation).first()
    else:
        provinces = {a.province_id for a in request.user.assignments.filter(is_active=True)}
        organisation = organisations.filter(province_id__in=provinces).order_by("pk").first()
    if organisation is None:
        raise NotFound(_("No reporting organisation found for this report type."))
    report = services.report_create(actor=request.user, report_type=report_type, organisation=organisation,
                                    period=period)
    return Status(201, _detail(request, report.pk))


@router.post("/reports/{report_id}/actions/{action}", response=ReportDetailOut,
             summary="Submit, approve, lock, return (with a reason) or unlock (with a reason)",
             operation_id="report_action", url_name="report_action")
def report_action_api(request, report_id: RecordId, action: str, payload: ReportActionIn):
    report = report_get(user=request.user, pk=report_id)
    services.report_transition(actor=request.user, report=report, action=action, inputs={"reason": payload.reason},
                               version=payload.version)
    return _detail(request, report_id)
