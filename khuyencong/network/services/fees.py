"""The fee sheet of a month or quarter: computed from the activity recorded, signed off by finance, paid."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from .. import performance
from ..flows import fee_sheet_flow, fee_sheet_lock
from ..models import (
    Collaborator,
    CollaboratorStatus,
    FeeLine,
    FeeSheet,
)
from ..permissions import can_manage_network
from ..selectors import fee_sheet_period, regulation_in_force
from ._common import _day, _require, _text, _today


def fee_sheet_prepare(*, actor, province: AdminUnit, period: Period) -> FeeSheet:
    """Computes (or recomputes, while a draft) the fee sheet of a month or quarter from the activity recorded and the
    fee scheme of the regulation in force at the end of the period."""
    _require(can_manage_network(actor, province.pk))
    if period.start > _today():
        raise InvalidInput(_("The period has not started yet."), field="period")
    regulation = regulation_in_force(province, min(period.end, _today())) or regulation_in_force(province, period.start)
    if regulation is None:
        raise InvalidInput(_("No network regulation of the province is in force in this period: record it first."),
                           field="period")
    scheme = performance.scheme_of(regulation)
    with transaction.atomic():
        sheet = FeeSheet.objects.select_for_update().filter(province=province, period_kind=period.kind,
                                                            year=period.year, number=period.number).first()
        if sheet is not None:
            fee_sheet_lock.check(sheet)
            fee_sheet_flow.check(sheet, actor, "recompute")
        old_total = sheet.total_vnd if sheet else None
        if sheet is None:
            sheet = FeeSheet(province=province, period_kind=period.kind, year=period.year, number=period.number)
        sheet.regulation, sheet.scheme, sheet.prepared_by, sheet.computed_at = regulation, scheme, actor, timezone.now()
        ids = list(Collaborator.objects.filter(province=province).exclude(status=CollaboratorStatus.APPLICANT)
                   .values_list("pk", flat=True))
        activity = performance.activity_for(ids, period)
        criteria = list(regulation.criteria.all())
        lines = []
        for pk, act in activity.items():
            if not act.anything:
                continue
            amounts = performance.fees(scheme, act)
            if not (act.months_active or amounts.total_vnd):
                continue
            lines.append(FeeLine(
                collaborator_id=pk, months_active=act.months_active, surveys=act.surveys,
                conversions=act.conversions, reports=act.reports, base_vnd=amounts.base_vnd,
                survey_vnd=amounts.survey_vnd, conversion_vnd=amounts.conversion_vnd, report_vnd=amounts.report_vnd,
                cap_reduction_vnd=amounts.cap_reduction_vnd, total_vnd=amounts.total_vnd,
                score=performance.score(criteria, act) or 0))
        sheet.total_vnd = sum(line.total_vnd for line in lines)
        sheet.version = (sheet.version or 0) + (1 if sheet.pk else 0)
        sheet.save()
        sheet.lines.all().delete()  # a draft's lines are a computation, replaced as a whole
        for line in lines:
            line.sheet = sheet
        FeeLine.objects.bulk_create(lines)
        audit_record(actor=actor, action="network.fee_sheet_prepare", obj=sheet,
                     changes={"total_vnd": [old_total, sheet.total_vnd], "lines": [None, len(lines)],
                              "regulation": [None, regulation.number]})
    return sheet


def fee_sheet_sign_off(*, actor, sheet: FeeSheet, version: int) -> FeeSheet:
    """A finance officer checks the draft and signs it off for payment; it can no longer be recomputed."""
    fee_sheet_lock.check(sheet)
    row = fee_sheet_flow.check(sheet, actor, "sign_off")
    with transaction.atomic():
        changes = fee_sheet_flow.commit(sheet, row, actor=actor, version=version, what=_("fee sheet"),
                                        fields={"signed_by": actor, "signed_at": timezone.now()})
        audit_record(actor=actor, action="network.fee_sheet_sign_off", obj=sheet,
                     changes={**changes, "total_vnd": [None, sheet.total_vnd]})
    return sheet


def fee_sheet_return(*, actor, sheet: FeeSheet, version: int, reason: str) -> FeeSheet:
    """A finance officer sends a signed-off sheet back to draft (to correct the data), with the reason."""
    fee_sheet_lock.check(sheet)
    row = fee_sheet_flow.check(sheet, actor, "return", inputs={"reason": reason})
    reason = _text(reason, "reason", required=True, max_length=300, message=_("Give the reason."))
    with transaction.atomic():
        changes = fee_sheet_flow.commit(sheet, row, actor=actor, version=version, what=_("fee sheet"),
                                        fields={"signed_by": None, "signed_at": None})
        audit_record(actor=actor, action="network.fee_sheet_return", obj=sheet,
                     changes={**changes, "reason": [None, reason]})
    return sheet


def fee_sheet_mark_paid(*, actor, sheet: FeeSheet, version: int, reference: str,
                        paid_on: datetime.date | None = None) -> FeeSheet:
    """Finance records the payment of a signed-off sheet, with the voucher number."""
    fee_sheet_lock.check(sheet)
    row = fee_sheet_flow.check(sheet, actor, "paid", inputs={"reference": reference})
    reference = _text(reference, "reference", required=True, max_length=120,
                      message=_("Give the payment reference (voucher number)."))
    paid_on = _day(paid_on, "paid_on", required=False) or _today()
    with transaction.atomic():
        changes = fee_sheet_flow.commit(sheet, row, actor=actor, version=version, what=_("fee sheet"),
                                        fields={"paid_on": paid_on, "payment_reference": reference})
        audit_record(actor=actor, action="network.fee_sheet_paid", obj=sheet,
                     changes={**changes, "payment_reference": [None, reference], "paid_on": [None, paid_on]})
    return sheet


def fee_sheet_act(*, actor, sheet: FeeSheet, action: str, version: int, reason: str = "", reference: str = "",
                  paid_on: datetime.date | None = None) -> FeeSheet:
    """One action of the fee sheet lifecycle (flows.py) by its name, as the sheet's page and the API send it."""
    if action == "recompute":
        return fee_sheet_prepare(actor=actor, province=sheet.province, period=fee_sheet_period(sheet))
    acts = {
        "sign_off": lambda: fee_sheet_sign_off(actor=actor, sheet=sheet, version=version),
        "return": lambda: fee_sheet_return(actor=actor, sheet=sheet, version=version, reason=reason),
        "paid": lambda: fee_sheet_mark_paid(actor=actor, sheet=sheet, version=version, reference=reference,
                                            paid_on=paid_on),
    }
    if action not in acts:
        raise InvalidInput(_("Unknown action “%(action)s”.") % {"action": action}, field="action")
    return acts[action]()
