"""A project's money: the balances summed from its ledger, and the rules every entry passes through `append`:

- approved support within the plan's envelope;
- contracted within approved, settled within contracted;
- advances: the first advance within the first-advance percentage of each content and, before acceptance, all
  advances within the treasury cap (both read from the rules frozen at approval, never literals);
- payments (advances + disbursements − refunds) never beyond the contracted, hence the approved, support;
- refunds never beyond what was paid;
- every entry dated within the plan's ledger window and its voucher number and note within their lengths (never cut).

Balances are never stored: they are sums of ledger rows (and of the contents' requested support for "planned"), so a
page, an export and the API always agree with the ledger. Callers hold the project's row lock (select_for_update) so
two payments cannot both pass the same check.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BigIntegerField, Case, F, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount, format_vnd

from . import checks
from .models import AnnualPlan, LedgerEntry, LedgerKind, Project, ProjectContent, ProjectStatus

# The balance fields in the order money flows, with the ledger kind each sums.
BALANCE_KINDS = {
    "approved": LedgerKind.APPROVED,
    "contracted": LedgerKind.CONTRACTED,
    "advanced": LedgerKind.ADVANCE,
    "disbursed": LedgerKind.DISBURSEMENT,
    "settled": LedgerKind.SETTLEMENT,
    "refunded": LedgerKind.REFUND,
}

@dataclass(frozen=True)
class Balances:
    """planned → approved → contracted → advanced → disbursed → settled, and refunds. Integer đồng.

    `settlement_recorded` says the project's settlement is recorded (its amount may be zero, for a project stopped
    before any work): only then is a difference between paid and settled owed one way or the other.
    """

    planned: int = 0
    approved: int = 0
    contracted: int = 0
    advanced: int = 0
    disbursed: int = 0
    settled: int = 0
    refunded: int = 0
    settlement_recorded: bool = field(default=False, compare=False)

    @property
    def paid(self) -> int:
        """Money that left the budget and did not come back."""
        return self.advanced + self.disbursed - self.refunded

    @property
    def to_refund(self) -> int:
        """After settlement: paid beyond the settled amount, owed back to the budget."""
        return max(0, self.paid - self.settled) if self.settlement_recorded else 0

    @property
    def to_pay(self) -> int:
        """After settlement: settled but not yet paid."""
        return max(0, self.settled - self.paid) if self.settlement_recorded else 0

    def as_dict(self) -> dict:
        return {**{name: getattr(self, name) for name in AMOUNTS}, "paid": self.paid, "to_refund": self.to_refund,
                "to_pay": self.to_pay}

    def __add__(self, other: "Balances") -> "Balances":
        return Balances(**{name: getattr(self, name) + getattr(other, name) for name in AMOUNTS})


AMOUNTS = ("planned", "approved", "contracted", "advanced", "disbursed", "settled", "refunded")
PAID_IN = (LedgerKind.ADVANCE, LedgerKind.DISBURSEMENT)  # money out of the budget; a REFUND brings it back


def paid_sum(prefix: str = "") -> Sum:
    """`Balances.paid` (advances + disbursements − refunds) as one SQL aggregate over ledger entries: the indicator
    catalogue's "paid out" and "disbursement rate" sum exactly what a project's page calls paid."""
    amount = F(f"{prefix}amount_vnd")
    return Sum(Case(When(**{f"{prefix}kind__in": PAID_IN}, then=amount),
                    When(**{f"{prefix}kind": LedgerKind.REFUND}, then=-amount), default=0,
                    output_field=BigIntegerField()))



def project_balances(project: Project) -> Balances:
    """One project's balances, from two aggregate queries."""
    sums = dict(
        LedgerEntry.objects.filter(project=project).order_by().values_list("kind").annotate(s=Sum("amount_vnd"))
    )
    planned = ProjectContent.objects.filter(project=project).aggregate(s=Sum("requested_support_vnd"))["s"] or 0
    return Balances(planned=planned, **{name: sums.get(kind, 0) or 0 for name, kind in BALANCE_KINDS.items()},
                    settlement_recorded=project.settled_on is not None)


