"""Scope cases of consulting: clients, quotations and contracts belong to the centre's province; a centre sees its own
province's records and the DoIT, finance and viewers of the province read them."""

import datetime

from khuyencong.testing.scope import ScopedCase, register, unscoped

from .. import services
from .helpers import certify, make_contract, staff_of

D = datetime.date


def make(province_code: int):
    staff = staff_of(province_code, f"pv.tv.{province_code}", f"Kỹ sư phạm vi {province_code}")
    contract = make_contract(staff, province_code, tax_code=f"09{province_code:08d}",
                             number=f"PV-{province_code}/HĐ")
    services.contract_transition(actor=staff, contract=contract, action="sign", version=contract.version)
    certify(staff, staff, province_code, number=f"PV-{province_code}")
    services.engineer_assign(actor=staff, contract=contract, engineer=staff)
    services.visit_add(actor=staff, contract=contract, visited_on=D(2026, 3, 2), findings="Kiểm tra phạm vi")
    contract.visit = contract.visits.get()
    return contract


def _posts(c):
    return [
        ("POST", f"/consulting/contracts/{c.pk}/act/start/", {"version": c.version}),
        ("POST", f"/consulting/contracts/{c.pk}/do/invoice/", {"number": "X1", "issued_on": "01/04/2026",
                                                               "amount_vnd": "1000"}),
        ("POST", f"/consulting/contracts/{c.pk}/do/visit/", {"visited_on": "01/04/2026", "findings": "Lạ"}),
        ("POST", f"/consulting/quotations/{c.quotation_id}/act/expire/", {"version": 1}),
        ("POST", f"/api/v1/consulting/contracts/{c.pk}/actions/start", {"version": c.version}),
        ("POST", f"/api/v1/consulting/contracts/{c.pk}/invoices", {"number": "X2", "issued_on": "2026-04-01",
                                                                    "amount_vnd": 1000}),
        ("POST", f"/api/v1/consulting/contracts/{c.pk}/payments", {"received_on": "2026-04-01", "amount_vnd": 1}),
    ]


register(
    ScopedCase(
        name="consulting_contract",
        make=make,
        marker=lambda c: c.client.name,
        list_urls=["/consulting/", "/consulting/?q=PV", "/consulting/quotations/", "/consulting/clients/",
                   "/api/v1/consulting/contracts?limit=200",
                   "/api/v1/consulting/quotations?limit=200"],
        detail_urls=lambda c: [f"/consulting/contracts/{c.pk}/", f"/consulting/quotations/{c.quotation_id}/",
                               f"/consulting/quotations/{c.quotation_id}/document/",
                               f"/consulting/contracts/{c.pk}/document/acceptance/",
                               f"/api/v1/consulting/contracts/{c.pk}"],
        change_requests=_posts,
        covers=["consulting_home", "consulting_quotations", "consulting_quotation", "consulting_quotation_act",
                "consulting_quotation_document", "consulting_contract", "consulting_contract_act",
                "consulting_contract_post", "consulting_contract_document", "consulting_clients",
                "api:consulting_contract_list", "api:consulting_contract_detail",
                "api:consulting_contract_action", "api:consulting_invoice_add", "api:consulting_payment_add",
                "api:consulting_quotation_list"],
    )
)



def make_certificate(province_code: int):
    staff = staff_of(province_code, f"pv.ks.{province_code}", f"Kỹ sư chứng chỉ {province_code}")
    return certify(staff, staff, province_code, number=f"CC-{province_code}")


register(
    ScopedCase(
        name="consulting_certificate",
        make=make_certificate,
        marker=lambda c: c.engineer.full_name,
        list_urls=["/consulting/engineers/"],
        detail_urls=lambda c: [],
        covers=["consulting_engineers"],
    )
)

unscoped("consulting_contract_new", "opens only from a quotation of the user's own centre (404 otherwise: "
                                    "test_views)")
unscoped("consulting_visit_photo", "serves a photo only inside the viewer's scope (404 otherwise: test_views)")
unscoped("consulting_revenue", "sums only the contracts of the user's scope (test_views)")
unscoped("consulting_revenue_export", "the same figures as the revenue page (test_views)")
unscoped("api:consulting_revenue", "the same figures as the revenue page, scoped (test_api)")
