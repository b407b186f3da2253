import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.locks import RecordLocked
from khuyencong.core.models import AuditEvent
from khuyencong.core.tests.test_locks import WALKED
from khuyencong.projects.models import ProjectBeneficiary
from khuyencong.projects.tests.factories import make_establishment, make_project

from .. import selectors, services
from ..models import Certificate, ContractStatus
from .helpers import LAI_CHAU, TAY_NINH, D, certify, commune_of, make_contract, staff_of

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


def test_service_lines_are_loaded_with_their_certificates():
    from ..models import ServiceLine

    lines = {line.code: line for line in ServiceLine.objects.all()}
    assert {"electrical_supervision", "energy_audit", "cleaner_production", "planning", "other"} <= set(lines)
    assert lines["electrical_supervision"].certificate == "supervision_electrical"
    assert lines["electrical_supervision"].mark == "unverified"


def test_whole_journey_quote_to_liquidation():
    staff = staff_of(LAI_CHAU, "tv.lc", "Nguyễn Văn Kỹ")
    engineer = staff_of(LAI_CHAU, "ks.lc", "Lò Văn Sư")
    contract = make_contract(staff)
    services.contract_transition(actor=staff, contract=contract, action="sign", version=contract.version,
                                 on_date=D(2026, 2, 20))
    assert contract.status == ContractStatus.SIGNED
    # expired certificate: refused, naming it and its expiry
    certify(staff, engineer, expires=D(2026, 4, 30), number="GS-OLD")
    with pytest.raises(InvalidInput) as refused:
        services.engineer_assign(actor=staff, contract=contract, engineer=engineer)
    assert "GS-OLD" in refused.value.message and "30/04/2026" in refused.value.message
    certify(staff, engineer, expires=D(2029, 1, 1), number="GS-NEW")
    assignment = services.engineer_assign(actor=staff, contract=contract, engineer=engineer, task="Giám sát")
    assert assignment.certificate.number == "GS-NEW"
    services.contract_transition(actor=staff, contract=contract, action="start", version=contract.version)
    services.visit_add(actor=engineer, contract=contract, visited_on=D(2026, 3, 5), findings="Móng trạm đạt.",
                       photo=jpeg(), issue="Thiếu biển báo an toàn")
    services.visit_add(actor=engineer, contract=contract, visited_on=D(2026, 3, 12), findings="Đã lắp máy biến áp.")
    issue = contract.issues.get()
    with pytest.raises(InvalidInput):
        services.contract_transition(actor=staff, contract=contract, action="accept", version=contract.version)
    services.issue_close(actor=staff, issue=issue, note="Đã lắp biển báo", on_date=D(2026, 3, 12))
    services.contract_transition(actor=staff, contract=contract, action="accept", version=contract.version)
    # money: never above the value without an approved addendum
    with pytest.raises(InvalidInput):
        services.invoice_add(actor=staff, contract=contract, number="HĐ1", issued_on=D(2026, 7, 1),
                             amount_vnd=120_000_000)
    addendum = services.addendum_add(actor=staff, contract=contract, number="PL01", extra_vnd=10_000_000,
                                     reason="Phát sinh khối lượng")
    services.addendum_approve(actor=staff, addendum=addendum)
    services.invoice_add(actor=staff, contract=contract, number="HĐ1", issued_on=D(2026, 7, 1),
                         amount_vnd=120_000_000)
    with pytest.raises(InvalidInput):
        services.payment_record(actor=staff, contract=contract, received_on=D(2026, 7, 5), amount_vnd=130_000_000)
    with pytest.raises(InvalidInput):
        services.contract_transition(actor=staff, contract=contract, action="liquidate", version=contract.version)
    services.payment_record(actor=staff, contract=contract, received_on=D(2026, 7, 5), amount_vnd=120_000_000)
    services.contract_transition(actor=staff, contract=contract, action="liquidate", version=contract.version)
    assert contract.status == ContractStatus.LIQUIDATED
    # liquidated: every write refused (the list core/tests/test_locks.py holds for this lock)
    writes = {
        "consulting.engineer_assign": lambda: services.engineer_assign(actor=staff, contract=contract,
                                                                        engineer=engineer),
        "consulting.visit_add": lambda: services.visit_add(actor=staff, contract=contract, visited_on=D(2026, 7, 9),
                                                           findings="x"),
        "consulting.issue_close": lambda: services.issue_close(actor=staff, issue=issue, note="x"),
        "consulting.addendum_add": lambda: services.addendum_add(actor=staff, contract=contract, number="PL02",
                                                                 extra_vnd=1, reason="x"),
        "consulting.addendum_approve": lambda: services.addendum_approve(actor=staff, addendum=addendum),
        "consulting.invoice_add": lambda: services.invoice_add(actor=staff, contract=contract, number="HĐ2",
                                                               issued_on=D(2026, 7, 9), amount_vnd=1),
        "consulting.payment_record": lambda: services.payment_record(actor=staff, contract=contract,
                                                                     received_on=D(2026, 7, 9), amount_vnd=1),
        "consulting.contract_review_conflict": lambda: services.contract_review_conflict(
            actor=staff, contract=contract, note="x"),
    }
    assert set(writes) == set(WALKED["consulting.contract_liquidated"])
    for call in writes.values():
        with pytest.raises(RecordLocked):
            call()
    # revenue
    data = selectors.revenue(user=staff, year=2026)
    assert data["totals"]["received"] == 120_000_000
    assert data["engineers"][0]["visits"] == 2
    assert AuditEvent.objects.filter(action__startswith="consulting.").count() >= 15


def test_conflict_with_a_kc_project_is_flagged_before_signing():
    staff = staff_of(LAI_CHAU, "tv2.lc")
    est = make_establishment(LAI_CHAU, tax_code="0100000077", commune=commune_of(LAI_CHAU))
    project = make_project(LAI_CHAU, status="in_progress", commune=commune_of(LAI_CHAU),
                           start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), title="Đề án trạm biến áp")
    ProjectBeneficiary.objects.create(project=project, establishment=est, checked_on=D(2026, 1, 1))
    contract = make_contract(staff, establishment=est, tax_code="0100000077")
    with pytest.raises(InvalidInput) as refused:
        services.contract_transition(actor=staff, contract=contract, action="sign", version=contract.version)
    assert project.code in refused.value.message
    services.contract_review_conflict(actor=staff, contract=contract, note="Giám đốc: phần việc khác đề án")
    services.contract_transition(actor=staff, contract=contract, action="sign", version=contract.version)
    assert contract.status == ContractStatus.SIGNED


def test_another_province_cannot_act_nor_see():
    staff = staff_of(LAI_CHAU, "tv3.lc")
    other = staff_of(TAY_NINH, "tv.tn")
    contract = make_contract(staff)
    with pytest.raises(PermissionDenied):
        services.contract_transition(actor=other, contract=contract, action="sign", version=contract.version)
    with pytest.raises(PermissionDenied):
        services.invoice_add(actor=other, contract=contract, number="X", issued_on=D(2026, 3, 1), amount_vnd=1)
    assert selectors.contract_get(user=other, pk=contract.pk) is None
    assert selectors.contract_get(user=staff, pk=contract.pk) is not None


def test_bad_input_is_refused_clearly():
    staff = staff_of(LAI_CHAU, "tv4.lc")
    with pytest.raises(InvalidInput) as bad:
        services.client_create(actor=staff, province=commune_of(LAI_CHAU).province, name="A", tax_code="12")
    assert bad.value.field == "tax_code"
    with pytest.raises(InvalidInput):
        certify(staff, staff, expires=D(2019, 1, 1))
    assert not Certificate.objects.exists()
