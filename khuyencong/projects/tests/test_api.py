"""The /api/v1/ endpoints of plans and projects: shapes, refusals with their codes, scope."""

import json

import pytest
from django.utils.translation import gettext as tr

from .factories import make_project
from .journey import draft, receive, walk

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_list_shape_filters_and_scope(client, users, national_plan, local_plan, establishment):
    project = draft(users, national_plan, establishment)
    make_project(12, plan=local_plan, title="Đề án địa phương")
    make_project(80, title="Đề án Tây Ninh")
    client.force_login(users["viewer"])
    body = client.get("/api/v1/projects").json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == project.pk)
    assert item["code"] == "KCQG-2027-12-001" and item["fund"] == "national" and item["year"] == 2027
    assert item["province"] == {"code": 12, "name": "Tỉnh Lai Châu"}
    assert item["status"] == "draft" and item["late"] is True  # 20/5/2026 passed for a 2027 draft
    assert item["balances"]["planned"] == 300_000_000 and item["balances"]["approved"] == 0
    assert set(item["balances"]) == {"planned", "approved", "contracted", "advanced", "disbursed", "settled",
                                     "refunded", "paid", "to_refund", "to_pay"}
    assert client.get("/api/v1/projects?fund=local").json()["count"] == 1
    assert client.get("/api/v1/projects?late=true&fund=national").json()["count"] == 1
    assert client.get("/api/v1/projects?limit=1&offset=1").json()["count"] == 2


def test_detail_lists_contents_documents_and_the_actions_with_reasons(client, users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    client.force_login(users["centre"])
    body = client.get(f"/api/v1/projects/{project.pk}").json()
    [content] = body["contents"]
    assert content["content"] == "machinery" and content["quote_support_vnd"] == 300_000_000
    assert content["quote"]["rule"]["basis"].startswith("TT 28/2018")
    [beneficiary] = body["beneficiaries"]
    assert beneficiary["eligible"] is True and beneficiary["reasons"]
    codes = {d["code"]: d for d in body["documents"]}
    assert codes["budget_estimate"]["received"] is False and codes["seller_contract"]["stage"] == "submit_settlement"
    [action] = body["actions"]
    assert action["action"] == "submit" and action["allowed"] is False and action["reason"]
    assert client.get("/api/v1/projects/999999").status_code == 404


def test_actions_answer_403_422_409_and_200(client, users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    url = f"/api/v1/projects/{project.pk}/actions/submit"
    client.force_login(users["doit"])
    response = _post(client, url, {})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert response.json()["detail"]
    client.force_login(users["centre"])
    response = _post(client, url, {})
    assert response.status_code == 422 and response.json()["code"] == "guard"
    receive(project, users["centre"], "submit")
    response = _post(client, url, {"note": "Gửi hồ sơ"})
    assert response.status_code == 200
    assert response.json()["status"] == "submitted" and response.json()["application_date"]
    response = _post(client, url, {})
    assert response.status_code == 409 and response.json()["code"] == "wrong_state"
    assert _post(client, f"/api/v1/projects/{project.pk}/actions/fly", {}).status_code == 404
    client.force_login(users["doit"])
    response = _post(client, f"/api/v1/projects/{project.pk}/actions/return", {})
    assert response.status_code == 422 and response.json()["field"] == "note"
    response = _post(client, f"/api/v1/projects/{project.pk}/actions/return", {"note": "Thiếu báo giá",
                                                                              "version": 1})
    assert response.status_code == 409


def test_ledger_get_and_post(client, users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="start")
    url = f"/api/v1/projects/{project.pk}/ledger"
    client.force_login(users["centre"])
    body = client.get(url).json()
    assert [e["kind"] for e in body["entries"]] == ["APPROVED", "CONTRACTED"]
    assert body["balances"]["contracted"] == 300_000_000
    assert _post(client, url, {"kind": "ADVANCE", "amount_vnd": 1000}).status_code == 403
    client.force_login(users["finance"])
    response = _post(client, url, {"kind": "ADVANCE", "amount_vnd": 250_000_000})
    assert response.status_code == 422
    assert response.json()["code"] == "first_advance" and "210.000.000 ₫" in response.json()["detail"]
    response = _post(client, url, {"kind": "ADVANCE", "amount_vnd": 200_000_000, "reference": "UNC 1",
                                   "on_date": "2026-11-01"})
    assert response.status_code == 201
    entry = response.json()
    assert entry["kind"] == "ADVANCE" and entry["amount_vnd"] == 200_000_000 and entry["on_date"] == "2026-11-01"
    assert entry["rule"]["treasury_cap"]["percent"] == "70"
    response = _post(client, url, {"reverses": entry["id"], "note": "Nhầm"})
    assert response.status_code == 201 and response.json()["amount_vnd"] == -200_000_000
    assert response.json()["reverses"] == entry["id"]
    body = client.get(url).json()
    assert body["balances"]["advanced"] == 0
    assert next(e for e in body["entries"] if e["id"] == entry["id"])["reversed_by"] == response.json()["id"]
    response = _post(client, url, {"kind": "ADVANCE", "amount_vnd": 1000, "on_date": "2099-01-01"})
    assert response.status_code == 422 and response.json()["field"] == "on_date"


def test_plans(client, users, national_plan, local_plan, establishment):
    walk(draft(users, national_plan, establishment), users, until="approve")
    client.force_login(users["doit"])
    body = client.get("/api/v1/plans").json()
    assert body["count"] == 2
    national = next(p for p in body["items"] if p["fund"] == "national")
    assert national["province"] is None and national["envelope_vnd"] == 20_000_000_000
    assert national["balances"]["approved"] == 300_000_000 and national["project_count"] == 1
    assert client.get(f"/api/v1/plans/{local_plan.pk}").json()["province"]["code"] == 12
    client.force_login(users["other_centre"])
    body = client.get("/api/v1/plans").json()
    assert body["count"] == 1  # the national plan only, without Lai Châu's money
    assert body["items"][0]["balances"]["approved"] == 0 and body["items"][0]["project_count"] == 0
    assert client.get(f"/api/v1/plans/{local_plan.pk}").status_code == 404


def test_unauthenticated_requests_are_refused(client, national_plan):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401 and response.json()["detail"] == tr(
        "Please sign in or send a valid API token.")