def plan_approved_total(plan: AnnualPlan) -> int:
    """Support approved in the whole plan (every province): what the envelope must cover."""
    total = LedgerEntry.objects.filter(project__plan=plan, kind=LedgerKind.APPROVED).aggregate(s=Sum("amount_vnd"))
    return total["s"] or 0



def ledger_balances(project: Project, contents, entries) -> Balances:
    """The Balances of a project from its contents and ledger rows already loaded (no query)."""
    sums = dict.fromkeys(BALANCE_KINDS.values(), 0)
    for entry in entries:
        sums[entry.kind] = sums.get(entry.kind, 0) + entry.amount_vnd
    return Balances(planned=sum(row.requested_support_vnd for row in contents),
                    **{name: sums[kind] for name, kind in BALANCE_KINDS.items()},
                    settlement_recorded=project.settled_on is not None)


ADVANCE_STATES = (ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED)
BEFORE_ACCEPTANCE = (ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS)
DISBURSEMENT_STATES = (ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED, ProjectStatus.SETTLED)
REFUND_STATES = (ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED,
                 ProjectStatus.SETTLEMENT_SUBMITTED, ProjectStatus.SETTLED, ProjectStatus.SUSPENDED,
                 ProjectStatus.STOPPED)
STATES_FOR = {LedgerKind.ADVANCE: ADVANCE_STATES, LedgerKind.DISBURSEMENT: DISBURSEMENT_STATES,
              LedgerKind.REFUND: REFUND_STATES}


# The voucher number is stored in a column of this width; the note is free text kept to what a ledger line needs.
REFERENCE_MAX_LENGTH = LedgerEntry._meta.get_field("reference").max_length
NOTE_MAX_LENGTH = 2000


