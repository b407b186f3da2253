"""Adjustments of an approved project: the request (a content's budget, a content, the schedule, a beneficiary),
routed to the authority the rules name, and its decision, which applies the change."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import Conflict, InvalidInput, NotFound
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import check_version
from khuyencong.registry.models import Establishment
from khuyencong.rules import engine
from khuyencong.rules.engine import content_get

from .. import checks, ledger
from ..ledger import project_balances
from ..models import (
    AdjustmentKind,
    AdjustmentRequest,
    AdjustmentStatus,
    AnnualPlan,
    LedgerEntry,
    LedgerKind,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectKind,
)
from ..permissions import can_decide_adjustment, can_request_adjustment
from .common import act_date, pairs, require, text_of


def _authority(project: Project, decision: str, on_date: datetime.date) -> dict:
    """Who decides a change: for a national project the authority the rules name for that kind of change
    (TT 36/2013/TT-BCT Điều 11); for a local one the provincial People's Committee (the province's procedure)."""
    if not project.is_national:
        return {"authority": "provincial_pc", "authority_label": _("Provincial People's Committee (local procedure)"),
                "authority_basis": _("TT 46/2012/TT-BCT, Article 8.3.b (the province sets the procedure)")}
    kind = project.kind if project.kind != ProjectKind.TASK else None
    rule = engine.change_authority(decision, kind, on_date)
    return {"authority": rule.authority, "authority_label": rule.authority_label, "authority_basis": rule.basis}


def _content_change(project: Project, row: ProjectContent, item, eligible_cost: int, support: int,
                    on_date: datetime.date):
    """The quote of a content's new amounts (refused above it, naming the rule)."""
    eligible_cost = check_amount(eligible_cost, field="new_eligible_cost")
    support = check_amount(support, field="new_support")
    if support + row.other_sources_vnd > eligible_cost:
        raise InvalidInput(_("The support and the other sources (%(other)s) cannot exceed the eligible cost.") % {
            "other": format_vnd(row.other_sources_vnd)}, field="new_support")
    quote = checks.quote_for(project=project, content=item, eligible_cost=eligible_cost, variant=row.variant,
                             on_date=on_date)
    if support > quote.support_vnd:
        raise InvalidInput(checks.quote_limit_message(content_name=item.name, requested=support, quote=quote),
                           code="above_quote", field="new_support")
    return quote


