"""The province's network regulation (quy chế): its standards for joining, its fee scheme and its evaluation
criteria, one regulation in force at a time."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import AdminUnit

from ..flows import REGULATION_OPEN_FIELDS, regulation_lock
from ..models import (
    EducationLevel,
    EvaluationCriterion,
    JoiningStandard,
    Metric,
    Regulation,
    StandardKind,
)
from ..permissions import can_edit_regulation
from ._common import _day, _require, _text

REGULATION_TEXT = {"number": 80, "title": 300, "issuing_body": 200, "signer": 150, "appointing_authority": 250,
                   "appointing_body": 250, "parent_body": 250, "decision_symbol": 30}
REGULATION_REQUIRED = ("number", "title", "issuing_body", "signer", "appointing_authority", "appointing_body")
REGULATION_AMOUNTS = ("monthly_base_vnd", "per_survey_vnd", "per_conversion_vnd", "per_report_vnd")
REGULATION_FIELDS = (*REGULATION_TEXT, "issued_on", "effective_from", "effective_to", "duties", "term_months",
                     "max_communes", *REGULATION_AMOUNTS, "monthly_cap_vnd", "accepts_applications")


def _clean_regulation(data: dict, current: Regulation | None = None) -> dict:
    clean = {k: v for k, v in data.items() if k in REGULATION_FIELDS}
    for key, length in REGULATION_TEXT.items():
        if key in clean or current is None:
            clean[key] = _text(clean.get(key), key, required=key in REGULATION_REQUIRED, max_length=length)
    if "duties" in clean:
        clean["duties"] = (clean["duties"] or "").strip()
    for key in ("issued_on", "effective_from"):
        if key in clean or current is None:
            clean[key] = _day(clean.get(key), key, not_future=False)
    if "effective_to" in clean:
        clean["effective_to"] = _day(clean["effective_to"], "effective_to", required=False, not_future=False)
    start = clean.get("effective_from", current.effective_from if current else None)
    end = clean.get("effective_to", current.effective_to if current else None)
    if end is not None and start is not None and end < start:
        raise InvalidInput(_("The end of the regulation cannot be before its start."), field="effective_to")
    if "term_months" in clean or current is None:
        term = clean.get("term_months")
        if isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= 120:
            raise InvalidInput(_("The term is a number of months between 1 and 120."), field="term_months")
    if "max_communes" in clean and clean["max_communes"] is not None:
        limit = clean["max_communes"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput(_("The number of communes per collaborator is at least 1 (or empty: no limit)."),
                               field="max_communes")
    for key in REGULATION_AMOUNTS:
        if key in clean or current is None:
            clean[key] = check_amount(clean.get(key, 0), field=key)
    if "monthly_cap_vnd" in clean:
        clean["monthly_cap_vnd"] = check_amount(clean["monthly_cap_vnd"], field="monthly_cap_vnd", nullable=True)
    return clean


def _clean_standards(rows) -> list[dict]:
    result = []
    for i, row in enumerate(rows):
        kind = row.get("kind")
        if kind not in StandardKind.values:
            raise InvalidInput(_("Unknown kind of standard."), field="standards")
        label = _text(row.get("label"), "standards", required=True, max_length=300,
                      message=_("Write each standard as the regulation says it."))
        low, high = row.get("min_value"), row.get("max_value")
        level = row.get("education_level") or ""
        if kind == StandardKind.AGE and ((low is None and high is None) or (low and high and low > high)):
            raise InvalidInput(_("An age standard needs its range (the minimum not above the maximum)."),
                               field="standards")
        if kind == StandardKind.EDUCATION and level not in EducationLevel.values:
            raise InvalidInput(_("An education standard needs the lowest accepted level."), field="standards")
        if kind == StandardKind.EXPERIENCE and not low:
            raise InvalidInput(_("An experience standard needs the minimum number of years."), field="standards")
        result.append({"kind": kind, "label": label, "min_value": low, "max_value": high,
                       "education_level": level if kind == StandardKind.EDUCATION else "", "order": i})
    return result


def _clean_criteria(rows) -> list[dict]:
    result, metrics = [], set()
    for i, row in enumerate(rows):
        metric = row.get("metric")
        if metric not in Metric.values:
            raise InvalidInput(_("Unknown evaluation measure."), field="criteria")
        if metric in metrics:
            raise InvalidInput(_("Each measure appears once among the criteria."), field="criteria")
        metrics.add(metric)
        weight = row.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise InvalidInput(_("Each criterion has a weight of at least 1 point."), field="criteria")
        target = row.get("monthly_target")
        if metric != Metric.TASKS_ON_TIME and (not isinstance(target, int) or target < 1):
            raise InvalidInput(_("A criterion that counts work needs a monthly target of at least 1."),
                               field="criteria")
        label = _text(row.get("label"), "criteria", required=True, max_length=300,
                      message=_("Write each criterion as the regulation says it."))
        result.append({"metric": metric, "label": label, "weight": weight,
                       "monthly_target": target if metric != Metric.TASKS_ON_TIME else None, "order": i})
    if result and sum(r["weight"] for r in result) != 100:
        raise InvalidInput(_("The weights of the criteria must add up to 100 points (now %(sum)s).")
                           % {"sum": sum(r["weight"] for r in result)}, field="criteria")
    return result


def _check_no_overlap(province_id: int, start: datetime.date, end: datetime.date | None, exclude: int | None) -> None:
    for other in Regulation.objects.filter(province_id=province_id).exclude(pk=exclude):
        if other.effective_from <= (end or datetime.date.max) and start <= (other.effective_to or datetime.date.max):
            raise InvalidInput(
                _("Regulation %(number)s is in force over part of the same period: set its end date first.")
                % {"number": other.number}, field="effective_from")


def _replace_rows(regulation: Regulation, standards_rows, criteria_rows) -> None:
    if standards_rows is not None:
        regulation.standards.all().delete()
        JoiningStandard.objects.bulk_create(JoiningStandard(regulation=regulation, **row) for row in standards_rows)
    if criteria_rows is not None:
        regulation.criteria.all().delete()
        EvaluationCriterion.objects.bulk_create(EvaluationCriterion(regulation=regulation, **row)
                                                for row in criteria_rows)


def _rows_repr(rows) -> list[str]:
    return [f"{r['kind'] if 'kind' in r else r['metric']}: {r['label']}"
            + (f" ({r['weight']})" if "weight" in r else "") for r in rows]


def regulation_create(*, actor, province: AdminUnit, data: dict, standards=(), criteria=()) -> Regulation:
    """Records the province's network regulation (quy chế) with its standards, fee scheme and evaluation criteria."""
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    _require(can_edit_regulation(actor, province.pk))
    clean = _clean_regulation(data)
    standard_rows, criterion_rows = _clean_standards(standards), _clean_criteria(criteria)
    with transaction.atomic():
        _check_no_overlap(province.pk, clean["effective_from"], clean.get("effective_to"), None)
        if Regulation.objects.filter(province=province, number=clean["number"]).exists():
            raise InvalidInput(_("A regulation with this number already exists in the province."), field="number")
        regulation = Regulation.objects.create(province=province, **clean)
        _replace_rows(regulation, standard_rows, criterion_rows)
        audit_record(actor=actor, action="network.regulation_create", obj=regulation, changes={
            **{k: [None, v] for k, v in clean.items() if v not in (None, "")},
            "standards": [None, _rows_repr(standard_rows)], "criteria": [None, _rows_repr(criterion_rows)]})
    return regulation


