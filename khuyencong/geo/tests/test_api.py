import json

import pytest
from django.test import Client

from khuyencong.accounts.tests.factories import make_user
from khuyencong.geo.models import AdminUnit

pytestmark = pytest.mark.django_db

ITEM_KEYS = {
    "id",
    "scheme",
    "level",
    "code",
    "code_str",
    "kind",
    "kind_label",
    "name",
    "short_name",
    "parent_code",
    "province_code",
    "valid_from",
    "valid_to",
}


@pytest.fixture
def api(admin_units, client: Client):
    # Province 12 (Lai Châu): reading units is not scoped, so any province would do.
    client.force_login(make_user(role="centre_staff", province_code=12))
    return client


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("scheme=current&level=province", 34),
        ("scheme=current&level=commune", 3321),
        ("scheme=legacy&level=province", 63),
        ("scheme=legacy&level=district", 696),
        ("scheme=legacy&level=commune", 10051),
        ("level=province", 34),
    ],
)
def test_counts(api, query, count):
    response = api.get(f"/api/v1/geo/units?{query}&limit=1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items"}
    assert body["count"] == count
    assert len(body["items"]) == 1


def test_item_shape(api):
    body = api.get("/api/v1/geo/units?scheme=legacy&level=commune&parent=794&q=phuong 1").json()
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert item["name"] == "Phường 1"
    assert item["code"] == 27694 and item["code_str"] == "27694"
    assert (item["scheme"], item["level"], item["kind"]) == ("legacy", "commune", "phuong")
    assert item["kind_label"] == "Phường"
    assert (item["parent_code"], item["province_code"]) == (794, 80)
    assert item["valid_to"] == "2025-06-30"

    lai_chau = api.get("/api/v1/geo/units?level=province&q=Lai Chau").json()["items"][0]
    assert (lai_chau["code_str"], lai_chau["parent_code"], lai_chau["province_code"]) == ("12", None, 12)
    assert lai_chau["valid_from"] == "2025-07-01" and lai_chau["valid_to"] is None


def test_limit_and_offset(api):
    first = api.get("/api/v1/geo/units?level=commune&limit=10&offset=0").json()
    second = api.get("/api/v1/geo/units?level=commune&limit=10&offset=5").json()
    assert [i["code"] for i in first["items"]][5:] == [i["code"] for i in second["items"]][:5]
    assert first["count"] == second["count"] == 3321
    # The project's maximum page size holds whatever the client asks.
    assert len(api.get("/api/v1/geo/units?level=commune&limit=500").json()["items"]) == 200
    assert api.get("/api/v1/geo/units?level=commune&limit=501").status_code == 422
    last = api.get("/api/v1/geo/units?level=commune&limit=200&offset=3320").json()
    assert len(last["items"]) == 1


def test_accent_insensitive_search(api):
    for q in ("ha noi", "HÀ NỘI", "Ha\u0300 No\u0323\u0302i"):
        items = api.get("/api/v1/geo/units", {"q": q}).json()["items"]
        assert items[0]["name"] == "Thành phố Hà Nội"


def test_parent_filter(api):
    body = api.get("/api/v1/geo/units?scheme=legacy&parent=80").json()
    assert body["count"] == 15 and {i["level"] for i in body["items"]} == {"district"}
    body = api.get("/api/v1/geo/units?scheme=current&parent=12").json()
    assert body["count"] == AdminUnit.objects.current().communes().filter(parent__code=12).count()