def adjustment_request(*, actor, project: Project, kind: str, reason: str, content_row_id: int | None = None,
                       new_content=None, new_eligible_cost: int | None = None, new_support: int | None = None,
                       new_end_date: datetime.date | None = None, old_establishment_id: int | None = None,
                       new_establishment: Establishment | None = None,
                       requested_on: datetime.date | None = None) -> AdjustmentRequest:
    """Records a request to change an approved project — a content's budget, a content, the schedule or a
    beneficiary — checked now (quotes, eligibility, dates) and routed to the authority the rules name."""
    require(can_request_adjustment(actor, project))
    requested_on = act_date(requested_on)
    reason = text_of(reason)
    if not reason:
        raise InvalidInput(_("Write the reasons for the change."), field="reason")
    if kind not in AdjustmentKind.values:
        raise InvalidInput(_("Choose the kind of change."), field="kind")
    if project.adjustments.filter(status=AdjustmentStatus.PENDING).exists():
        raise InvalidInput(_("Another adjustment of this project awaits its decision: wait for it first."),
                           field="kind")
    fields: dict = {}
    if kind in (AdjustmentKind.BUDGET, AdjustmentKind.CONTENT):
        row = project.contents.select_related("content").filter(pk=content_row_id).first()
        if row is None:
            raise InvalidInput(_("Choose the content to change."), field="content_row")
        item = row.content
        if kind == AdjustmentKind.CONTENT:
            if new_content is None:
                raise InvalidInput(_("Choose the new KC content."), field="new_content")
            item = content_get(new_content, requested_on)
            if item.pk == row.content_id:
                raise InvalidInput(_("The new content is the same as the current one."), field="new_content")
        cost = row.eligible_cost_vnd if new_eligible_cost is None else new_eligible_cost
        support = row.requested_support_vnd if new_support is None else new_support
        _content_change(project, row, item, cost, support, requested_on)
        total = sum(r.requested_support_vnd for r in project.contents.all()) - row.requested_support_vnd + support
        approved = project_balances(project).approved
        if kind == AdjustmentKind.CONTENT:
            decision = "change_content"
        else:
            if support == row.requested_support_vnd and cost == row.eligible_cost_vnd:
                raise InvalidInput(_("The new amounts are the same as the current ones."), field="new_support")
            decision = "increase_budget" if total > approved else "reduce_budget"
        fields = {"content_row": row, "new_content": item if kind == AdjustmentKind.CONTENT else None,
                  "new_eligible_cost_vnd": cost, "new_support_vnd": support}
        summary = _("%(content)s: support %(old)s → %(new)s, eligible cost %(cost_old)s → %(cost_new)s") % {
            "content": f"{row.content.name} → {item.name}" if item.pk != row.content_id else row.content.name,
            "old": format_vnd(row.requested_support_vnd), "new": format_vnd(support),
            "cost_old": format_vnd(row.eligible_cost_vnd), "cost_new": format_vnd(cost)}
    elif kind == AdjustmentKind.SCHEDULE:
        if isinstance(new_end_date, datetime.datetime) or not isinstance(new_end_date, datetime.date):
            raise InvalidInput(_("Give the new planned end."), field="new_end_date")
        if project.start_date and new_end_date < project.start_date:
            raise InvalidInput(_("The planned end cannot be before the planned start."), field="new_end_date")
        if new_end_date == project.end_date:
            raise InvalidInput(_("The new planned end is the same as the current one."), field="new_end_date")
        decision = "extend_next_year" if new_end_date.year > project.plan.year else "change_timing"
        fields = {"new_end_date": new_end_date}
        summary = _("Planned end %(old)s → %(new)s") % {"old": checks.dmy(project.end_date),
                                                         "new": checks.dmy(new_end_date)}
    else:
        link = project.beneficiary_links.select_related("establishment").filter(
            establishment_id=old_establishment_id).first()
        if link is None:
            raise InvalidInput(_("Choose the beneficiary to replace."), field="old_establishment")
        if new_establishment is None or new_establishment.province_id != project.province_id:
            raise InvalidInput(_("Choose the new beneficiary among the establishments of the project's province."),
                               field="new_establishment")
        if project.beneficiary_links.filter(establishment=new_establishment).exists():
            raise InvalidInput(_("This establishment is already a beneficiary."), field="new_establishment")
        snapshot = checks.eligibility_snapshot(new_establishment, requested_on)
        if not snapshot["eligible"]:
            raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: "
                                 "%(reasons)s") % {"name": new_establishment.name, "date": checks.dmy(requested_on),
                                                   "reasons": " ".join(snapshot["reasons"])},
                               field="new_establishment")
        decision = "change_beneficiary"
        fields = {"old_establishment": link.establishment, "new_establishment": new_establishment}
        summary = _("Beneficiary %(old)s → %(new)s") % {"old": link.establishment.name,
                                                         "new": new_establishment.name}
    with transaction.atomic():
        request = AdjustmentRequest.objects.create(
            project=project, kind=kind, summary=summary[:400], reason=reason, requested_on=requested_on,
            requested_by=actor, decision_kind=decision, **_authority(project, decision, requested_on), **fields)
        audit_record(actor=actor, action="project.adjustment_request", obj=project, changes=pairs({
            "adjustment": request.summary, "decision": decision, "authority": request.authority_label}))
    return request


def _replace_approval(project: Project, total: int, *, actor, on_date, reference: str, note: str) -> None:
    """The approved support becomes `total`: the last approval entry is reversed and a new one appended (the
    ledger is never changed in place)."""
    balances = project_balances(project)
    if total == balances.approved:
        return
    if total < balances.contracted:
        raise InvalidInput(_("The support cannot drop below the contracted support, %(amount)s: amend the contract "
                             "first.") % {"amount": format_vnd(balances.contracted)}, field="new_support")
    if total < balances.paid:
        raise InvalidInput(_("The support cannot drop below what has been paid, %(amount)s.") % {
            "amount": format_vnd(balances.paid)}, field="new_support")
    if total > balances.approved:
        plan = AnnualPlan.objects.select_for_update().get(pk=project.plan_id)
        ledger.check_approval(plan, total - balances.approved)
    last = LedgerEntry.objects.filter(project=project, kind=LedgerKind.APPROVED, reverses__isnull=True,
                                      reversed_by__isnull=True).order_by("-id").first()
    if last is not None:
        ledger.append(project=project, kind=LedgerKind.APPROVED, amount=-last.amount_vnd, on_date=on_date,
                      actor=actor, reference=reference, note=note, reverses=last)
    remaining = balances.approved - (last.amount_vnd if last else 0)
    if total - remaining > 0:
        ledger.append(project=project, kind=LedgerKind.APPROVED, amount=total - remaining, on_date=on_date,
                      actor=actor, reference=reference, note=note)


