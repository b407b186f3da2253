"""Every write of settlement: atomic, permission-checked, version-checked, audited."""

import datetime
import re

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.money import format_vnd, parse_vnd
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.projects import ledger
from khuyencong.projects.flows import settled_payment_check
from khuyencong.projects.models import LedgerKind, Project, ProjectStatus
from khuyencong.registry.parsing import parse_tax_code
from khuyencong.rules.models import RuleRow

from . import checks
from .flows import finding_flow, proposal_flow
from .models import CostInvoice, Finding, Instrument, Obstacle, ObstacleKind, ObstacleOutcome, PolicyProposal
from .permissions import can_author_proposal, can_log_obstacle, can_record_invoices, can_run_checks

TEXT_MAX = 4000


def _require(decision) -> None:
    if not decision.allowed:
        raise PermissionDenied(str(decision.reason))


def _today(on_date=None) -> datetime.date:
    return on_date or timezone.localdate()


# --- findings -------------------------------------------------------------------------------------------------------


def record_findings(*, project: Project, stage: str = "", on_date: datetime.date | None = None) -> list[Finding]:
    """Records a finding for every hit of the checks not recorded yet (a cleared or upheld one stays as decided).
    Returns the new findings. Used by the "run the checks" action and the nightly command; never by a guard."""
    hits = checks.hits_for(project, _today(on_date))
    known = set(Finding.objects.filter(project=project).values_list("check_code", "other_key"))
    created = []
    with transaction.atomic():
        for h in hits:
            if (h.check, h.other_key) in known:
                continue
            finding, new = Finding.objects.get_or_create(
                project=project, check_code=h.check, other_key=h.other_key,
                defaults={"province_id": project.province_id, "establishment_id": h.establishment_id,
                          "severity": h.severity, "stage": stage, "this_side": h.this_side,
                          "other_side": h.other_side, "reason": h.reason, "basis": h.basis,
                          "amount_vnd": max(h.amount, 0), "year": project.year})
            if new:
                created.append(finding)
                audit_record(actor=None, action="finding.create", obj=finding,
                             changes={"check_code": [None, finding.check_code], "reason": [None, finding.reason]})
    return created


def run_checks(*, actor, project: Project, stage: str = "") -> list[Finding]:
    _require(can_run_checks(actor, project))
    created = record_findings(project=project, stage=stage)
    audit_record(actor=actor, action="settlement.run_checks", obj=project,
                 changes={"findings": [None, len(created)]})
    return created


def _refund(*, actor, finding: Finding, amount: int, on_date: datetime.date):
    """An upheld finding takes the money back through the project's ledger: the same checks as a refund recorded by
    hand (state, date window, not above what was paid), appended under the project's lock. Nothing paid: nothing to
    take back (the item stays excluded by the decision)."""
    locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=finding.project_id)
    balances = ledger.project_balances(locked)
    amount = min(amount, balances.paid)
    if amount <= 0:
        return None
    settled_payment_check(locked, LedgerKind.REFUND, amount, balances)
    rule = ledger.check_payment(locked, LedgerKind.REFUND, amount, balances)
    note = _("Refund of a double support (finding no. %(pk)s): %(reason)s") % {"pk": finding.pk,
                                                                              "reason": finding.reason}
    return ledger.append(project=locked, kind=LedgerKind.REFUND, amount=amount, on_date=on_date, actor=actor,
                         reference=_("Finding %(pk)s") % {"pk": finding.pk}, note=note[:ledger.NOTE_MAX_LENGTH],
                         rule={**rule, "basis": finding.basis})


def finding_transition(*, actor, finding: Finding, action: str, inputs: dict | None = None,
                       version: int | None = None, on_date: datetime.date | None = None) -> Finding:
    """Explains, clears, upholds or reopens a finding. Upholding takes the amount at stake (or the amount given)
    back through the ledger as a refund."""
    inputs = {k: normalize_text(str(v or "")) for k, v in (inputs or {}).items()}
    for name in ("explanation", "note"):
        if len(inputs.get(name, "")) > TEXT_MAX:
            raise InvalidInput(_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX}, field=name)
    on_date = _today(on_date)
    row = finding_flow.check(finding, actor, action, inputs=inputs, on_date=on_date)
    amount = finding.amount_vnd
    if action == "uphold" and inputs.get("amount"):
        try:
            amount = parse_vnd(inputs["amount"])
        except ValueError:
            raise InvalidInput(_("Write the amount in đồng, e.g. 12.500.000."), field="amount") from None
        if amount < 0 or amount >= 2**62:
            raise InvalidInput(_("The amount cannot be negative."), field="amount")
    with transaction.atomic():
        fields = {}
        if action == "uphold":
            entry = _refund(actor=actor, finding=finding, amount=amount, on_date=on_date)
            if entry is not None:
                fields = {"refund": entry}
        changes = finding_flow.commit(finding, row, actor=actor, version=finding.version if version is None
                                      else version, inputs=inputs, on_date=on_date, fields=fields,
                                      conflict=_("Someone else changed this finding after you opened it. Reload and "
                                                 "try again."))
        if fields:
            changes["refund"] = [None, format_vnd(fields["refund"].amount_vnd)]
        audit_record(actor=actor, action=f"finding.{action}", obj=finding,
                     changes={**changes, **{k: [None, v] for k, v in inputs.items() if v}})
    return finding


