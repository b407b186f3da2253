"""An event's budget: lines quoted by the rules in force on its first day, and what each line cost."""

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.rules import engine

from ..models import BudgetLine, Event
from ..permissions import can_edit_budget, can_record_spending
from ..vocab import LineKind, line_variant
from .common import _jsonable, require


def quote_line(event: Event, *, kind: str, amount: int):
    """The rule's quote for a cost of the event, or (None, why there is no verified rate)."""
    variant = line_variant(event.content.code, kind, event.is_overseas)
    province = event.province.code if event.province_id else None
    try:
        quote = engine.support_quote(event.content, event.fund, province, amount, event.start_date, variant=variant)
    except InvalidInput as exc:
        return None, exc.message
    return quote, ""


def quote_fields(quote, message: str) -> dict:
    if quote is None:
        return {"quote_support_vnd": None, "quote": {}, "quote_message": message[:500]}
    return {"quote_support_vnd": quote.support_vnd, "quote": _jsonable(quote.as_dict()), "quote_message": ""}


def above_quote(label: str, support: int, quote) -> InvalidInput:
    return InvalidInput(
        _("The KC support asked for %(item)s (%(support)s) is more than the rule allows: %(limit)s (%(basis)s).") % {
            "item": label, "support": format_vnd(support), "limit": format_vnd(quote.support_vnd),
            "basis": quote.rule.basis},
        code="above_quote", field="support")


def budget_line_add(*, actor, event: Event, kind: str, unit_cost: int, quantity: int = 1,
                    support: int | None = None, description: str = "") -> BudgetLine:
    """Adds a cost to a planned event. The KC support asked is checked against the rule in force on the event's
    first day; without a support figure, it is the rule's maximum. Where the rules hold no verified rate the line
    says so and the support asked is not checked (nor assumed)."""
    require(can_edit_budget(actor, event))
    if kind not in LineKind.values:
        raise InvalidInput(_("Choose the kind of cost."), field="kind")
    unit_cost = check_amount(unit_cost, field="unit_cost")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(_("The quantity is a whole number of at least 1."), field="quantity")
    amount = unit_cost * quantity
    quote, message = quote_line(event, kind=kind, amount=amount)
    if support is None:
        support = min(quote.support_vnd, amount) if quote else 0
    support = check_amount(support, field="support")
    if support > amount:
        raise InvalidInput(_("The KC support asked cannot be more than the cost (%(cost)s).") % {
            "cost": format_vnd(amount)}, field="support")
    if quote is not None and support > quote.support_vnd:
        raise above_quote(LineKind(kind).label.lower(), support, quote)
    with transaction.atomic():
        line = BudgetLine.objects.create(
            event=event, kind=kind, description=normalize_text(description)[:300], quantity=quantity,
            unit_cost_vnd=unit_cost, amount_vnd=amount, support_vnd=support, quoted_on=event.start_date,
            **quote_fields(quote, message))
        audit_record(actor=actor, action="event.budget_add", obj=event, changes={
            "line": [None, f"{line.get_kind_display()}: {amount} / {support}"]})
    return line


def budget_line_remove(*, actor, line: BudgetLine) -> None:
    event = line.event
    require(can_edit_budget(actor, event))
    with transaction.atomic():
        label = f"{line.get_kind_display()}: {line.amount_vnd} / {line.support_vnd}"
        line.delete()
        audit_record(actor=actor, action="event.budget_remove", obj=event, changes={"line": [label, None]})


def budget_line_spent(*, actor, line: BudgetLine, spent: int) -> BudgetLine:
    """Records what a line actually cost, for the settlement (the support paid never exceeds it)."""
    require(can_record_spending(actor, line.event))
    spent = check_amount(spent, field="spent")
    with transaction.atomic():
        changes = field_changes(line, {"spent_vnd": spent})
        versioned_update(line, {"spent_vnd": spent}, line.version, conflict=_(
            "Someone else changed this line after you opened it. Reload and try again."))
        audit_record(actor=actor, action="event.budget_spent", obj=line.event, changes=changes)
    return line


def requote_lines(event: Event) -> None:
    for line in event.budget_lines.all():
        quote, message = quote_line(event, kind=line.kind, amount=line.amount_vnd)
        if quote is not None and line.support_vnd > quote.support_vnd:
            raise above_quote(line.get_kind_display().lower(), line.support_vnd, quote)
        fields = quote_fields(quote, message)
        BudgetLine.objects.filter(pk=line.pk).update(**fields, quoted_on=event.start_date)
