"""Every read of consulting shared by the pages, the exports and the API: scoped by the centre's province (a centre
sees its own province's records; the DoIT of the province, finance and the ministry read them), free of N+1."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_events_for
from khuyencong.core.text import fold
from khuyencong.rules import engine

from .catalogue import certificate_names  # noqa: F401 - the pages read the names here
from .conflicts import conflicts_for
from .flows import contract_flow, contract_lock, contract_money, quotation_flow
from .models import Assignment, Certificate, Client, Contract, Invoice, Payment, Quotation, ServiceLine, SiteVisit
from .services import can_edit, can_edit_contract


def _scoped(user, qs):
    return user_scope(user).filter(qs, province="province_id")


def contract_list(*, user, q: str = "", status: str = "", year: int | None = None):
    qs = _scoped(user, Contract.objects.select_related("client", "service_line", "site_commune", "province"))
    if q:
        folded = fold(q)
        qs = qs.filter(Q(client__name_folded__contains=folded) | Q(number__icontains=q) | Q(work__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(start_date__year__lte=year, end_date__year__gte=year)
    return qs.order_by("-start_date", "-id")


def contract_get(*, user, pk: int) -> Contract | None:
    return contract_list(user=user).select_related("centre", "quotation", "conflict_reviewed_by").filter(pk=pk).first()


def quotation_list(*, user, status: str = ""):
    qs = _scoped(user, Quotation.objects.select_related("client", "service_line", "province"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def quotation_get(*, user, pk: int) -> Quotation | None:
    return quotation_list(user=user).select_related("centre").filter(pk=pk).first()


def client_list(*, user):
    return _scoped(user, Client.objects.select_related("establishment", "province")).annotate(
        n_contracts=Count("contracts", distinct=True)).order_by("name_folded", "id")


def client_outstanding(client_ids) -> dict[int, dict]:
    """Invoiced, received and outstanding per client, two aggregate queries."""
    invoiced = dict(Invoice.objects.filter(contract__client_id__in=client_ids).values_list(
        "contract__client_id").annotate(s=Sum("amount_vnd")).values_list("contract__client_id", "s"))
    received = dict(Payment.objects.filter(contract__client_id__in=client_ids).values_list(
        "contract__client_id").annotate(s=Sum("amount_vnd")).values_list("contract__client_id", "s"))
    return {cid: {"invoiced": invoiced.get(cid, 0), "received": received.get(cid, 0),
                  "outstanding": invoiced.get(cid, 0) - received.get(cid, 0)} for cid in client_ids}


def certificate_list(*, user):
    return _scoped(user, Certificate.objects.select_related("engineer", "province")).order_by("expires_on", "id")


def engineers_of(province_id: int):
    """The centre staff of a province (the engineers a contract may be given)."""
    ids = RoleAssignment.objects.filter(role=Role.CENTRE_STAFF, is_active=True, province_id=province_id).values(
        "user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def reminder_days(on_date: datetime.date) -> int:
    return engine.parameter("consulting-certificate-reminder-days", on_date).as_int


def expiring_certificates(*, user, on_date: datetime.date):
    """Certificates that expire within the reminder lead time (a parameter row), or already expired."""
    horizon = on_date + datetime.timedelta(days=reminder_days(on_date))
    return certificate_list(user=user).filter(expires_on__lte=horizon)


def contract_page(*, user, contract: Contract, on_date: datetime.date) -> dict:
    visits = list(contract.visits.select_related("engineer").prefetch_related("issues"))
    return {
        "contract": contract,
        "actions": contract_flow.options(contract, user, on_date=on_date),
        "money": contract_money(contract),
        "conflicts": conflicts_for(contract) if contract.status == "draft" else [],
        "assignments": list(contract.assignments.select_related("engineer", "certificate")),
        "visits": visits,
        "issues": list(contract.issues.all()),
        "addenda": list(contract.addenda.all()),
        "invoices": list(contract.invoices.all()),
        "payments": list(contract.payments.select_related("invoice")),
        "can_edit": can_edit_contract(user, contract),
        "locked": contract_lock(contract),
        "history": audit_events_for(contract)[:50],
    }


def quotation_page(*, user, quotation: Quotation, on_date: datetime.date) -> dict:
    return {"quotation": quotation, "actions": quotation_flow.options(quotation, user, on_date=on_date),
            "contract": quotation.contracts.first(), "can_edit": can_edit(user, quotation.province_id)}


def revenue(*, user, year: int) -> dict:
    """Revenue and workload of one year: money received, invoiced and contracts signed per service line; contracts
    and site visits per engineer. Each table is one aggregate query over the user's scope."""
    contracts = _scoped(user, Contract.objects.all())
    ids = contracts.values("pk")
    lines = {line.pk: line for line in ServiceLine.objects.all()}
    per_line: dict[int, dict] = {pk: {"line": line, "signed": 0, "value": 0, "invoiced": 0, "received": 0}
                                 for pk, line in lines.items()}
    for row in contracts.filter(signed_on__year=year).values("service_line").annotate(n=Count("id"),
                                                                                       v=Sum("value_vnd")):
        per_line[row["service_line"]].update(signed=row["n"], value=row["v"] or 0)
    for row in Invoice.objects.filter(contract__in=ids, issued_on__year=year).values(
            "contract__service_line").annotate(s=Sum("amount_vnd")):
        per_line[row["contract__service_line"]]["invoiced"] = row["s"] or 0
    for row in Payment.objects.filter(contract__in=ids, received_on__year=year).values(
            "contract__service_line").annotate(s=Sum("amount_vnd")):
        per_line[row["contract__service_line"]]["received"] = row["s"] or 0
    line_rows = [r for r in per_line.values() if r["signed"] or r["invoiced"] or r["received"]]
    engineers: dict[int, dict] = {}
    year_q = Q(contract__start_date__year__lte=year, contract__end_date__year__gte=year)
    for row in Assignment.objects.filter(year_q, contract__in=ids).values(
            "engineer", "engineer__full_name", "engineer__username").annotate(n=Count("contract", distinct=True),
                                                                              v=Sum("contract__value_vnd")):
        engineers[row["engineer"]] = {"name": row["engineer__full_name"] or row["engineer__username"],
                                      "contracts": row["n"], "value": row["v"] or 0, "visits": 0}
    for row in SiteVisit.objects.filter(contract__in=ids, visited_on__year=year, engineer__isnull=False).values(
            "engineer", "engineer__full_name", "engineer__username").annotate(n=Count("id")):
        entry = engineers.setdefault(row["engineer"], {"name": row["engineer__full_name"] or row["engineer__username"],
                                                       "contracts": 0, "value": 0, "visits": 0})
        entry["visits"] = row["n"]
    totals = {key: sum(r[key] for r in line_rows) for key in ("signed", "value", "invoiced", "received")}
    return {"year": year, "lines": line_rows, "engineers": sorted(engineers.values(), key=lambda e: e["name"]),
            "totals": totals}
