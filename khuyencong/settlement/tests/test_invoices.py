"""The no-double-support commitment in the submission checklist, and invoices matched at settlement."""

import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.projects import checklists
from khuyencong.projects import services as project_services
from khuyencong.projects.flows import project_flow

from .. import checks, services
from ..models import CheckCode, Finding
from .helpers import draft, make_establishment, walk

pytestmark = pytest.mark.django_db
D = datetime.date
SUPPLIER = "0100109106"  # a valid tax code (check digit 6)
INVOICE_DAY = D(2026, 9, 12)


def _receive_submit_documents(project, actor, *, skip=()):
    codes = project.contents.values_list("content__code", flat=True)
    for spec in checklists.required_documents(fund=project.plan.fund, kind=project.kind, content_codes=codes):
        if spec.stage == "submit" and spec.code not in skip:
            project_services.project_document_mark(actor=actor, project=project, code=spec.code, reference="số 01")


@pytest.mark.parametrize("plan_name", ["national_plan", "local_plan"])
def test_submission_without_the_commitment_is_refused(request, users, establishment, plan_name):
    project = draft(users, request.getfixturevalue(plan_name), establishment)
    [spec] = [s for s in project_flow.context(project, D.today()).checklist if s.code == "no_double_support"]
    assert spec.stage == "submit" and spec.basis.startswith("TTLT 26/2014/TTLT-BTC-BCT, Điều 7 khoản 4")
    _receive_submit_documents(project, users["centre"], skip={"no_double_support"})
    decision = project_flow.decide(project, users["centre"], "submit")
    assert not decision.allowed and decision.failure == "guard"
    assert str(decision.reason) == f"Chưa nhận đủ hồ sơ: {spec.name}."
    with pytest.raises(InvalidInput) as refused:
        project_services.project_transition(project=project, action="submit", actor=users["centre"])
    assert "Bản cam kết" in refused.value.message
    _receive_submit_documents(project, users["centre"])
    assert project_flow.decide(project, users["centre"], "submit").allowed


@pytest.mark.parametrize(("typed", "key"), [(" 0000123 ", "123"), ("ab 12", "AB12"), ("Ab\u00a012", "AB12"),
                                             ("0001234-KT", "1234-KT"), ("000", "")])
def test_invoice_key(typed, key):
    assert services.invoice_key(typed) == key


@given(st.sampled_from("123456789ABCKxyz"), st.text(alphabet="0123456789ABCDEFKabcdefxyz", max_size=12),
       st.integers(0, 5), st.integers(0, 3))
def test_invoice_key_ignores_leading_zeros_spaces_and_case(first, rest, zeros, spaces):
    number = first + rest
    assert services.invoice_key(" " * spaces + "0" * zeros + number.lower() + " ") == number.upper()


def _invoice(users, project, number, *, on=INVOICE_DAY, supplier=SUPPLIER, amount=200_000_000):
    return services.invoice_add(actor=users["finance"], project=project, data={
        "supplier_tax_code": supplier, "supplier_name": "Công ty Cơ khí Hà Nội", "number": number,
        "issued_on": on, "amount": amount, "content": project.contents.first()})


