"""The network's API: scoped lists as {count, items}, a collaborator's own field records, flat query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import commune_of, make_user
from khuyencong.projects.tests.factories import make_establishment

from .conftest import LAI_CHAU
from .factories import make_application, make_collaborator, make_field_collaborator, make_record, make_task

pytestmark = pytest.mark.django_db


def test_lists_are_paginated_and_scoped(client, staff):
    make_collaborator(LAI_CHAU, name="Lò Văn Một")
    make_collaborator(80, name="Lê Văn Hai")
    client.force_login(staff)
    body = client.get("/api/v1/collaborators?limit=1").json()
    assert body["count"] == 1 and body["items"][0]["full_name"] == "Lò Văn Một"
    assert body["items"][0]["id_number"].startswith("•••")
    assert set(client.get("/api/v1/collaborator-applications").json()) == {"count", "items"}
    assert set(client.get("/api/v1/collaborator-tasks").json()) == {"count", "items"}
    assert set(client.get("/api/v1/field-records").json()) == {"count", "items"}


def test_collaborator_records_field_work_through_the_api(client, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 1))
    client.force_login(user)
    response = client.post("/api/v1/field-records", data=json.dumps({
        "kind": "need", "establishment": establishment.pk, "content_code": "machinery",
        "expected_cost_vnd": 120_000_000, "latitude": "22.1", "longitude": "103.2"}), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["commune"]["code"] == commune_of(LAI_CHAU, 1).code
    outside = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 9))
    refused = client.post("/api/v1/field-records", data=json.dumps({"kind": "survey", "establishment": outside.pk}),
                          content_type="application/json")
    assert refused.status_code == 422 and "Không có cơ sở nào" in refused.json()["detail"]
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    client.force_login(staff)
    denied = client.post("/api/v1/field-records", data=json.dumps({"kind": "communication"}),
                         content_type="application/json")
    assert denied.status_code == 403


def test_a_collaborator_sees_only_their_own_record(client, regulation):
    me, user = make_field_collaborator(LAI_CHAU)
    make_collaborator(LAI_CHAU, name="Đồng nghiệp")
    client.force_login(user)
    body = client.get("/api/v1/collaborators").json()
    assert [c["id"] for c in body["items"]] == [me.pk]
    assert client.get("/api/v1/collaborator-applications").json()["count"] == 0


def test_api_lists_do_not_grow_queries_with_rows(client, staff):
    client.force_login(staff)
    urls = ["/api/v1/collaborators", "/api/v1/field-records", "/api/v1/collaborator-tasks",
            "/api/v1/collaborator-applications"]

    def add(i):
        c = make_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, i), commune_of(LAI_CHAU, i + 10)])
        make_record(c)
        make_task(c)
        make_application(LAI_CHAU)

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result[url] = len(ctx.captured_queries)
        return result

    add(0)
    before = counts()
    for i in range(1, 6):
        add(i)
    assert counts() == before


@pytest.mark.parametrize("url", ["/network/collaborators/", "/network/collaborators/?status=active&q=nguyen",
                                 "/api/v1/collaborators", "/api/v1/collaborators?limit=50"])
def test_collaborator_lists_stay_within_twelve_queries(client, staff, regulation, url,
                                                       django_assert_max_num_queries):
    """The collaborators page and API answer in at most 12 queries, with 2 rows as with 30 (each with two communes,
    a status history and an account)."""
    client.force_login(staff)

    def add(i):
        _c, _user = make_field_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, i % 12),
                                                                commune_of(LAI_CHAU, (i + 5) % 12)])

    for i in range(2):
        add(i)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 30):
        add(i)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    if url.startswith("/api/") and "q=" not in url:
        assert response.json()["count"] == 30


def test_the_api_still_takes_iso_dates_the_pages_take_dd_mm_yyyy(client, regulation):
    """Pages read dd/mm/yyyy (core.forms.DateInput); the API keeps ISO 8601, as its schema says."""
    _, user = make_field_collaborator(LAI_CHAU)
    client.force_login(user)
    sent = client.post("/api/v1/field-records", data=json.dumps({
        "kind": "communication", "commune": commune_of(LAI_CHAU, 0).code, "topic": "Phổ biến chính sách",
        "participants": 12, "occurred_on": "2025-12-07"}), content_type="application/json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["occurred_on"] == "2025-12-07"
    day_first = client.post("/api/v1/field-records", data=json.dumps({
        "kind": "communication", "commune": commune_of(LAI_CHAU, 0).code, "topic": "x", "participants": 1,
        "occurred_on": "07/12/2025"}), content_type="application/json")
    assert day_first.status_code == 422
