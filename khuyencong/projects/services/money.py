"""Payments recorded by hand in a project's ledger: advances, disbursements, refunds, and their reversal."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.core.text import normalize_text

from .. import ledger
from ..flows import project_lock, settled_payment_check
from ..ledger import project_balances
from ..models import LedgerEntry, Project
from ..permissions import can_record_money
from .common import act_date, pairs, require


def ledger_record(*, actor, project: Project, kind: str, amount: int, on_date: datetime.date | None = None,
                  reference: str = "", note: str = "") -> LedgerEntry:
    """Records an advance, a disbursement or a refund. Refused, with the limit named, when it would pass the
    approved or contracted support, the first-advance percentage or the treasury cap on advances; refused too when
    dated outside the plan's ledger window or when the voucher number or note is too long (never cut)."""
    require(can_record_money(actor, project))
    on_date = act_date(on_date)
    reference, note = normalize_text(reference or ""), (note or "").strip()
    ledger.check_entry(project=project, on_date=on_date, reference=reference, note=note)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        balances = project_balances(locked)
        settled_payment_check(locked, kind, amount, balances)
        rule = ledger.check_payment(locked, kind, amount, balances)
        entry = ledger.append(project=locked, kind=kind, amount=amount, on_date=on_date, actor=actor,
                              reference=reference, note=note, rule=rule)
        audit_record(actor=actor, action="project.ledger_record", obj=locked, changes=pairs({
            "kind": kind, "amount_vnd": amount, "reference": entry.reference}))
    return entry


def ledger_reverse(*, actor, project: Project, entry_id: int, note: str,
                   on_date: datetime.date | None = None) -> LedgerEntry:
    """Corrects a wrong advance, disbursement or refund by an entry of the opposite amount: nothing is erased. A
    settled project's entries are what the settlement balanced: none is reversed any more."""
    require(can_record_money(actor, project))
    project_lock.check(project)
    on_date = act_date(on_date)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write why the entry is reversed."), field="note")
    ledger.check_entry(project=project, on_date=on_date, reference="", note=note)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        entry = LedgerEntry.objects.filter(project=locked, pk=entry_id).select_related("reverses").first()
        if entry is None:
            raise NotFound(_("Ledger entry not found."))
        ledger.check_reversal(entry, project_balances(locked))
        reversal = ledger.append(project=locked, kind=entry.kind, amount=-entry.amount_vnd, on_date=on_date,
                                 actor=actor, reference=entry.reference, note=note, reverses=entry)
        audit_record(actor=actor, action="project.ledger_reverse", obj=locked, changes=pairs({
            "kind": entry.kind, "amount_vnd": -entry.amount_vnd, "reverses": entry.pk}))
    return reversal