def test_same_invoice_settled_in_another_project_blocks_the_settlement(users, national_plan, local_plan,
                                                                       establishment):
    settled = walk(draft(users, national_plan, establishment, title="Máy sao chè"), users, until="submit_settlement")
    _invoice(users, settled, "0001234")
    settled = walk(settled, users, until="settle")
    other = make_establishment(12, name="Hộ kinh doanh chè Bản Giang")
    project = walk(draft(users, local_plan, other, title="Máy vò chè"), users, until="accept")
    clean = _invoice(users, project, "1235")
    assert checks.hits_for(project) == []
    assert checks.support_check(project_flow.context(project, D.today()), "settle").allowed
    older = _invoice(users, project, " 1234 ", on=D(2025, 9, 12))  # another date: another invoice, same number
    assert checks.hits_for(project) == []
    services.invoice_remove(actor=users["finance"], invoice=older)
    _invoice(users, project, "01234 ", on=None, supplier="0100-109-106", amount=150_000_000)
    [hit] = checks.hits_for(project)
    assert hit.check == CheckCode.SAME_INVOICE and hit.blocks and hit.amount == 150_000_000
    assert settled.code in hit.reason and "0100109106" in hit.reason
    assert hit.other_side["code"] == settled.code and hit.other_side["fund"] == "national"
    decision = checks.support_check(project_flow.context(project, D.today()), "settle")
    assert not decision.allowed and "Điều 7 khoản 4" in str(decision.reason)
    # The appraiser sees both invoices side by side and clears it: the settlement goes on.
    [finding] = services.run_checks(actor=users["doit"], project=project, stage="settle")
    assert finding.check_code == CheckCode.SAME_INVOICE and finding.other_view["code"] == settled.code
    services.finding_transition(actor=users["doit"], finding=finding, action="clear",
                                inputs={"note": "Hóa đơn của hai lô hàng khác nhau, đã đối chiếu bản gốc."})
    assert checks.support_check(project_flow.context(project, D.today()), "settle").allowed
    assert Finding.objects.filter(project=settled).count() == 0 and clean.number_key == "1235"


def test_invoice_input_is_checked(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    _invoice(users, project, "77")
    for data, field in (({"supplier_tax_code": "0100109107"}, "supplier_tax_code"), ({"number": " 00 "}, "number"),
                        ({"amount": 0}, "amount"), ({"issued_on": D.today() + datetime.timedelta(days=1)},
                                                    "issued_on"), ({"number": "077"}, "number")):
        base = {"supplier_tax_code": SUPPLIER, "number": "78", "issued_on": D(2026, 1, 5), "amount": 1_000_000}
        with pytest.raises(InvalidInput) as caught:
            services.invoice_add(actor=users["finance"], project=project, data={**base, **data})
        assert caught.value.field == field and caught.value.message
    with pytest.raises(PermissionDenied):
        services.invoice_add(actor=users["other_centre"], project=project,
                             data={"supplier_tax_code": SUPPLIER, "number": "9", "amount": 1})


def test_invoice_page_and_api(client, users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    content = project.contents.get()
    client.force_login(users["finance"])
    page = f"/settlement/projects/{project.pk}/"
    response = client.post(f"{page}invoices/", {"content": str(content.pk), "supplier_tax_code": "0100 109 106",
                                                "supplier_name": "Công ty Cơ khí Hà Nội", "number": "0000571",
                                                "issued_on": "20/08/2026", "amount": "45.000.000"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Hóa đơn của hồ sơ quyết toán" in html and "0000571" in html and "45.000.000" in html
    assert "20/08/2026" in html and "2026-08-20" not in html
    refused = client.post(f"{page}invoices/", {"supplier_tax_code": "0100109107", "number": "1", "amount": "1"})
    assert refused.status_code == 200 and "sai chữ số kiểm tra" in refused.content.decode()
    api = f"/api/v1/settlement/projects/{project.pk}/invoices"
    created = client.post(api, data=json.dumps({"supplier_tax_code": SUPPLIER, "number": "572",
                                                "amount_vnd": 1_000_000, "content_id": content.pk}),
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["number_key"] == "572"
    twice = client.post(api, data=json.dumps({"supplier_tax_code": SUPPLIER, "number": " 0572",
                                              "amount_vnd": 1_000_000}), content_type="application/json")
    assert twice.status_code == 422 and twice.json()["detail"]
    assert [row["number"] for row in client.get(api).json()] == ["0000571", "572"]
    client.force_login(users["viewer"])
    assert client.post(api, data=json.dumps({"supplier_tax_code": SUPPLIER, "number": "9", "amount_vnd": 1}),
                       content_type="application/json").status_code == 403
