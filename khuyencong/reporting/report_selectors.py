"""Reads of periodic reports, scoped to the user: lists, one report, its figures, and the ministry's completeness
table. Pages, exports and the API share them.

Figures come from the indicator selectors (`selectors.indicator_table`) while a report is a draft or submitted, and
from its snapshot once approved or locked.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import NotFound
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from .models import Report, ReportStatus, ReportType

GEOGRAPHY = "current"  # reports are made under today's provinces


@dataclass(frozen=True)
class ReportFilters:
    report_type: str = ""
    period: str = ""
    status: str = ""
    province: int | None = None  # code


def report_list(*, user, filters: ReportFilters | None = None) -> QuerySet[Report]:
    """The reports of the provinces the user covers whole (every province for a national user)."""
    filters = filters or ReportFilters()
    scope = user_scope(user)
    qs = Report.objects.select_related("report_type", "organisation", "province")
    if not scope.national:
        qs = qs.filter(province_id__in=scope.province_ids)
    if filters.report_type:
        qs = qs.filter(report_type__code=filters.report_type)
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    return qs.order_by("-period_start", "province__code", "report_type__order", "pk")


def report_get(*, user, pk: int) -> Report:
    report = report_list(user=user).select_related("snapshot").filter(pk=pk).first()
    if report is None:
        raise NotFound(_("No such report, or it belongs to another province."))
    return report


def report_types() -> QuerySet[ReportType]:
    return ReportType.objects.filter(is_active=True).order_by("order", "code")


def live_figures(*, user, report: Report) -> dict:
    """The report's figures computed now, in the shape a snapshot keeps."""
    from .selectors import indicator_table

    period = report.period_obj
    rows = indicator_table(user=user, period=period, province=report.province,
                           codes=report.report_type.indicator_codes or None, geography=GEOGRAPHY)
    return {
        "period": str(period), "period_label": period.label, "geography": GEOGRAPHY,
        "province": report.province.code, "province_name": report.province.name,
        "generated_at": timezone.now().isoformat(), "rows": [row.as_dict() for row in rows],
    }


def report_figures(*, user, report: Report) -> tuple[dict, bool]:
    """(figures, frozen): the snapshot of an approved or locked report, else the live figures."""
    if report.is_frozen and report.snapshot_id:
        return report.snapshot.data, True
    return live_figures(user=user, report=report), False


# --- the ministry's completeness and timeliness table


class Standing:
    MISSING = "missing"
    OVERDUE = "overdue"  # missing and past its due date
    DRAFT = "draft"
    ON_TIME = "on_time"
    LATE = "late"
    APPROVED = "approved"
    LOCKED = "locked"


class Timeliness:
    OVERDUE = "overdue"  # "quá hạn": the due date passed and the report is not submitted
    LATE = "late"  # "nộp muộn": submitted after the due date (it stays so once approved or locked)
    ON_TIME = "on_time"
    NOT_DUE = "not_due"  # not submitted, the due date still ahead


def due_date(report_type: ReportType, period: Period) -> datetime.date:
    return period.end + datetime.timedelta(days=report_type.deadline_days)


def timeliness(report: Report | None, due: datetime.date, today: datetime.date) -> str:
    """A report against its due date. THE rule of "overdue" for the reports list, a report's page, the ministry's
    completeness table, its export and the API: overdue while not submitted (no report yet, or a draft, which a
    report returned for correction is again) after its due date; a report submitted after it was submitted late,
    never overdue, whatever became of it since."""
    if report is None or report.status == ReportStatus.DRAFT:
        return Timeliness.OVERDUE if today > due else Timeliness.NOT_DUE
    return Timeliness.LATE if report.submitted_late else Timeliness.ON_TIME


def report_timeliness(report: Report, today: datetime.date | None = None) -> str:
    """`timeliness` of an existing report against the due date it carries."""
    return timeliness(report, report.due_date, today or timezone.localdate())


def standing(report: Report | None, due: datetime.date, today: datetime.date) -> str:
    if timeliness(report, due, today) == Timeliness.OVERDUE:
        return Standing.OVERDUE
    if report is None:
        return Standing.MISSING
    if report.status == ReportStatus.DRAFT:
        return Standing.DRAFT
    if report.status == ReportStatus.LOCKED:
        return Standing.LOCKED
    if report.status == ReportStatus.APPROVED:
        return Standing.APPROVED
    return Standing.LATE if report.submitted_late else Standing.ON_TIME


def completeness(*, period: Period, today: datetime.date, province_codes=None) -> dict:
    """Every current province × every report type of the period's kind: the report (if any) and its standing,
    with counts per standing. Three queries whatever the number of provinces."""
    types = list(report_types().filter(period_kind=period.kind))
    provinces = AdminUnit.objects.current().provinces().order_by("code")
    if province_codes is not None:
        provinces = provinces.filter(code__in=province_codes)
    provinces = list(provinces)
    reports = {(r.province_id, r.report_type_id): r
               for r in Report.objects.filter(period=str(period), report_type__in=types).order_by("pk")}
    rows, counts = [], {}
    for province in provinces:
        cells = []
        for rt in types:
            report = reports.get((province.pk, rt.pk))
            # A report keeps the due date it was opened with (the type's deadline may change since).
            due = report.due_date if report is not None else due_date(rt, period)
            state = standing(report, due, today)
            counts[state] = counts.get(state, 0) + 1
            cells.append({"type": rt, "report": report, "due": due, "standing": state,
                          "timeliness": timeliness(report, due, today)})
        rows.append({"province": province, "cells": cells})
    return {"period": period, "types": types, "rows": rows, "counts": counts}