def ledger_window(plan_year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day an entry of a plan year's project may carry.

    The sources fix no such window, so it is configuration (`KC_LEDGER_YEARS_BEFORE`, `KC_LEDGER_YEARS_AFTER`,
    one year each by default): a national plan is registered and decided in the year before it (TT 36/2013/TT-BCT
    Điều 10, Điều 8 khoản 3), so its approval and contracts may carry that year's dates; the contract is liquidated
    and settled by 22 January of the year after (Điều 18 khoản 2) and the Minister may extend a project into the next
    year (Điều 11 khoản 2 điểm a), so its payments, settlement and refunds may carry the following year's dates.
    """
    start = datetime.date(max(datetime.MINYEAR, plan_year - settings.KC_LEDGER_YEARS_BEFORE), 1, 1)
    end = datetime.date(min(datetime.MAXYEAR, plan_year + settings.KC_LEDGER_YEARS_AFTER), 12, 31)
    return start, end


def check_entry(*, project: Project, on_date: datetime.date, reference: str, note: str) -> None:
    """Refuses an entry dated outside the plan's ledger window, or whose voucher number or note is too long."""
    start, end = ledger_window(project.year)
    if not start <= on_date <= end:
        raise InvalidInput(
            _("The date %(date)s is outside the ledger of the %(year)s plan: its entries are dated from %(start)s to "
              "%(end)s (the plan's year, the year before it for the decision and contracts, and the year after it "
              "for extensions and settlement).") % {
                "date": f"{on_date:%d/%m/%Y}", "year": project.year, "start": f"{start:%d/%m/%Y}",
                "end": f"{end:%d/%m/%Y}"},
            code="outside_window", field="on_date",
        )
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise InvalidInput(
            _("The voucher number may have at most %(limit)s characters; this one has %(count)s.") % {
                "limit": REFERENCE_MAX_LENGTH, "count": len(reference)},
            code="too_long", field="reference",
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            _("The note may have at most %(limit)s characters; this one has %(count)s.") % {
                "limit": NOTE_MAX_LENGTH, "count": len(note)},
            code="too_long", field="note",
        )


def append(*, project: Project, kind: str, amount: int, on_date: datetime.date, actor, reference: str = "",
           note: str = "", rule: dict | None = None, reverses: LedgerEntry | None = None) -> LedgerEntry:
    """Writes one entry after `check_entry`: every path into the ledger (a project's steps, payments by hand,
    reversals, adjustments) passes the same date window and lengths."""
    check_entry(project=project, on_date=on_date, reference=reference, note=note)
    return LedgerEntry.objects.create(
        project=project, kind=kind, amount_vnd=amount, on_date=on_date, reference=reference, note=note,
        rule=checks.jsonable(rule or {}), reverses=reverses, created_by=actor if getattr(actor, "pk", None) else None,
    )


# --- entries made by the project's steps ----------------------------------------------------------------------------


def envelope_problem(plan: AnnualPlan, amount: int) -> str:
    """Why the plan's envelope cannot cover approving `amount` more ("" when it can)."""
    approved = plan_approved_total(plan)
    if approved + amount <= plan.envelope_vnd:
        return ""
    return _("Approving %(amount)s would exceed the envelope of “%(plan)s”: %(envelope)s, of which %(approved)s is "
             "already approved (%(left)s left).") % {
        "amount": format_vnd(amount), "plan": plan.name, "envelope": format_vnd(plan.envelope_vnd),
        "approved": format_vnd(approved), "left": format_vnd(max(0, plan.envelope_vnd - approved)),
    }


def check_approval(plan: AnnualPlan, amount: int) -> None:
    """Refuses an approval the plan's envelope cannot cover (the caller locks the plan row)."""
    problem = envelope_problem(plan, amount)
    if problem:
        raise InvalidInput(problem, code="envelope_exceeded", field="amount")


def check_contract(balances: Balances, amount: int) -> None:
    if balances.contracted + amount > balances.approved:
        raise InvalidInput(
            _("The contracted support (%(amount)s) cannot exceed the approved support, %(approved)s.") % {
                "amount": format_vnd(balances.contracted + amount), "approved": format_vnd(balances.approved)},
            code="above_approved", field="amount",
        )


def check_settlement(balances: Balances, amount: int) -> None:
    limit = balances.contracted or balances.approved
    if balances.settled + amount > limit:
        raise InvalidInput(
            _("The settled amount (%(amount)s) cannot exceed the contracted support, %(limit)s.") % {
                "amount": format_vnd(balances.settled + amount), "limit": format_vnd(limit)},
            code="above_contracted", field="amount",
        )


# --- payments recorded by hand --------------------------------------------------------------------------------------


def _advance_rules(project: Project) -> dict:
    frozen = (project.rules_frozen or {}).get("advance")
    if frozen:
        return frozen
    codes = [row.content.code for row in project.contents.all()]
    return checks.advance_snapshot(codes, project.approved_on or timezone.localdate())


def first_advance_limit(project: Project, balances: Balances, rules: dict) -> tuple[int, list[str]]:
    """The most the first advance may be: each content's first-advance percentage of its support (a content whose
    rule leaves the rate to the agency counts in full: the treasury cap then bounds it), scaled to the contract."""
    limit, parts = 0, []
    for row in project.contents.all():
        rule = rules["contents"].get(row.content.code) or {}
        percent = rule.get("first_percent")
        if percent is None:
            limit += row.requested_support_vnd
            continue
        part = checks.percent_of(row.requested_support_vnd, percent)
        limit += part
        parts.append(_("%(percent)s %% of %(support)s for “%(content)s” (%(basis)s)") % {
            "percent": percent, "support": format_vnd(row.requested_support_vnd), "content": row.content.name,
            "basis": rule.get("basis", "")})
    if balances.approved and balances.contracted < balances.approved:
        limit = limit * balances.contracted // balances.approved
    return limit, parts


def check_payment(project: Project, kind: str, amount, balances: Balances) -> dict:
    """Refuses an advance, disbursement or refund that breaks a limit; returns the rule that bounded it."""
    amount = check_amount(amount, positive=True)
    if kind not in STATES_FOR:
        raise InvalidInput(_("Only advances, disbursements and refunds are recorded by hand; approved, contracted "
                             "and settled amounts come from the project's steps."), field="kind")
    if project.status not in STATES_FOR[kind]:
        raise InvalidInput(
            _("A %(kind)s cannot be recorded while the project is “%(status)s”.") % {
                "kind": LedgerKind(kind).label.lower(), "status": project.get_status_display()},
            code="wrong_state", field="kind",
        )
    rule: dict = {}
    if kind == LedgerKind.REFUND:
        if amount > balances.paid:
            raise InvalidInput(
                _("The refund (%(amount)s) cannot exceed what was paid, %(paid)s.") % {
                    "amount": format_vnd(amount), "paid": format_vnd(balances.paid)},
                code="above_paid", field="amount",
            )
        return rule
    paid_after = balances.paid + amount
    if paid_after > balances.approved:
        raise InvalidInput(
            _("Payments would reach %(total)s, beyond the approved support of %(approved)s.") % {
                "total": format_vnd(paid_after), "approved": format_vnd(balances.approved)},
            code="above_approved", field="amount",
        )
    if paid_after > balances.contracted:
        raise InvalidInput(
            _("Payments would reach %(total)s, beyond the contracted support of %(contracted)s.") % {
                "total": format_vnd(paid_after), "contracted": format_vnd(balances.contracted)},
            code="above_contracted", field="amount",
        )
    if kind == LedgerKind.DISBURSEMENT and balances.settled and paid_after > balances.settled:
        raise InvalidInput(
            _("Payments would reach %(total)s, beyond the settled amount of %(settled)s.") % {
                "total": format_vnd(paid_after), "settled": format_vnd(balances.settled)},
            code="above_settled", field="amount",
        )
    if kind == LedgerKind.ADVANCE and project.status in BEFORE_ACCEPTANCE:
        rules = _advance_rules(project)
        if balances.advanced == 0:
            limit, parts = first_advance_limit(project, balances, rules)
            if amount > limit:
                raise InvalidInput(
                    _("The first advance may not exceed %(limit)s: %(parts)s.") % {
                        "limit": format_vnd(limit), "parts": "; ".join(parts) or _("the contracted support")},
                    code="first_advance", field="amount",
                )
            rule["first_advance"] = {"limit": limit, "contents": rules["contents"]}
        cap = rules.get("treasury_cap")
        if not cap or cap.get("percent") is None:
            raise InvalidInput(_("No rule in force gives the treasury cap on advances for this project, so the "
                                 "advance cannot be checked."), code="no_rule", field="amount")
        cap_amount = checks.percent_of(balances.contracted, cap["percent"])
        if paid_after > cap_amount:
            raise InvalidInput(
                _("Before acceptance, advances may not exceed %(limit)s: %(percent)s %% of the contracted support "
                  "(%(basis)s). Already advanced: %(done)s.") % {
                    "limit": format_vnd(cap_amount), "percent": cap["percent"], "basis": cap["basis"],
                    "done": format_vnd(balances.paid)},
                code="treasury_cap", field="amount",
            )
        rule["treasury_cap"] = cap
    return rule


def check_reversal(entry: LedgerEntry, balances: Balances) -> None:
    """A reversal must leave the balances consistent (e.g. reversing a refund must not push payments past the
    contract)."""
    if entry.reverses_id is not None:
        raise InvalidInput(_("A reversing entry cannot itself be reversed; record a new entry instead."),
                           field="reverses")
    if hasattr(entry, "reversed_by"):
        raise InvalidInput(_("This entry was already reversed."), field="reverses")
    if entry.kind not in STATES_FOR:
        raise InvalidInput(_("Approved, contracted and settled amounts change only through the project's steps."),
                           field="reverses")
    if entry.kind == LedgerKind.REFUND:
        paid_after = balances.paid + entry.amount_vnd
        limit = min(balances.contracted, balances.approved)
        if paid_after > limit:
            raise InvalidInput(
                _("Reversing this refund would bring payments to %(total)s, beyond the contracted support of "
                  "%(limit)s.") % {"total": format_vnd(paid_after), "limit": format_vnd(limit)},
                field="reverses",
            )
    elif balances.paid - entry.amount_vnd < 0:
        raise InvalidInput(_("Reversing this payment would leave less paid than was refunded."), field="reverses")
