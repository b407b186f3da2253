"""Writes of annual plans and programmes: opening a plan with its envelope, its approval and adjustments."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import check_version
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import FundSource

from ..ledger import plan_approved_total
from ..models import AnnualPlan, PlanAdjustment, Programme
from ..permissions import can_create_plan, can_edit_plan
from .common import act_date, pairs, require

PLAN_CHANGED = _("Someone else changed this plan after you opened it. Reload the page.")


def _plan_name(year: int, fund: str, province: AdminUnit | None) -> str:
    if fund == FundSource.NATIONAL:
        return _("National KC plan %(year)s") % {"year": year}
    return _("Local KC plan %(year)s — %(province)s") % {"year": year, "province": province.name}


def plan_create(*, actor, year: int, fund: str, province: AdminUnit | None, envelope: int,
                programme: Programme | None = None, name: str = "", note: str = "") -> AnnualPlan:
    """Opens the annual plan of a fund (national: one for the country; local: one per province) with its budget
    envelope — the budget ceiling it is built against, replaced by the decision's amount when approved."""
    if fund not in FundSource.values:
        raise InvalidInput(_("The fund must be “national” or “local”."), field="fund")
    if fund == FundSource.NATIONAL:
        province = None
    elif province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("A local plan needs one of today's 34 provinces."), field="province")
    require(can_create_plan(actor, fund, province.pk if province else None))
    if isinstance(year, bool) or not isinstance(year, int) or not 2012 <= year <= 2100:
        raise InvalidInput(_("The plan year must be between 2012 and 2100."), field="year")
    envelope = check_amount(envelope, field="envelope")
    if programme is not None and (programme.fund != fund or programme.province_id != (province.pk if province else None)
                                  or not programme.start_year <= year <= programme.end_year):
        raise InvalidInput(_("The programme does not cover this fund, province and year."), field="programme")
    with transaction.atomic():
        exists = AnnualPlan.objects.filter(year=year, fund=fund, province=province).exists()
        if exists:
            raise InvalidInput(_("This plan already exists."), field="year")
        plan = AnnualPlan.objects.create(
            year=year, fund=fund, province=province, programme=programme, envelope_vnd=envelope,
            initial_envelope_vnd=envelope, name=normalize_text(name) or _plan_name(year, fund, province),
            note=(note or "").strip(),
        )
        audit_record(actor=actor, action="plan.create", obj=plan, changes=pairs({
            "name": plan.name, "envelope_vnd": envelope}))
    return plan


def _decision_inputs(decision_number: str, decision_date) -> tuple[str, datetime.date]:
    number = normalize_text(decision_number)[:80]
    if not number:
        raise InvalidInput(_("Give the number of the decision."), field="decision_number")
    return number, act_date(decision_date)


def plan_approve(*, actor, plan: AnnualPlan, decision_number: str, decision_date: datetime.date, signer: str = "",
                 envelope: int | None = None, version: int) -> AnnualPlan:
    """Records the decision approving the plan (the Minister's for the national plan, the People's Committee's for a
    local one) and its amount."""
    require(can_edit_plan(actor, plan))
    number, on_date = _decision_inputs(decision_number, decision_date)
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        check_version(locked, version, conflict=PLAN_CHANGED)
        if locked.is_approved:
            raise InvalidInput(_("The plan's approval is already recorded: record an adjustment decision instead."))
        data = {"decision_number": number, "decision_date": on_date, "signer": normalize_text(signer)[:150]}
        if envelope is not None:
            envelope = check_amount(envelope, field="envelope")
            approved = plan_approved_total(locked)
            if envelope < approved:
                raise InvalidInput(_("The envelope cannot be less than the support already approved, %(approved)s.")
                                   % {"approved": format_vnd(approved)}, field="envelope")
            data["envelope_vnd"] = envelope
        changes = field_changes(locked, data)
        for key, value in data.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action="plan.approve", obj=locked, changes=changes)
    return locked


def plan_adjust(*, actor, plan: AnnualPlan, envelope: int, decision_number: str, decision_date: datetime.date,
                signer: str = "", reason: str = "", version: int) -> PlanAdjustment:
    """Records a dated decision changing the plan's envelope; refused below the support already approved."""
    require(can_edit_plan(actor, plan))
    number, on_date = _decision_inputs(decision_number, decision_date)
    envelope = check_amount(envelope, field="envelope")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        check_version(locked, version, conflict=PLAN_CHANGED)
        if not locked.is_approved:
            raise InvalidInput(_("Record the plan's approval decision before adjusting it."))
        if locked.decision_date and on_date < locked.decision_date:
            raise InvalidInput(_("An adjustment cannot be dated before the plan's approval."), field="decision_date")
        approved = plan_approved_total(locked)
        if envelope < approved:
            raise InvalidInput(_("The envelope cannot be less than the support already approved, %(approved)s.")
                               % {"approved": format_vnd(approved)}, field="envelope")
        adjustment = PlanAdjustment.objects.create(
            plan=locked, decision_number=number, decision_date=on_date, signer=normalize_text(signer)[:150],
            previous_envelope_vnd=locked.envelope_vnd, envelope_vnd=envelope, reason=(reason or "").strip(),
            created_by=actor,
        )
        audit_record(actor=actor, action="plan.adjust", obj=locked, changes={
            "envelope_vnd": [locked.envelope_vnd, envelope], "decision": [None, number]})
        locked.envelope_vnd = envelope
        locked.version += 1
        locked.save(update_fields=["envelope_vnd", "version", "updated_at"])
    return adjustment


def programme_create(*, actor, name: str, fund: str, province: AdminUnit | None, start_year: int,
                     decision_number: str = "", decision_date: datetime.date | None = None,
                     signer: str = "") -> Programme:
    """Records a five-year KC programme (national, or a province's)."""
    if fund == FundSource.NATIONAL:
        province = None
    require(can_create_plan(actor, fund, province.pk if province else None))
    with transaction.atomic():
        programme = Programme.objects.create(
            name=normalize_text(name), fund=fund, province=province, start_year=start_year,
            end_year=start_year + 4, decision_number=normalize_text(decision_number), decision_date=decision_date,
            signer=normalize_text(signer),
        )
        audit_record(actor=actor, action="programme.create", obj=programme,
                     changes=pairs({"name": programme.name, "years": f"{start_year}–{start_year + 4}"}))
    return programme