def regulation_update(*, actor, regulation: Regulation, data: dict, version: int, standards=None,
                      criteria=None) -> Regulation:
    """Edits the regulation; the standards and criteria, when given, replace the previous lists."""
    _require(can_edit_regulation(actor, regulation.province_id))
    clean = _clean_regulation(data, current=regulation)
    standard_rows = _clean_standards(standards) if standards is not None else None
    criterion_rows = _clean_criteria(criteria) if criteria is not None else None
    with transaction.atomic():
        changes = field_changes(regulation, clean)
        if standard_rows is not None:
            old = _rows_repr(list(regulation.standards.values("kind", "label")))
            if old != _rows_repr(standard_rows):
                changes["standards"] = [old, _rows_repr(standard_rows)]
        if criterion_rows is not None:
            old = _rows_repr(list(regulation.criteria.values("metric", "label", "weight")))
            if old != _rows_repr(criterion_rows):
                changes["criteria"] = [old, _rows_repr(criterion_rows)]
        if not changes:
            return regulation
        if changes.keys() - REGULATION_OPEN_FIELDS:
            regulation_lock.check(regulation)
        if {"effective_from", "effective_to"} & changes.keys():
            _check_no_overlap(regulation.province_id, clean.get("effective_from", regulation.effective_from),
                              clean.get("effective_to", regulation.effective_to), regulation.pk)
        if "number" in changes and Regulation.objects.filter(province_id=regulation.province_id,
                                                             number=clean["number"]).exclude(pk=regulation.pk).exists():
            raise InvalidInput(_("A regulation with this number already exists in the province."), field="number")
        versioned_update(regulation, clean, version, what=_("regulation"))
        _replace_rows(regulation, standard_rows, criterion_rows)
        audit_record(actor=actor, action="network.regulation_update", obj=regulation, changes=changes)
    return regulation
