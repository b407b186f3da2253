"""Adjustment requests: routed to the authority the rules name, decided, applied on approval (ledger by reversing
and new entries), audited; pages and API."""

import datetime
import json

import pytest
from django.utils.translation import gettext as tr

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects import services
from khuyencong.projects.ledger import project_balances
from khuyencong.projects.models import AdjustmentRequest, LedgerEntry

from .factories import make_establishment
from .journey import draft, walk

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _contracted(users, plan, establishment, **kwargs):
    return walk(draft(users, plan, establishment, **kwargs), users, until="contract")


def test_budget_increase_goes_to_the_minister_and_applies_through_the_ledger(users, national_plan, establishment):
    project = _contracted(users, national_plan, establishment, cost=600_000_000, support=250_000_000)
    row = project.contents.get()
    request = services.adjustment_request(actor=users["centre"], project=project, kind="budget",
                                          reason="Giá máy tăng", content_row_id=row.pk, new_support=300_000_000)
    assert request.decision_kind == "increase_budget" and request.authority == "minister"
    assert "TT 36/2013" in request.authority_basis and "300.000.000" in request.summary
    with pytest.raises(PermissionDenied):  # the DoIT does not decide a national budget increase
        services.adjustment_decide(actor=users["manager"], project=project, request_id=request.pk, approve=True,
                                   reference="1/QĐ", version=request.version)
    with pytest.raises(InvalidInput) as exc:
        services.adjustment_decide(actor=users["ministry"], project=project, request_id=request.pk, approve=True,
                                   version=request.version)
    assert exc.value.field == "reference"
    services.adjustment_decide(actor=users["ministry"], project=project, request_id=request.pk, approve=True,
                               reference="1205/QĐ-BCT", version=request.version)
    request.refresh_from_db()
    assert request.status == "approved" and request.effects["approved_vnd"] == 300_000_000
    row.refresh_from_db()
    assert row.requested_support_vnd == 300_000_000 and row.counterpart_vnd == 300_000_000
    balances = project_balances(project)
    assert balances.approved == 300_000_000 and balances.contracted == 250_000_000
    approvals = list(LedgerEntry.objects.filter(project=project, kind="APPROVED").values_list("amount_vnd",
                                                                                              flat=True))
    assert approvals == [250_000_000, -250_000_000, 300_000_000]  # never changed in place
    with pytest.raises(Conflict):  # already decided
        services.adjustment_decide(actor=users["ministry"], project=project, request_id=request.pk, approve=False,
                                   note="x", version=request.version)
    assert "project.adjustment_approved" in {e.action for e in audit_events_for(project)}


def test_reduction_below_the_contract_is_refused_and_quotes_still_bind(users, national_plan, establishment):
    project = _contracted(users, national_plan, establishment)
    row = project.contents.get()
    with pytest.raises(InvalidInput) as exc:  # above the rule's quote for machinery
        services.adjustment_request(actor=users["centre"], project=project, kind="budget", reason="x",
                                    content_row_id=row.pk, new_support=590_000_000)
    assert exc.value.code == "above_quote"
    request = services.adjustment_request(actor=users["centre"], project=project, kind="budget", reason="Giảm",
                                          content_row_id=row.pk, new_support=200_000_000)
    assert request.decision_kind == "reduce_budget" and request.authority == "ministry_agency"
    with pytest.raises(InvalidInput) as exc:
        services.adjustment_decide(actor=users["ministry"], project=project, request_id=request.pk, approve=True,
                                   reference="9/QĐ-ĐCK", version=request.version)
    assert "300.000.000" in exc.value.message  # the contracted support
    request.refresh_from_db()
    assert request.status == "pending" and project_balances(project).approved == 300_000_000
    services.adjustment_decide(actor=users["ministry"], project=project, request_id=request.pk, approve=False,
                               note="Đã ký hợp đồng", version=request.version)
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "Đã ký hợp đồng"


