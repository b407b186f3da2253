"""The lifecycles of consulting: a quotation (draft → sent → accepted / rejected / expired) and a service contract
(being prepared → signed → in progress → accepted → liquidated). A liquidated contract locks every write."""

from functools import cached_property

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Act, Flow, FlowContext, Transition
from khuyencong.core.locks import Lock
from khuyencong.core.money import format_vnd
from khuyencong.core.permissions import ALLOW, Decision, deny

from . import conflicts
from .models import ContractStatus, QuotationStatus

EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF)
WHO = gettext_lazy("the staff of the centre")


def _dmy(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- quotations

def still_valid(ctx: FlowContext) -> Decision:
    if ctx.on_date > ctx.obj.valid_until:
        return deny(_("The quotation was valid until %(date)s: mark it expired or make a new one.")
                    % {"date": _dmy(ctx.obj.valid_until)})
    return ALLOW


def past_validity(ctx: FlowContext) -> Decision:
    if ctx.on_date <= ctx.obj.valid_until:
        return deny(_("The quotation is valid until %(date)s.") % {"date": _dmy(ctx.obj.valid_until)})
    return ALLOW


def record_sent(act: Act) -> dict:
    return act.set(sent_on=act.on_date)


def record_decision(act: Act) -> dict:
    return act.set(decided_on=act.on_date, status_note=act.input("note")[:300])


QUOTATION_TRANSITIONS = (
    Transition("send", gettext_lazy("Send to the client"), (QuotationStatus.DRAFT,), QuotationStatus.SENT, EDITORS,
               guards=(still_valid,), effects=(record_sent,), who=WHO),
    Transition("accept", gettext_lazy("Client accepted"), (QuotationStatus.SENT,), QuotationStatus.ACCEPTED, EDITORS,
               guards=(still_valid,), effects=(record_decision,), optional=("note",), style="success", who=WHO),
    Transition("reject", gettext_lazy("Client declined"), (QuotationStatus.SENT,), QuotationStatus.REJECTED, EDITORS,
               effects=(record_decision,), optional=("note",), style="outline-danger", who=WHO),
    Transition("expire", gettext_lazy("Mark as expired"), (QuotationStatus.SENT, QuotationStatus.DRAFT),
               QuotationStatus.EXPIRED, EDITORS, guards=(past_validity,), effects=(record_decision,),
               style="outline-secondary", who=WHO),
)


def _quotation_wrong_state(obj, _label) -> str:
    return _("Not possible while the quotation is %(status)s.") % {"status": obj.get_status_display().lower()}


quotation_flow = Flow(QUOTATION_TRANSITIONS, wrong_state=_quotation_wrong_state, permission=role_permission)


# --- contracts

class ContractContext(FlowContext):
    @cached_property
    def conflicts(self) -> list:
        return conflicts.conflicts_for(self.obj)

    @cached_property
    def money(self) -> dict:
        return contract_money(self.obj)


def contract_money(contract) -> dict:
    """The money figures of one contract: value, approved addenda, ceiling, invoiced, received, outstanding."""
    added = contract.addenda.filter(approved=True).aggregate(s=Sum("extra_vnd"))["s"] or 0
    invoiced = contract.invoices.aggregate(s=Sum("amount_vnd"))["s"] or 0
    received = contract.payments.aggregate(s=Sum("amount_vnd"))["s"] or 0
    ceiling = contract.value_vnd + added
    return {"value": contract.value_vnd, "added": added, "ceiling": ceiling, "invoiced": invoiced,
            "received": received, "outstanding": invoiced - received, "uninvoiced": ceiling - invoiced}


def conflict_reviewed(ctx: ContractContext) -> Decision:
    if ctx.conflicts and not ctx.obj.conflict_reviewed_by_id:
        names = "; ".join(f"{c['code']} “{c['title']}”" for c in ctx.conflicts)
        return deny(_("The client receives KC support for the same work (project %(projects)s): the director must "
                      "review it before the contract is signed.") % {"projects": names})
    return ALLOW


def has_engineer(ctx: ContractContext) -> Decision:
    if not ctx.obj.assignments.exists():
        return deny(_("Assign at least one engineer first."))
    return ALLOW


def fully_paid(ctx: ContractContext) -> Decision:
    money = ctx.money
    if money["invoiced"] == 0:
        return deny(_("No invoice has been issued yet."))
    if money["outstanding"] > 0:
        return deny(_("%(amount)s is still owed by the client.") % {"amount": format_vnd(money["outstanding"])})
    return ALLOW


def issues_closed(ctx: ContractContext) -> Decision:
    open_issues = ctx.obj.issues.filter(closed_on__isnull=True).count()
    if open_issues:
        return deny(_("%(n)s site issue(s) are still open.") % {"n": open_issues})
    return ALLOW


def record_signed(act: Act) -> dict:
    return act.set(signed_on=act.on_date)


def record_accepted(act: Act) -> dict:
    return act.set(accepted_on=act.on_date)


def record_liquidated(act: Act) -> dict:
    return act.set(liquidated_on=act.on_date)


CONTRACT_TRANSITIONS = (
    Transition("sign", gettext_lazy("Sign the contract"), (ContractStatus.DRAFT,), ContractStatus.SIGNED, EDITORS,
               guards=(conflict_reviewed,), effects=(record_signed,), who=WHO),
    Transition("start", gettext_lazy("Start the work"), (ContractStatus.SIGNED,), ContractStatus.IN_PROGRESS, EDITORS,
               guards=(has_engineer,), who=WHO),
    Transition("accept", gettext_lazy("Record the acceptance"), (ContractStatus.IN_PROGRESS,), ContractStatus.ACCEPTED,
               EDITORS, guards=(issues_closed,), effects=(record_accepted,), style="success", who=WHO),
    Transition("liquidate", gettext_lazy("Liquidate the contract"), (ContractStatus.ACCEPTED,),
               ContractStatus.LIQUIDATED, EDITORS, guards=(fully_paid,), effects=(record_liquidated,),
               style="success", who=WHO),
)


def _contract_wrong_state(obj, _label) -> str:
    return _("Not possible while the contract is %(status)s.") % {"status": obj.get_status_display().lower()}


contract_flow = Flow(CONTRACT_TRANSITIONS, wrong_state=_contract_wrong_state, permission=role_permission,
                     context=ContractContext)

contract_lock = Lock(
    "consulting.contract_liquidated", states=(ContractStatus.LIQUIDATED,),
    test=lambda contract: contract.status == ContractStatus.LIQUIDATED,
    reason=lambda contract: _("The contract was liquidated: it can no longer be changed."))
badges.register("consulting_quotation", {QuotationStatus.DRAFT: "text-bg-light border",
                                         QuotationStatus.SENT: "text-bg-info",
                                         QuotationStatus.ACCEPTED: "text-bg-success",
                                         QuotationStatus.REJECTED: "text-bg-secondary",
                                         QuotationStatus.EXPIRED: "text-bg-warning"})
badges.register("consulting_contract", {ContractStatus.DRAFT: "text-bg-light border",
                                        ContractStatus.SIGNED: "text-bg-info",
                                        ContractStatus.LIQUIDATED: "text-bg-success"}, default="text-bg-primary")
