"""Pages and API of the clusters: the list and detail stay flat in queries as clusters grow; the API writes through
the services with Vietnamese errors; the national roll-up adds the provinces."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .helpers import LAI_CHAU, TAY_NINH, admin, operating_cluster

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_list_detail_and_api_stay_flat(client):
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    client.force_login(officer)
    first = operating_cluster(name="Cụm A")
    counts = [_queries(client, "/clusters/"), _queries(client, f"/clusters/{first.pk}/"),
              _queries(client, "/api/v1/clusters")]
    for n in range(3):
        operating_cluster(name=f"Cụm thêm {n}")
    assert [_queries(client, "/clusters/"), _queries(client, f"/clusters/{first.pk}/"),
            _queries(client, "/api/v1/clusters")] == counts


def test_api_create_and_land_with_errors_in_vietnamese(client):
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    client.force_login(officer)
    response = client.post("/api/v1/clusters", data=json.dumps({
        "province": LAI_CHAU, "name": "Cụm API", "planned_ha": "30", "established_ha": "30",
        "industrial_land_ha": "20"}), content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    bad = client.post(f"/api/v1/clusters/{pk}/land", data=json.dumps({
        "on_date": "2026-06-10", "industrial_ha": "20", "leased_ha": "25"}), content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) >= {"code", "detail"}
    ok = client.post(f"/api/v1/clusters/{pk}/land", data=json.dumps({
        "on_date": "2026-06-10", "industrial_ha": "20", "leased_ha": "5"}), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["occupancy"] == "25.0"
    other = client.post("/api/v1/clusters", data=json.dumps({"province": TAY_NINH, "name": "Lạ"}),
                        content_type="application/json")
    assert other.status_code in (403, 422)


def test_stale_version_is_a_409(client):
    cluster = operating_cluster()
    client.force_login(admin())
    response = client.post(f"/api/v1/clusters/{cluster.pk}/act/remove", data=json.dumps({"version": 1}),
                           content_type="application/json")
    assert response.status_code in (409, 422)


def test_national_roll_up_for_the_ministry(client):
    operating_cluster(LAI_CHAU, name="Cụm Lai Châu")
    operating_cluster(TAY_NINH, name="Cụm Tây Ninh")
    ministry = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
    client.force_login(ministry)
    body = client.get("/api/v1/clusters-report?period=2026-H1").json()
    rows = {row[1]: row[3] for row in body["rows"]}
    assert rows["Số cụm đang hoạt động đã có quyết định thành lập"] == 2
    assert client.get("/clusters/reports/?period=2026-H1").status_code == 200
    assert client.get("/clusters/reports/?period=2026-H1&format=xlsx").content.startswith(b"PK")
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    client.force_login(officer)
    assert client.get(f"/api/v1/clusters-report?period=2026-H1&province={TAY_NINH}").status_code == 404
    page = client.get(f"/clusters/reports/?period=2026-H1&province={LAI_CHAU}&form=04&format=xlsx")
    assert page.content.startswith(b"PK")
