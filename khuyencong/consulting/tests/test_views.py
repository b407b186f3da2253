import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .. import services
from ..models import Contract, ContractStatus
from .helpers import LAI_CHAU, TAY_NINH, D, certify, make_contract, staff_of

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "blue").save(out, "JPEG")
    return SimpleUploadedFile("hien-truong.jpg", out.getvalue(), content_type="image/jpeg")


def signed(staff, n: int = 1) -> Contract:
    contract = make_contract(staff, tax_code=f"01000{n:05d}", number=f"{n:02d}/HĐ")
    services.contract_transition(actor=staff, contract=contract, action="sign", version=contract.version)
    return contract


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_pages_documents_and_exports(client):
    staff = staff_of(LAI_CHAU, "v.tv.lc", "Phạm Văn Giám Sát")
    contract = signed(staff)
    certify(staff, staff)
    services.engineer_assign(actor=staff, contract=contract, engineer=staff)
    services.contract_transition(actor=staff, contract=contract, action="start", version=contract.version)
    client.force_login(staff)
    # a site visit from the page, with a photo
    response = client.post(f"/consulting/contracts/{contract.pk}/do/visit/",
                           {"visited_on": "02/03/2026", "findings": "Đạt", "issue": "", "photo": jpeg()})
    assert response.status_code == 302
    visit = contract.visits.get()
    assert visit.photo.name.endswith(".jpg")
    assert client.get(f"/consulting/visits/{visit.pk}/photo/").status_code == 200
    # a bad amount keeps what was typed and says why
    response = client.post(f"/consulting/contracts/{contract.pk}/do/invoice/",
                           {"number": "HĐ-9", "issued_on": "05/03/2026", "amount_vnd": "999.000.000"})
    assert response.status_code == 422
    assert "vượt giá trị hợp đồng" in response.content.decode() and "HĐ-9" in response.content.decode()
    for url in ["/consulting/", "/consulting/quotations/", "/consulting/clients/", "/consulting/engineers/",
                f"/consulting/contracts/{contract.pk}/", f"/consulting/quotations/{contract.quotation_id}/",
                "/consulting/revenue/?year=2026"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "True" not in body and "False" not in body and "2026-03" not in body, url
    for url in [f"/consulting/quotations/{contract.quotation_id}/document/",
                f"/consulting/quotations/{contract.quotation_id}/document/?format=docx",
                f"/consulting/contracts/{contract.pk}/document/acceptance/",
                f"/consulting/contracts/{contract.pk}/document/liquidation/?format=docx",
                "/consulting/revenue.xlsx?year=2026"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment")


def test_other_province_and_collaborator_get_nothing(client):
    staff = staff_of(LAI_CHAU, "v2.tv.lc")
    contract = signed(staff)
    other = staff_of(TAY_NINH, "v2.tv.tn")
    client.force_login(other)
    assert client.get(f"/consulting/contracts/{contract.pk}/").status_code == 404
    assert client.get(f"/consulting/contracts/new/?quotation={contract.quotation_id}").status_code == 404
    services.visit_add(actor=staff, contract=contract, visited_on=D(2026, 3, 2), findings="x", photo=jpeg())
    assert client.get(f"/consulting/visits/{contract.visits.get().pk}/photo/").status_code == 404
    assert client.get("/api/v1/consulting/revenue?year=2026").json()["received"] == 0
    collaborator = make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, username="ctv.tv")
    client.force_login(collaborator)
    assert b"consulting_home" not in client.get("/").content
    assert "/consulting/" not in client.get("/").content.decode()


def test_query_counts_stay_flat(client):
    staff = staff_of(LAI_CHAU, "v3.tv.lc")
    certify(staff, staff)
    first = signed(staff, 1)
    services.engineer_assign(actor=staff, contract=first, engineer=staff)
    client.force_login(staff)
    urls = ["/consulting/", "/consulting/quotations/", "/consulting/clients/", "/consulting/engineers/",
            "/consulting/revenue/?year=2026", "/api/v1/consulting/contracts", "/api/v1/consulting/quotations"]
    before = {url: _queries(client, url) for url in urls}
    detail_before = _queries(client, f"/consulting/contracts/{first.pk}/")
    for n in range(2, 6):
        contract = signed(staff, n)
        services.engineer_assign(actor=staff, contract=contract, engineer=staff)
        services.visit_add(actor=staff, contract=contract, visited_on=D(2026, 3, 2), findings="x", issue="y")
        services.invoice_add(actor=staff, contract=contract, number="1", issued_on=D(2026, 3, 3), amount_vnd=1000)
        services.payment_record(actor=staff, contract=contract, received_on=D(2026, 3, 4), amount_vnd=1000)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    contract = Contract.objects.filter(status=ContractStatus.SIGNED).last()
    assert _queries(client, f"/consulting/contracts/{contract.pk}/") <= detail_before + 3


def test_invoice_and_payment_forms(client):
    staff = staff_of(LAI_CHAU, "v4.tv.lc")
    contract = signed(staff)
    client.force_login(staff)
    response = client.post(f"/consulting/contracts/{contract.pk}/do/invoice/",
                           {"number": "1", "issued_on": "05/03/2026", "amount_vnd": "110.000.000"})
    assert response.status_code == 302
    response = client.post(f"/consulting/contracts/{contract.pk}/do/payment/",
                           {"received_on": "06/03/2026", "amount_vnd": "110.000.000", "reference": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert contract.payments.get().amount_vnd == 110_000_000
