"""The reports API: scoped list (query count flat), detail with live or frozen figures, create, actions, errors."""

import json

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .scope_cases_reports import doit, make_report

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def officer():
    return make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.lc.a")


@pytest.fixture
def manager():
    return make_user(role=Role.DOIT_MANAGER, province_code=12, username="ld.lc.a")


def test_list_is_scoped_and_flat(client, officer, django_assert_max_num_queries):
    make_report(12, period="2026-Q1")
    make_report(80, period="2026-Q1")
    client.force_login(officer)
    with django_assert_max_num_queries(10) as few:
        body = client.get("/api/v1/reports").json()
    assert body["count"] == 1 and body["items"][0]["province"]["code"] == 12
    for period in ("2025-Q1", "2025-Q2", "2025-Q3", "2026-Q2"):
        make_report(12, period=period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/reports?limit=50").json()
    assert body["count"] == 5
    assert client.get("/api/v1/reports?period=2026-Q2").json()["count"] == 1
    bad = client.get("/api/v1/reports?period=quy3")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"


def test_create_act_and_frozen_figures(client, officer, manager):
    client.force_login(officer)
    created = _post(client, "/api/v1/reports", {"report_type": "doit_quarterly", "period": "2026-Q2"})
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["status"] == "draft" and report["organisation"] == doit(12).name
    assert report["figures_frozen"] is False and report["figures"]["rows"]
    again = _post(client, "/api/v1/reports", {"report_type": "doit_quarterly", "period": "2026-Q2"})
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    rid = report["id"]
    guard = _post(client, f"/api/v1/reports/{rid}/actions/submit", {})
    assert guard.status_code == 422 and guard.json()["code"] == "guard"
    from khuyencong.reporting import services
    from khuyencong.reporting.models import Report

    services.report_update_narrative(actor=officer, report=Report.objects.get(pk=rid), version=report["version"],
                                     data={"results": "Kết quả"})
    assert _post(client, f"/api/v1/reports/{rid}/actions/submit", {}).json()["status"] == "submitted"
    denied = _post(client, f"/api/v1/reports/{rid}/actions/approve", {})
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied" and denied.json()["detail"]
    client.force_login(manager)
    approved = _post(client, f"/api/v1/reports/{rid}/actions/approve", {}).json()
    assert approved["status"] == "approved" and approved["figures_frozen"] is True
    no_reason = _post(client, f"/api/v1/reports/{rid}/actions/return", {"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    unknown = _post(client, f"/api/v1/reports/{rid}/actions/explode", {})
    assert unknown.status_code == 422 and unknown.json()["field"] == "action"
    assert client.get(f"/api/v1/reports/{rid}").json()["figures"]["period"] == "2026-Q2"


def test_unknown_type_and_foreign_report(client, officer):
    client.force_login(officer)
    response = _post(client, "/api/v1/reports", {"report_type": "nope", "period": "2026-Q2"})
    assert response.status_code == 422 and response.json()["field"] == "report_type"
    foreign = make_report(80)
    assert client.get(f"/api/v1/reports/{foreign.pk}").status_code == 404
