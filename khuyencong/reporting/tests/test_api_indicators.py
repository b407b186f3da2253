"""The indicator API: the catalogue, values scoped to the caller, and clear Vietnamese errors."""

import pytest
from django.utils.translation import gettext as tr

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.reporting.indicators import CATALOGUE

from .scope_cases_dashboards import make_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(client):
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.api")
    client.force_login(user)
    return user


def test_catalogue(client, ministry):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    body = response.json()
    assert [i["code"] for i in body] == list(CATALOGUE)
    rate = next(i for i in body if i["code"] == "disbursement_rate")
    assert rate["name"] == "Tỷ lệ giải ngân (đã chi gồm tạm ứng ÷ kinh phí được giao)"
    assert rate["unit"] == "percent" and "province" in rate["breakdowns"]


def test_values_whole_and_by_province(client, ministry):
    make_figures(12)
    make_figures(80)
    whole = client.get("/api/v1/indicators/kc_allocated/values?period=2026").json()
    assert whole["values"] == [{"key": None, "label": "Kinh phí khuyến công được giao", "value": 9_292_000_000,
                                "display": "9,29 tỷ", "numerator": None, "denominator": None}]
    assert whole["period_label"] == "Năm 2026" and whole["geography"] == "current"
    by_province = client.get("/api/v1/indicators/kc_allocated/values?period=2026&breakdown=province").json()
    assert [(v["key"], v["value"]) for v in by_province["values"]] == [(12, 1_212_000_000), (80, 8_080_000_000)]
    rate = client.get("/api/v1/indicators/disbursement_rate/values?period=2026&province=80").json()
    # advances count as disbursed: (advance ¼ + disbursement ½) of the allocated money, with both amounts given
    assert rate["values"][0]["value"] == 75.0 and rate["province"] == 80
    assert (rate["values"][0]["numerator"], rate["values"][0]["denominator"]) == (6_060_000_000, 8_080_000_000)


def test_legacy_geography(client, ministry):
    make_figures(80, year=2024)
    body = client.get("/api/v1/indicators/support_turns/values?period=2024&breakdown=province"
                      "&geography=legacy").json()
    assert body["geography"] == "legacy"
    assert sum(v["value"] for v in body["values"]) == 2
    assert all(v["key"] in (72, 80) for v in body["values"])


def test_provincial_user_sees_only_their_province(client):
    make_figures(12)
    make_figures(80)
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.api"))
    body = client.get("/api/v1/indicators/kc_allocated/values?period=2026&breakdown=province").json()
    assert [(v["key"], v["value"]) for v in body["values"]] == [(12, 1_212_000_000)]
    refused = client.get("/api/v1/indicators/kc_allocated/values?period=2026&province=80")
    assert refused.status_code == 403
    assert refused.json() == {"code": "permission_denied",
                              "detail": tr("You may not see the figures of this province.")}


@pytest.mark.parametrize(("url", "status", "code", "field"), [
    ("/api/v1/indicators/nope/values", 404, "unknown_indicator", None),
    ("/api/v1/indicators/projects/values?period=2026-Q7", 422, "invalid", "period"),
    ("/api/v1/indicators/projects/values?breakdown=gender", 422, "invalid", "breakdown"),
    ("/api/v1/indicators/projects/values?period=2026&geography=legacy", 422, "invalid", "geography"),
    ("/api/v1/indicators/projects/values?geography=old", 422, "invalid", "geography"),
    ("/api/v1/indicators/projects/values?province=99", 404, "unknown_province", None),
])
def test_errors(client, ministry, url, status, code, field):
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body.get("field") == field
    assert body["detail"] and body["detail"].isascii() is False  # a Vietnamese sentence


def test_anonymous_is_refused(client):
    assert client.get("/api/v1/indicators").status_code == 401


def test_values_cost_a_fixed_number_of_queries(client, ministry, django_assert_max_num_queries):
    make_figures(12)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/indicators/support_turns/values?period=2026&breakdown=province")
    for code in (80, 92, 79):
        make_figures(code)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/indicators/support_turns/values?period=2026&breakdown=province").json()
    assert len(body["values"]) == 4


def test_compare_gives_the_figures_of_the_comparison_page(client, ministry):
    make_figures(12, allocated=1_000_000_000)
    make_figures(80, allocated=3_000_000_000)
    make_figures(80, year=2025, allocated=1_500_000_000, title="Đề án năm trước")
    query = "period=2026&codes=kc_allocated&codes=support_turns&norm=billion"
    page = client.get(f"/reporting/compare/?{query}").context["data"]
    body = client.get(f"/api/v1/indicators/compare?{query}").json()
    assert body["previous_period"] == "2025" and body["norm"] == "billion"
    allocated, turns = body["indicators"]
    assert [(c["province"], c["value"], c["rank"], c["change"]) for c in allocated["provinces"]] == [
        (key, cell["value"], cell["rank"], cell["change"]) for key, cell in page["columns"][0]["cells"].items()]
    assert allocated["total"] == 4_000_000_000 and allocated["normalised"] is False
    assert [c["normalised"] for c in turns["provinces"]] == [2.0, round(2 / 3, 2)]
    refused = client.get("/api/v1/indicators/compare?period=2026&codes=kc_allocated&norm=dan-so")
    assert refused.status_code == 422 and refused.json()["field"] == "norm"