def _apply_adjustment(request: AdjustmentRequest, project: Project, *, actor, on_date, reference, note) -> dict:
    if request.kind in (AdjustmentKind.BUDGET, AdjustmentKind.CONTENT):
        row = ProjectContent.objects.select_for_update().select_related("content").get(pk=request.content_row_id)
        item = request.new_content or row.content
        quote = _content_change(project, row, item, request.new_eligible_cost_vnd, request.new_support_vnd, on_date)
        total = (sum(r.requested_support_vnd for r in project.contents.all()) - row.requested_support_vnd
                 + request.new_support_vnd)
        before = {"content": row.content.code, "eligible_cost_vnd": row.eligible_cost_vnd,
                  "requested_support_vnd": row.requested_support_vnd}
        row.content = item
        row.eligible_cost_vnd = request.new_eligible_cost_vnd
        row.requested_support_vnd = request.new_support_vnd
        row.counterpart_vnd = row.eligible_cost_vnd - row.requested_support_vnd - row.other_sources_vnd
        row.quote_support_vnd, row.quote, row.quoted_on = quote.support_vnd, checks.jsonable(quote.as_dict()), on_date
        row.save()
        _replace_approval(project, total, actor=actor, on_date=on_date, reference=reference, note=note)
        return {"before": before, "after": {"content": item.code, "eligible_cost_vnd": row.eligible_cost_vnd,
                                            "requested_support_vnd": row.requested_support_vnd},
                "approved_vnd": total}
    if request.kind == AdjustmentKind.SCHEDULE:
        before = project.end_date
        project.end_date = request.new_end_date
        deadline = checks.next_deadline(project, project.status)
        project.due_date, project.due_label, project.due_basis = deadline.due, deadline.label, deadline.basis
        return {"end_date": [checks.jsonable(before), checks.jsonable(project.end_date)]}
    link = project.beneficiary_links.filter(establishment=request.old_establishment_id).first()
    if link is None:
        raise InvalidInput(_("The beneficiary to replace is no longer in the project."), field="old_establishment")
    snapshot = checks.eligibility_snapshot(request.new_establishment, on_date)
    if not snapshot["eligible"]:
        raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: %(reasons)s")
                           % {"name": request.new_establishment.name, "date": checks.dmy(on_date),
                              "reasons": " ".join(snapshot["reasons"])}, field="new_establishment")
    link.delete()
    ProjectBeneficiary.objects.create(project=project, establishment=request.new_establishment, **snapshot)
    project.contents.filter(establishment_id=request.old_establishment_id).update(
        establishment=request.new_establishment)
    return {"beneficiary": [request.old_establishment.name, request.new_establishment.name]}


def adjustment_decide(*, actor, project: Project, request_id: int, approve: bool, reference: str = "",
                      note: str = "", version: int, decided_on: datetime.date | None = None) -> AdjustmentRequest:
    """Records the authority's decision on a request; an approval applies the change (content amounts and the
    approved support in the ledger, the planned end, the beneficiary) in the same transaction, audited."""
    decided_on = act_date(decided_on)
    reference, note = normalize_text(reference)[:120], text_of(note)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        request = AdjustmentRequest.objects.select_for_update(of=("self",)).select_related(
            "old_establishment", "new_establishment", "new_content").filter(project=locked, pk=request_id).first()
        if request is None:
            raise NotFound(_("Adjustment request not found."))
        require(can_decide_adjustment(actor, locked, request.authority))
        changed = _("This request was decided or changed after you opened it. Reload the page.")
        if request.status != AdjustmentStatus.PENDING:
            raise Conflict(changed)
        check_version(request, version, conflict=changed)
        if approve and not reference:
            raise InvalidInput(_("Give the number of the decision."), field="reference")
        if not approve and not note:
            raise InvalidInput(_("Write the reasons for refusing."), field="note")
        if decided_on < request.requested_on:
            raise InvalidInput(_("The decision cannot be dated before the request."), field="decided_on")
        effects = _apply_adjustment(request, locked, actor=actor, on_date=decided_on, reference=reference,
                                    note=note) if approve else {}
        request.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        request.decided_on, request.decided_by = decided_on, actor
        request.decision_reference, request.decision_note = reference, note
        request.effects = checks.jsonable(effects)
        request.version += 1
        request.save()
        if approve:
            locked.version += 1
            locked.save()
        audit_record(actor=actor, action=f"project.adjustment_{request.status}", obj=locked, changes=pairs({
            "adjustment": request.summary, "reference": reference, "note": note, **request.effects}))
    return request
