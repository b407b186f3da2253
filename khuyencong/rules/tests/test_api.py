import pytest

from khuyencong.accounts.tests.factories import make_user

pytestmark = pytest.mark.usefixtures("rules")

BASE = "/api/v1/rules"


@pytest.fixture
def api(client):
    client.force_login(make_user(role="centre_staff", province_code=12))
    return client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/contents"),
        ("get", "/support-rates"),
        ("get", "/support-quote?content=machinery&cost=1"),
        ("post", "/eligibility"),
        ("get", "/calendar?plan_year=2027"),
        ("get", "/advance-rule?content=machinery"),
        ("get", "/change-authority?change_kind=change_location"),
    ],
)
def test_anonymous_gets_401(client, method, path):
    response = getattr(client, method)(BASE + path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_contents_are_paginated(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api.get(f"{BASE}/contents?limit=5&offset=0")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] >= 27 and len(body["items"]) == 5
    assert set(body["items"][0]) >= {"code", "name", "group_code", "basis", "effective_from", "effective_to", "mark"}


def test_contents_on_a_date(api):
    codes = {c["code"] for c in api.get(f"{BASE}/contents?date=2025-01-01&limit=100").json()["items"]}
    assert "machinery" in codes and "digital_transformation" not in codes


def test_support_quote_for_machinery_in_2026(api):
    response = api.get(f"{BASE}/support-quote?content=machinery&fund=national&cost=800.000.000&date=2026-03-01")
    assert response.status_code == 200
    body = response.json()
    assert body["support_vnd"] == 300_000_000
    assert body["percent"] == "50"
    assert body["cap_vnd"] == 300_000_000
    assert body["limited_by"] == "cap"
    assert body["rule"]["basis"] == "TT 28/2018/TT-BTC, Điều 8 khoản 4"
    assert body["rule"]["effective_from"] == "2018-05-11"
    assert body["rule"]["effective_to"] is None
    assert body["rule"]["mark"] == "verified"


def test_support_quote_in_2017_and_local_and_priority(api):
    old = api.get(f"{BASE}/support-quote?content=machinery&cost=800000000&date=2017-06-01").json()
    assert old["support_vnd"] == 200_000_000
    assert old["rule"]["basis"].startswith("TTLT 26/2014")
    local = api.get(f"{BASE}/support-quote?content=machinery&fund=local&province=12&cost=2000000000"
                    "&date=2026-03-01&variant=technology_line").json()
    assert local["support_vnd"] == 450_000_000 and local["rule"]["province_code"] == 12
    priority = api.get(f"{BASE}/support-quote?content=machinery&cost=800000000&date=2017-06-01&priority=true").json()
    assert priority["support_vnd"] == 300_000_000 and priority["multiplier"] == "1.5"


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("content=flying&cost=1&date=2026-03-01", "unknown_content", "Không có nội dung khuyến công"),
        ("content=machinery&cost=1&date=2013-01-01", "no_rule", "01/01/2013"),
        ("content=machinery&cost=-5&date=2026-03-01", "negative_cost", "không được âm"),
        ("content=machinery&cost=abc&date=2026-03-01", "invalid_cost", "đồng"),
        ("content=brand&cost=1&date=2026-03-01", "no_rule", "Chưa có mức hỗ trợ đã xác minh"),
    ],
)
def test_support_quote_refusals_are_422_in_vietnamese(api, query, code, words):
    response = api.get(f"{BASE}/support-quote?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert words in body["detail"]


def test_eligibility(api, hanoi_ward, hanoi_commune):
    payload = {"entity_type": "sme", "sme_size": "small", "commune": hanoi_ward.code, "on_date": "2026-03-01"}
    refused = api.post(f"{BASE}/eligibility", payload, content_type="application/json")
    assert refused.status_code == 200
    body = refused.json()
    assert body["eligible"] is False and body["reasons"] and body["basis"][0].startswith("NĐ 235/2025/NĐ-CP")
    assert set(body) == {"eligible", "reasons", "basis", "needs_review"}
    accepted = api.post(f"{BASE}/eligibility", {**payload, "craft_village": True}, content_type="application/json")
    assert accepted.json()["eligible"] is True
    commune = api.post(f"{BASE}/eligibility", {**payload, "commune": hanoi_commune.code},
                       content_type="application/json")
    assert commune.json()["eligible"] is True


def test_eligibility_refusals(api, hanoi_commune):
    bad = {"entity_type": "sme", "commune": hanoi_commune.code, "on_date": "2026-03-01"}
    response = api.post(f"{BASE}/eligibility", bad, content_type="application/json")
    assert response.status_code == 422
    assert "quy mô" in response.json()["detail"]
    unknown = api.post(f"{BASE}/eligibility", {**bad, "sme_size": "small", "commune": 999999},
                       content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["field"] == "commune"
    malformed = api.post(f"{BASE}/eligibility", {"entity_type": "sme"}, content_type="application/json")
    assert malformed.status_code == 422


def test_calendar(api):
    response = api.get(f"{BASE}/calendar?plan_year=2027&fund=national")
    assert response.status_code == 200
    items = response.json()
    dated = [(i["code"], i["due_date"], i["basis"]) for i in items if i["due_date"]]
    assert dated == [
        ("register_doit", "2026-05-20", "TT 36/2013/TT-BCT, Điều 10 khoản 1 điểm b"),
        ("register_ministry", "2026-06-15", "TT 36/2013/TT-BCT, Điều 10 khoản 2 điểm b"),
        ("liquidation_settlement", "2028-01-22", "TT 36/2013/TT-BCT, Điều 18 khoản 2"),
    ]
    assert {i["code"] for i in items if i["due_date"] is None} == {"monthly_progress_report", "settlement_dossier"}
    assert api.get(f"{BASE}/calendar?plan_year=99").status_code == 422


def test_advance_and_authority(api):
    advance = api.get(f"{BASE}/advance-rule?content=cluster_infrastructure&date=2026-03-01").json()
    assert advance["first_advance_percent"] == "30"
    assert advance["treasury_cap_percent"] == "70"
    assert advance["treasury_cap_rule"]["mark"] == "unverified"
    authority = api.get(f"{BASE}/change-authority?change_kind=change_beneficiary&project_kind=group&date=2026-03-01")
    assert authority.json()["authority"] == "doit"
    assert authority.json()["rule"]["basis"] == "TT 36/2013/TT-BCT, Điều 11 khoản 4"
    missing = api.get(f"{BASE}/change-authority?change_kind=ccn_infrastructure_support&date=2027-03-01")
    assert missing.status_code == 422


def test_bearer_token_works(client):
    from khuyencong.accounts.services import api_token_create

    user = make_user(role="viewer", province_code=12)
    _token, raw = api_token_create(actor=user, user=user, name="t")
    response = client.get(f"{BASE}/calendar?plan_year=2027", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_openapi_documents_the_rules_endpoints(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/rules/support-quote", "/api/v1/rules/eligibility", "/api/v1/rules/calendar"} <= set(paths)