@pytest.mark.parametrize(
    "query", ["scheme=old", "level=ward", "scheme=current&level=district", "limit=0", "offset=-1", "parent=abc"]
)
def test_bad_parameters_give_422(api, query):
    response = api.get(f"/api/v1/geo/units?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]


def test_bad_scheme_message_is_vietnamese(api):
    body = api.get("/api/v1/geo/units?scheme=old").json()
    assert body["field"] == "scheme"
    assert body["detail"].startswith('Không có hệ thống đơn vị "old"')
    body = api.get("/api/v1/geo/units?scheme=current&level=district").json()
    assert body["detail"] == "Hệ thống hiện hành không còn cấp huyện (đã bỏ từ 01/7/2025)."


def test_sign_in_required(admin_units, client):
    for url in ("/api/v1/geo/units", "/api/v1/geo/resolve?province=Long%20An", "/api/v1/geo/units/1"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"


def test_any_province_reads_every_unit(admin_units, client):
    client.force_login(make_user(role="collaborator", province_code=80))
    assert client.get("/api/v1/geo/units?level=province").json()["count"] == 34


def test_list_queries_do_not_grow_with_the_page(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert len(api.get("/api/v1/geo/units?scheme=legacy&level=commune&limit=200").json()["items"]) == 200
    with django_assert_max_num_queries(4):
        assert len(api.get("/api/v1/geo/units?scheme=legacy&level=commune&limit=2").json()["items"]) == 2


def test_detail_of_a_legacy_unit(api):
    long_an = AdminUnit.objects.legacy().provinces().get(code=80)
    body = api.get(f"/api/v1/geo/units/{long_an.pk}").json()
    assert body["name"] == "Tỉnh Long An"
    assert body["children_count"] == 15
    assert body["parent"] is None
    assert [(s["name"], s["partial"], s["scheme"]) for s in body["successors"]] == [("Tỉnh Tây Ninh", False, "current")]
    assert body["predecessors"] == []


def test_detail_of_a_current_unit(api):
    tay_ninh = AdminUnit.objects.current().provinces().get(code=80)
    body = api.get(f"/api/v1/geo/units/{tay_ninh.pk}").json()
    assert {"Tỉnh Long An", "Tỉnh Tây Ninh"} <= {p["name"] for p in body["predecessors"]}
    assert body["successors"] == []
    ward = AdminUnit.objects.current().communes().get(name="Phường Long An")
    body = api.get(f"/api/v1/geo/units/{ward.pk}").json()
    assert body["parent"]["code"] == 80
    names = {(p["level"], p["name"], p["partial"]) for p in body["predecessors"]}
    assert ("commune", "Phường 1", False) in names
    assert ("district", "Thành phố Tân An", True) in names


def test_detail_has_the_type_history(api):
    dong_nai = AdminUnit.objects.current().provinces().get(code=75)
    body = api.get(f"/api/v1/geo/units/{dong_nai.pk}").json()
    assert [(p["kind"], p["valid_from"], p["valid_to"]) for p in body["periods"]] == [
        ("tinh", "2025-07-01", "2026-04-29"),
        ("thanh_pho_tw", "2026-04-30", None),
    ]
    assert body["kind"] == "thanh_pho_tw"


def test_detail_404(api):
    response = api.get("/api/v1/geo/units/999999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_resolve_exact(api):
    body = api.get("/api/v1/geo/resolve", {"province": "Long An", "district": "TP Tân An", "commune": "P.1"}).json()
    assert body["status"] == "exact"
    assert body["level"] == "commune"
    assert body["legacy"]["province"]["name"] == "Tỉnh Long An"
    assert body["legacy"]["district"]["code"] == 794
    assert body["legacy"]["commune"]["name"] == "Phường 1"
    assert body["current_province"]["code"] == 80
    assert [(c["name"], c["partial"]) for c in body["current"]] == [("Phường Long An", False)]
    assert body["message"]


def test_resolve_province_only(api):
    body = api.get("/api/v1/geo/resolve", {"province": "Hậu Giang"}).json()
    assert (body["status"], body["current_province"]["name"]) == ("exact", "Thành phố Cần Thơ")
    assert body["legacy"]["district"] is None and body["legacy"]["commune"] is None


def test_resolve_split_and_not_found_and_ambiguous(api):
    split = api.get("/api/v1/geo/resolve", {"province": "Hà Nội", "district": "Ba Đình", "commune": "Điện Biên"})
    assert split.json()["status"] == "split"
    assert len(split.json()["current"]) == 4 and all(c["partial"] for c in split.json()["current"])
    missing = api.get("/api/v1/geo/resolve", {"province": "Long An", "district": "Huyện Không Có"}).json()
    assert (missing["status"], missing["part"]) == ("not_found", "district")
    ambiguous = api.get("/api/v1/geo/resolve", {"province": "Hà Tĩnh", "district": "Kỳ Anh"}).json()
    assert ambiguous["status"] == "ambiguous"
    assert {c["name"] for c in ambiguous["candidates"]} == {"Huyện Kỳ Anh", "Thị xã Kỳ Anh"}
    empty = api.get("/api/v1/geo/resolve").json()
    assert (empty["status"], empty["part"]) == ("not_found", "province")


def test_openapi_documents_the_geo_endpoints(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    paths = schema["paths"]
    for path in ("/api/v1/geo/units", "/api/v1/geo/units/{unit_id}", "/api/v1/geo/resolve"):
        assert "get" in paths[path]
    list_params = {p["name"] for p in paths["/api/v1/geo/units"]["get"]["parameters"]}
    assert {"scheme", "level", "parent", "province", "q", "limit", "offset"} <= list_params
    # Every reference resolves and every operation id is unique.
    text = json.dumps(schema)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        assert ref.removeprefix("#/components/schemas/") in schema["components"]["schemas"], ref
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))