# --- invoices of the settlement dossier -------------------------------------------------------------------------------

CLOSED = (ProjectStatus.SETTLED, ProjectStatus.ARCHIVED)
_SPACES = re.compile(r"\s+")


def invoice_key(number: str) -> str:
    """The key two invoice numbers are compared by: " 0000123 " and "123", "ab 12" and "AB12" are the same."""
    return _SPACES.sub("", normalize_text(number or "")).upper().lstrip("0")


def _clean_invoice(project: Project, data: dict) -> dict:
    try:
        tax_code = parse_tax_code(data.get("supplier_tax_code") or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="supplier_tax_code") from None
    number = normalize_text(data.get("number") or "")
    key = invoice_key(number)
    if not key:
        raise InvalidInput(_("Write the invoice number."), field="number")
    if len(number) > 40:
        raise InvalidInput(_("The invoice number is too long (at most 40 characters)."), field="number")
    issued_on = data.get("issued_on") or None
    if issued_on and issued_on > timezone.localdate():
        raise InvalidInput(_("The invoice date cannot be in the future."), field="issued_on")
    amount = data.get("amount")
    if not isinstance(amount, int) or amount <= 0 or amount >= 2**62:
        raise InvalidInput(_("The amount of the invoice must be more than 0 đồng."), field="amount")
    content = data.get("content") or None
    if content is not None and content.project_id != project.pk:
        raise InvalidInput(_("This cost item is not one of the project's."), field="content")
    if CostInvoice.objects.filter(project=project, supplier_tax_code=tax_code, number_key=key).exists():
        raise InvalidInput(_("This invoice is already in the project's settlement dossier."), field="number")
    return {"supplier_tax_code": tax_code, "supplier_name": normalize_text(data.get("supplier_name") or "")[:200],
            "number": number, "number_key": key, "issued_on": issued_on, "amount_vnd": amount, "content": content}


def invoice_add(*, actor, project: Project, data: dict) -> CostInvoice:
    """Records an invoice behind a cost item of the settlement dossier. The checks then match it against the invoices
    of every other project: the same invoice settled twice blocks the settlement until a decision."""
    _require(can_record_invoices(actor, project))
    if project.status in CLOSED:
        raise InvalidInput(_("The project is settled: its settlement dossier can no longer change."))
    clean = _clean_invoice(project, data)
    with transaction.atomic():
        invoice = CostInvoice.objects.create(project=project, created_by=actor, **clean)
        audit_record(actor=actor, action="invoice.add", obj=project, changes={
            "invoice": [None, f"{invoice.supplier_tax_code} {invoice.number}"],
            "amount": [None, format_vnd(invoice.amount_vnd)]})
    return invoice


def invoice_remove(*, actor, invoice: CostInvoice) -> None:
    """Takes an invoice typed by mistake out of the settlement dossier (not once the project is settled)."""
    project = invoice.project
    _require(can_record_invoices(actor, project))
    if project.status in CLOSED:
        raise InvalidInput(_("The project is settled: its settlement dossier can no longer change."))
    with transaction.atomic():
        audit_record(actor=actor, action="invoice.remove", obj=project, changes={
            "invoice": [f"{invoice.supplier_tax_code} {invoice.number}", None]})
        invoice.delete()


# --- obstacles ------------------------------------------------------------------------------------------------------


def _clean_obstacle(data: dict) -> dict:
    kind = data.get("kind") or ""
    if kind not in ObstacleKind.values:
        raise InvalidInput(_("Choose the kind of obstacle."), field="kind")
    description = normalize_text(data.get("description") or "")
    owner = normalize_text(data.get("owner") or "")
    if not description:
        raise InvalidInput(_("Describe the obstacle."), field="description")
    if not owner:
        raise InvalidInput(_("Say who deals with it."), field="owner")
    if len(description) > TEXT_MAX or len(owner) > 200:
        raise InvalidInput(_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX}, field="description")
    raised_on = data.get("raised_on") or timezone.localdate()
    due_on = data.get("due_on") or None
    if due_on and due_on < raised_on:
        raise InvalidInput(_("The date to solve it by cannot be before the date it was raised."), field="due_on")
    return {"kind": kind, "description": description, "owner": owner, "raised_on": raised_on, "due_on": due_on}


def obstacle_add(*, actor, project: Project, data: dict) -> Obstacle:
    _require(can_log_obstacle(actor, project))
    clean = _clean_obstacle(data)
    with transaction.atomic():
        obstacle = Obstacle.objects.create(project=project, province_id=project.province_id, **clean)
        audit_record(actor=actor, action="obstacle.add", obj=obstacle,
                     changes={"kind": [None, clean["kind"]], "description": [None, clean["description"]]})
    return obstacle


