"""The consulting API, mounted by `api`: contracts and quotations scoped like the pages (a centre its own province,
the DoIT of the province reads them), the contract's money and open actions, the revenue of a year, and the
contract's lifecycle steps and money records as writes (version-checked: a stale version gets 409)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khuyencong.core.api_params import Amount, BoundedLimitOffsetPagination, RecordId, Version, Year
from khuyencong.core.errors import InvalidInput, NotFound

from . import selectors, services
from .flows import contract_flow, contract_money
from .models import ContractStatus

router = Router(tags=["consulting"])


class ConsultingContractOut(Schema):
    id: int
    number: str
    client: str
    client_tax_code: str
    service_line: str
    work: str
    site_commune: str
    province_code: int
    value_vnd: int
    start_date: datetime.date
    end_date: datetime.date
    status: str
    status_label: str
    version: int

    @staticmethod
    def resolve_client(obj):
        return obj.client.name

    @staticmethod
    def resolve_client_tax_code(obj):
        return obj.client.tax_code

    @staticmethod
    def resolve_service_line(obj):
        return obj.service_line.code

    @staticmethod
    def resolve_site_commune(obj):
        return obj.site_commune.name

    @staticmethod
    def resolve_province_code(obj):
        return obj.province.code

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class ConsultingMoneyOut(Schema):
    value: int
    added: int
    ceiling: int
    invoiced: int
    received: int
    outstanding: int
    uninvoiced: int


class ConsultingActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class ConsultingContractDetailOut(ConsultingContractOut):
    money: ConsultingMoneyOut
    actions: list[ConsultingActionOut]
    engineers: list[str]
    visits: int

    @staticmethod
    def resolve_visits(obj):
        return obj.visit_count


class ConsultingQuotationOut(Schema):
    id: int
    number: str
    client: str
    service_line: str
    price_vnd: int
    vat_percent: int
    total_vnd: int
    valid_until: datetime.date
    status: str

    @staticmethod
    def resolve_client(obj):
        return obj.client.name

    @staticmethod
    def resolve_service_line(obj):
        return obj.service_line.code


class ConsultingRevenueLineOut(Schema):
    service_line: str
    name: str
    signed: int
    value: int
    invoiced: int
    received: int


class ConsultingRevenueEngineerOut(Schema):
    name: str
    contracts: int
    value: int
    visits: int


class ConsultingRevenueOut(Schema):
    year: int
    lines: list[ConsultingRevenueLineOut]
    engineers: list[ConsultingRevenueEngineerOut]
    received: int
    invoiced: int


class ConsultingActIn(Schema):
    version: Version = Field(..., description="The version you read; a stale one gets 409")


class ConsultingInvoiceIn(Schema):
    number: str = Field(..., min_length=1, max_length=40)
    issued_on: datetime.date
    amount_vnd: Amount


class ConsultingPaymentIn(Schema):
    received_on: datetime.date
    amount_vnd: Amount
    reference: str = Field("", max_length=120)


def _contract(request, contract_id: int):
    contract = selectors.contract_get(user=request.user, pk=contract_id)
    if contract is None:
        raise NotFound(_("Contract not found."))
    return contract


def _detail(request, contract):
    contract.money = contract_money(contract)
    contract.actions = [{"action": o.action, "label": o.label, "allowed": o.allowed, "reasons": o.reasons}
                        for o in contract_flow.options(contract, request.user)]
    contract.engineers = [str(a.engineer)
                          for a in contract.assignments.select_related("engineer")]
    contract.visit_count = contract.visits.count()
    return contract


@router.get("/consulting/contracts", response=list[ConsultingContractOut], url_name="consulting_contract_list",
            summary="Service contracts of the centres in your scope")
@paginate(BoundedLimitOffsetPagination)
def contract_list(request, status: str = "", q: str = ""):
    if status and status not in ContractStatus.values:
        raise InvalidInput(_("Unknown status."), field="status")
    return selectors.contract_list(user=request.user, q=q.strip()[:100], status=status)


@router.get("/consulting/contracts/{contract_id}", response=ConsultingContractDetailOut,
            url_name="consulting_contract_detail",
            summary="A contract with its money, engineers and the actions open to you")
def contract_detail(request, contract_id: RecordId):
    return _detail(request, _contract(request, contract_id))


@router.post("/consulting/contracts/{contract_id}/actions/{action}", response=ConsultingContractDetailOut,
             url_name="consulting_contract_action", summary="Take a step of the contract's lifecycle")
def contract_action(request, contract_id: RecordId, action: str, payload: ConsultingActIn):
    contract = _contract(request, contract_id)
    services.contract_transition(actor=request.user, contract=contract, action=action[:40], version=payload.version)
    return _detail(request, _contract(request, contract_id))


@router.post("/consulting/contracts/{contract_id}/invoices", response={201: ConsultingContractDetailOut},
             url_name="consulting_invoice_add",
             summary="Record an invoice (never above the value and approved addenda)")
def invoice_add(request, contract_id: RecordId, payload: ConsultingInvoiceIn):
    contract = _contract(request, contract_id)
    services.invoice_add(actor=request.user, contract=contract, number=payload.number, issued_on=payload.issued_on,
                         amount_vnd=payload.amount_vnd)
    return Status(201, _detail(request, _contract(request, contract_id)))


@router.post("/consulting/contracts/{contract_id}/payments", response={201: ConsultingContractDetailOut},
             url_name="consulting_payment_add", summary="Record money received (never above what is invoiced)")
def payment_add(request, contract_id: RecordId, payload: ConsultingPaymentIn):
    contract = _contract(request, contract_id)
    services.payment_record(actor=request.user, contract=contract, received_on=payload.received_on,
                            amount_vnd=payload.amount_vnd, reference=payload.reference)
    return Status(201, _detail(request, _contract(request, contract_id)))


@router.get("/consulting/quotations", response=list[ConsultingQuotationOut], url_name="consulting_quotation_list",
            summary="Quotations of the centres in your scope")
@paginate(BoundedLimitOffsetPagination)
def quotation_list(request):
    return selectors.quotation_list(user=request.user)


@router.get("/consulting/revenue", response=ConsultingRevenueOut, url_name="consulting_revenue",
            summary="Revenue and workload of a year, per service line and engineer")
def revenue(request, year: Year):
    data = selectors.revenue(user=request.user, year=year)
    return {"year": year, "received": data["totals"]["received"], "invoiced": data["totals"]["invoiced"],
            "lines": [{"service_line": r["line"].code, "name": r["line"].name, "signed": r["signed"],
                       "value": r["value"], "invoiced": r["invoiced"], "received": r["received"]}
                      for r in data["lines"]],
            "engineers": data["engineers"]}