def test_schedule_and_beneficiary_changes(users, national_plan, establishment):
    project = _contracted(users, national_plan, establishment)
    with pytest.raises(InvalidInput):
        services.adjustment_request(actor=users["centre"], project=project, kind="schedule", reason="x")
    late = services.adjustment_request(actor=users["centre"], project=project, kind="schedule", reason="Mưa lũ",
                                       new_end_date=datetime.date(2028, 3, 31))
    assert late.decision_kind == "extend_next_year" and late.authority == "minister"
    with pytest.raises(InvalidInput) as exc:  # one pending request at a time
        services.adjustment_request(actor=users["centre"], project=project, kind="schedule", reason="y",
                                    new_end_date=datetime.date(2027, 12, 1))
    assert exc.value.message == tr("Another adjustment of this project awaits its decision: wait for it first.")
    services.adjustment_decide(actor=users["ministry"], project=project, request_id=late.pk, approve=True,
                               reference="77/QĐ-BCT", version=late.version)
    project.refresh_from_db()
    assert project.end_date == datetime.date(2028, 3, 31)
    # Running into 2028 does not move it out of the 2027 plan: its plan, year and code stay.
    assert (project.plan_id, project.year, project.code[:10]) == (national_plan.pk, 2027, "KCQG-2027-")
    other = make_establishment(12, name="Hộ kinh doanh chè Bình Lư")
    swap = services.adjustment_request(actor=users["centre"], project=project, kind="beneficiary",
                                       reason="Cơ sở cũ ngừng sản xuất", old_establishment_id=establishment.pk,
                                       new_establishment=other)
    assert swap.decision_kind == "change_beneficiary" and swap.authority == "ministry_agency"
    services.adjustment_decide(actor=users["ministry"], project=project, request_id=swap.pk, approve=True,
                               reference="12/ĐCK", version=swap.version)
    assert list(project.beneficiary_links.values_list("establishment__name", flat=True)) == [
        "Hộ kinh doanh chè Bình Lư"]
    assert project.contents.get().establishment_id == other.pk


def test_local_projects_go_to_the_peoples_committee(users, local_plan, establishment):
    project = _contracted(users, local_plan, establishment, content="machinery", cost=400_000_000,
                          support=100_000_000)
    request = services.adjustment_request(actor=users["centre"], project=project, kind="schedule", reason="x",
                                          new_end_date=datetime.date(2027, 12, 15))
    assert request.authority == "provincial_pc"
    with pytest.raises(PermissionDenied):
        services.adjustment_decide(actor=users["doit"], project=project, request_id=request.pk, approve=True,
                                   reference="1", version=request.version)
    services.adjustment_decide(actor=users["manager"], project=project, request_id=request.pk, approve=True,
                               reference="88/QĐ-UBND", version=request.version)
    with pytest.raises(PermissionDenied):  # only the implementing unit asks, and only after approval
        services.adjustment_request(actor=users["doit"], project=project, kind="schedule", reason="x",
                                    new_end_date=datetime.date(2027, 12, 20))


def test_pages_and_api(client, users, national_plan, establishment):
    project = _contracted(users, national_plan, establishment)
    row = project.contents.get()
    client.force_login(users["centre"])
    assert client.get(f"/projects/{project.pk}/adjustments/new/").status_code == 200
    bad = client.post(f"/projects/{project.pk}/adjustments/new/", {"kind": "budget", "reason": "Giá tăng",
                                                                    "content_row": row.pk,
                                                                    "new_support": "999.000.000"})
    assert bad.status_code == 422 and "Giá tăng" in bad.content.decode()
    response = client.post(f"/projects/{project.pk}/adjustments/new/", {
        "kind": "schedule", "reason": "Mưa lũ kéo dài", "new_end_date": "2027-12-20"})
    assert response.status_code == 302
    request = AdjustmentRequest.objects.get()
    page = client.get(f"/projects/{project.pk}/monitoring/").content.decode()
    assert "Mưa lũ kéo dài" in page and request.authority_label in page
    client.force_login(users["ministry"])
    response = client.post(f"/projects/{project.pk}/adjustments/{request.pk}/decide/", {
        f"a{request.pk}-decision": "approve", f"a{request.pk}-reference": "5/QĐ-ĐCK",
        f"a{request.pk}-version": request.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.end_date == datetime.date(2027, 12, 20)
    client.force_login(users["centre"])
    api = f"/api/v1/projects/{project.pk}"
    created = client.post(f"{api}/adjustments", data=json.dumps({
        "kind": "budget", "reason": "Giảm", "content_row_id": row.pk, "new_support_vnd": 250_000_000}),
        content_type="application/json")
    assert created.status_code == 201 and created.json()["decision_kind"] == "reduce_budget"
    client.force_login(users["ministry"])
    decided = client.post(f"{api}/adjustments/{created.json()['id']}/decision", data=json.dumps({
        "approve": False, "note": "Không đồng ý", "version": 1}), content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "refused"
    body = client.get(f"{api}/monitoring").json()
    assert [a["status"] for a in body["adjustments"]] == ["refused", "approved"]