def obstacle_close(*, actor, obstacle: Obstacle, outcome: str, resolution: str, version: int | None,
                   settled_part: int | None = None, on_date: datetime.date | None = None) -> Obstacle:
    """Closes an obstacle with its outcome. The force-majeure path ends in a partial settlement: its amount is the
    part settled, named in the resolution (TT 36/2013 Art 18.4)."""
    _require(can_log_obstacle(actor, obstacle.project))
    if obstacle.resolved_on is not None:
        raise InvalidInput(_("This obstacle is already closed."), field="outcome")
    if outcome not in ObstacleOutcome.values:
        raise InvalidInput(_("Choose how the obstacle ended."), field="outcome")
    resolution = normalize_text(resolution or "")
    if not resolution:
        raise InvalidInput(_("Write how it was resolved."), field="resolution")
    if outcome == ObstacleOutcome.PARTIAL:
        if obstacle.kind != ObstacleKind.FORCE_MAJEURE:
            raise InvalidInput(_("A partial settlement is only for an obstacle of force majeure."), field="outcome")
        if settled_part is None or settled_part < 0:
            raise InvalidInput(_("Give the part of the work settled."), field="settled_part")
    else:
        settled_part = None
    data = {"outcome": outcome, "resolution": resolution[:TEXT_MAX], "resolved_on": _today(on_date),
            "settled_part_vnd": settled_part}
    changes = field_changes(obstacle, data)
    with transaction.atomic():
        versioned_update(obstacle, data, version, conflict=_("Someone else changed this obstacle after you opened "
                                                             "it. Reload and try again."))
        audit_record(actor=actor, action="obstacle.close", obj=obstacle, changes=changes)
    return obstacle


# --- policy proposals -----------------------------------------------------------------------------------------------


def _rule_exists(key: str) -> bool:
    return any(model.objects.filter(key=key).exists() for model in apps.get_models()
               if issubclass(model, RuleRow) and not model._meta.abstract)


def _clean_proposal(data: dict) -> dict:
    clean = {name: normalize_text(data.get(name) or "") for name in ("title", "problem", "proposed_text")}
    if not clean["title"]:
        raise InvalidInput(_("Give the proposal a title."), field="title")
    if len(clean["title"]) > 300:
        raise InvalidInput(_("The title is too long (at most 300 characters)."), field="title")
    if not clean["problem"]:
        raise InvalidInput(_("Describe the problem."), field="problem")
    if not clean["proposed_text"]:
        raise InvalidInput(_("Write the text proposed."), field="proposed_text")
    for name in ("problem", "proposed_text"):
        if len(clean[name]) > TEXT_MAX * 3:
            raise InvalidInput(_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX * 3},
                               field=name)
    if data.get("instrument") not in Instrument.values:
        raise InvalidInput(_("Choose the instrument targeted."), field="instrument")
    clean["instrument"] = data["instrument"]
    codes = data.get("indicator_codes") or []
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.replace(";", ",").split(",")]
    clean["indicator_codes"] = [c[:80] for c in codes if c][:20]
    return clean


def proposal_create(*, actor, data: dict, province=None, evidence: dict | None = None) -> PolicyProposal:
    _require(can_author_proposal(actor, province.pk if province else None))
    clean = _clean_proposal(data)
    with transaction.atomic():
        proposal = PolicyProposal.objects.create(province=province, created_by=actor, **clean)
        _set_evidence(proposal, evidence or {})
        audit_record(actor=actor, action="proposal.create", obj=proposal, changes={"title": [None, proposal.title]})
    return proposal


def _set_evidence(proposal: PolicyProposal, evidence: dict) -> None:
    if "obstacles" in evidence:
        proposal.obstacles.set(evidence["obstacles"])
    if "findings" in evidence:
        proposal.findings.set(evidence["findings"])
    if "lessons" in evidence:
        proposal.lessons.set(evidence["lessons"])


def proposal_transition(*, actor, proposal: PolicyProposal, action: str, inputs: dict | None = None,
                        version: int | None = None) -> PolicyProposal:
    inputs = {k: normalize_text(str(v or ""))[:120] for k, v in (inputs or {}).items()}
    if action == "adopt" and inputs.get("rule_key") and not _rule_exists(inputs["rule_key"]):
        raise InvalidInput(_("No rule row has the key “%(key)s”: add the rule first, then record the adoption.")
                           % {"key": inputs["rule_key"]}, field="rule_key")
    row = proposal_flow.check(proposal, actor, action, inputs=inputs)
    with transaction.atomic():
        changes = proposal_flow.commit(proposal, row, actor=actor, inputs=inputs,
                                       version=proposal.version if version is None else version,
                                       conflict=_("Someone else changed this proposal after you opened it. Reload "
                                                  "and try again."))
        audit_record(actor=actor, action=f"proposal.{action}", obj=proposal, changes=changes)
    return proposal
