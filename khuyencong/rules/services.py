"""Writes to the rule tables: loading the data files, and a system administrator's edits (from the admin)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput, PermissionDenied

from .loader import DATA_DIR, load_rules
from .models import RowOrigin, RuleRow
from .permissions import can_edit_rules


def rules_load(*, actor=None, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Brings the rule tables in line with the data files (idempotent). Run by deployments (`manage.py load_rules`,
    actor None) or by a system administrator. One audit event when anything changed."""
    if actor is not None:
        decision = can_edit_rules(actor)
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
    with transaction.atomic():
        counts = load_rules(data_dir=data_dir)
        if any(n for table in counts.values() for name, n in table.items() if name != "kept_admin_edits"):
            audit_record(actor=actor, action="rules.load", changes=counts)
    return counts


def rule_save(*, actor, rule: RuleRow, changes: dict | None = None) -> RuleRow:
    """A system administrator adds or corrects a rule row. The row is validated (no overlapping validity for the same
    scope and item) and marked as edited in the admin, so reloading the data file no longer overwrites it."""
    decision = can_edit_rules(actor)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    adding = rule.pk is None
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise InvalidInput("; ".join(exc.messages)) from exc
    with transaction.atomic():
        rule.origin = RowOrigin.ADMIN
        if not adding:
            rule.version += 1
        rule.save()
        audit_record(
            actor=actor, action=f"rules.{rule._meta.model_name}.{'add' if adding else 'change'}", obj=rule,
            changes=changes or {},
        )
    return rule


def rule_delete(*, actor, rule: RuleRow) -> None:
    """A system administrator removes a rule row (a row still pointed to, like a content with rates, is refused)."""
    decision = can_edit_rules(actor)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        audit_record(actor=actor, action=f"rules.{rule._meta.model_name}.delete", obj=rule)
        rule.delete()
