"""The /api/v1/ endpoints of the accounts app: authentication, the organisation directory, the schema."""

import json
import unicodedata

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from khuyencong.accounts import services
from khuyencong.accounts.models import Organisation, OrganisationKind, Role

from .factories import OrganisationFactory, UserFactory, make_user, province

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH = 12, 80


def _patch(client, url, data, **extra):
    return client.patch(url, data=json.dumps(data), content_type="application/json", **extra)


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# /me and authentication


def test_me_with_a_session(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, full_name="Nguyễn Thị Thu Hà")
    client.force_login(user)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["full_name"] == "Nguyễn Thị Thu Hà"
    assert body["national"] is False
    assert body["province_codes"] == [LAI_CHAU]
    [assignment] = body["assignments"]
    assert assignment["role"] == "centre_staff"
    assert assignment["scope_level"] == "province"
    assert assignment["province"] == {"code": LAI_CHAU, "name": "Tỉnh Lai Châu"}


def test_me_for_a_national_user(client):
    client.force_login(make_user(role=Role.MINISTRY_OFFICER, province_code=None))
    body = client.get("/api/v1/me").json()
    assert body["national"] is True
    assert body["province_codes"] == []
    assert body["assignments"][0]["province"] is None


def test_bearer_token_authenticates(client):
    user = make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH)
    token, raw = services.api_token_create(actor=user, user=user)
    response = client.get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert response.json()["province_codes"] == [TAY_NINH]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(client):
    user = UserFactory()
    token, raw = services.api_token_create(actor=user, user=user)
    assert client.get("/api/v1/me", **_bearer(raw)).status_code == 200
    services.api_token_revoke(actor=user, token_id=token.pk)
    response = client.get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_token_of_a_disabled_user_is_refused(client):
    user = UserFactory()
    _token, raw = services.api_token_create(actor=user, user=user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **_bearer(raw)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer kc_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "kc_abc"])
def test_bad_token_is_refused(client, header):
    UserFactory()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_no_authentication_is_refused_with_a_readable_detail(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    # Vietnamese once the catalogue has it, English until then: the same text the handler translates.
    assert body["detail"] == tr("Please sign in or send a valid API token.")


def test_organisations_need_authentication(client):
    OrganisationFactory(province=province(LAI_CHAU))
    assert client.get("/api/v1/organisations").status_code == 401
    assert client.get("/api/v1/organisations/1").status_code == 401


# The organisation directory


@pytest.fixture
def lai_chau_user():
    return make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)


def test_organisation_list_shape(client, lai_chau_user):
    org = OrganisationFactory(name="Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu",
                              province=province(LAI_CHAU), phone="0213 3876 543")
    client.force_login(lai_chau_user)
    body = client.get("/api/v1/organisations").json()
    assert set(body) == {"count", "items"}
    item = next(i for i in body["items"] if i["id"] == org.pk)
    assert item == {
        "id": org.pk, "kind": "kc_centre", "kind_label": str(OrganisationKind.KC_CENTRE.label),
        "name": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu", "short_name": "",
        "province": {"code": LAI_CHAU, "name": "Tỉnh Lai Châu"}, "address": "", "phone": "0213 3876 543",
        "email": "", "is_active": True, "version": 1,
    }
    assert body["count"] == len(body["items"])


def test_organisation_list_is_scoped(client, lai_chau_user):
    own = OrganisationFactory(province=province(LAI_CHAU))
    national = OrganisationFactory(kind=OrganisationKind.MINISTRY_AGENCY, province=None)
    foreign = OrganisationFactory(province=province(TAY_NINH))
    client.force_login(lai_chau_user)
    ids = {i["id"] for i in client.get("/api/v1/organisations").json()["items"]}
    assert {own.pk, national.pk} <= ids
    assert foreign.pk not in ids
    assert client.get(f"/api/v1/organisations/{foreign.pk}").status_code == 404
    assert client.get(f"/api/v1/organisations/{own.pk}").json()["id"] == own.pk


def test_organisation_list_limit_and_offset(client, lai_chau_user):
    for n in range(7):
        OrganisationFactory(name=f"Hợp tác xã số {n:02d}", kind=OrganisationKind.OTHER, province=province(LAI_CHAU))
    client.force_login(lai_chau_user)
    url = "/api/v1/organisations?kind=other"
    everything = client.get(url).json()
    assert everything["count"] == 7
    names = [i["name"] for i in everything["items"]]
    assert names == [f"Hợp tác xã số {n:02d}" for n in range(7)]

    page = client.get(f"{url}&limit=3&offset=2").json()
    assert page["count"] == 7
    assert [i["name"] for i in page["items"]] == names[2:5]
    assert client.get(f"{url}&limit=3&offset=6").json()["items"] == everything["items"][6:]
    assert client.get(f"{url}&offset=50").json() == {"count": 7, "items": []}
    for bad in ("limit=0", "limit=-1", "offset=-1", "limit=abc"):
        response = client.get(f"{url}&{bad}")
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid"


def test_organisation_list_limit_is_capped(client, settings):
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.OTHER, name=f"Đơn vị {n:03d}", name_folded=f"don vi {n:03d}",
                     province=province(TAY_NINH))
        for n in range(settings.KC_API_MAX_LIMIT + 5)
    )
    client.force_login(admin)
    body = client.get("/api/v1/organisations?kind=other&limit=500").json()
    assert body["count"] == settings.KC_API_MAX_LIMIT + 5
    assert len(body["items"]) == settings.KC_API_MAX_LIMIT
    assert client.get("/api/v1/organisations?kind=other&limit=501").status_code == 422


@pytest.mark.parametrize(
    "q",
    ["trung tam khuyen cong", "TRUNG TÂM KHUYẾN CÔNG", "khuyến công", "Khuyen Cong tinh LAI CHAU",
     unicodedata.normalize("NFD", "khuyến công"), "  khuyen   cong "],
)
def test_organisation_search_ignores_accents_and_case(client, lai_chau_user, q):
    hit = services.organisation_create(actor=lai_chau_user, data={
        "kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Khuyến công tỉnh Lai Châu",
        "province": province(LAI_CHAU),
    })
    services.organisation_create(actor=lai_chau_user, data={
        "kind": OrganisationKind.DOIT, "name": "Sở Công Thương tỉnh Lai Châu", "province": province(LAI_CHAU),
    })
    client.force_login(lai_chau_user)
    body = client.get("/api/v1/organisations", {"q": q}).json()
    assert [i["id"] for i in body["items"]] == [hit.pk]
    assert body["count"] == 1


def test_organisation_filters_by_kind_and_province(client):
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    centre = OrganisationFactory(province=province(TAY_NINH))
    OrganisationFactory(province=province(LAI_CHAU))
    OrganisationFactory(kind=OrganisationKind.DOIT, province=province(TAY_NINH))
    client.force_login(admin)
    body = client.get("/api/v1/organisations", {"kind": "kc_centre", "province": TAY_NINH}).json()
    assert [i["id"] for i in body["items"]] == [centre.pk]


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_organisation_list_query_count_is_flat(client, lai_chau_user):
    def add(n):
        for _i in range(n):
            org = OrganisationFactory(province=province(LAI_CHAU), parent=OrganisationFactory(
                kind=OrganisationKind.DOIT, province=province(LAI_CHAU)))
            make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=org)

    client.force_login(lai_chau_user)
    add(3)
    few = _list_queries(client, "/api/v1/organisations")
    assert client.get("/api/v1/organisations").json()["count"] >= 6
    add(27)
    many = _list_queries(client, "/api/v1/organisations")
    assert client.get("/api/v1/organisations").json()["count"] >= 60
    assert many == few


def test_organisation_list_query_count_with_a_token_is_flat(client, lai_chau_user):
    _token, raw = services.api_token_create(actor=lai_chau_user, user=lai_chau_user)
    for _i in range(3):
        OrganisationFactory(province=province(LAI_CHAU))
    client.get("/api/v1/me", **_bearer(raw))  # last_used_at is written once; later calls only read
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/organisations", **_bearer(raw))
    for _i in range(27):
        OrganisationFactory(province=province(LAI_CHAU))
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/organisations", **_bearer(raw))
    assert len(many.captured_queries) == len(few.captured_queries)


# PATCH


@pytest.fixture
def centre():
    return OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(LAI_CHAU))


def test_patch_updates_and_returns_the_new_version(client, lai_chau_user, centre):
    client.force_login(lai_chau_user)
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "phone": "0213 3876 543"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["phone"] == "0213 3876 543"
    assert Organisation.objects.get(pk=centre.pk).phone == "0213 3876 543"


def test_patch_with_a_token_needs_no_csrf(lai_chau_user, centre):
    _token, raw = services.api_token_create(actor=lai_chau_user, user=lai_chau_user)
    response = _patch(Client(enforce_csrf_checks=True), f"/api/v1/organisations/{centre.pk}",
                      {"version": 1, "short_name": "TTKC Lai Châu"}, **_bearer(raw))
    assert response.status_code == 200
    assert Organisation.objects.get(pk=centre.pk).short_name == "TTKC Lai Châu"


def test_patch_with_a_session_needs_the_csrf_token(lai_chau_user, centre):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lai_chau_user)
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "name": "Bị sửa"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"


def test_patch_with_a_stale_version_is_a_conflict(client, lai_chau_user, centre):
    client.force_login(lai_chau_user)
    assert _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "phone": "1"}).status_code == 200
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "phone": "2"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"]
    assert Organisation.objects.get(pk=centre.pk).phone == "1"


def test_patch_by_centre_staff_is_forbidden(client, centre):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "name": "Bị sửa"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"] == tr("Only system administrators and DoIT officers can edit organisations.")
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"


def test_patch_out_of_scope_is_not_found(client, centre):
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH))
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "name": "Bị sửa"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"version": 1, "name": "  "}, "name"),
        ({"version": 1, "email": "không phải email"}, "email"),
        ({"version": 1, "phone": "0" * 31}, "phone"),
        ({"version": 1, "name": "N" * 251}, "name"),
    ],
)
def test_patch_refuses_bad_values_with_422(client, lai_chau_user, centre, data, field):
    client.force_login(lai_chau_user)
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", data)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field
    assert Organisation.objects.get(pk=centre.pk).version == 1


def test_patch_refuses_null_and_a_missing_version(client, lai_chau_user, centre):
    client.force_login(lai_chau_user)
    url = f"/api/v1/organisations/{centre.pk}"
    assert _patch(client, url, {"version": 1, "name": None}).status_code == 422
    assert _patch(client, url, {"name": "Không có phiên bản"}).status_code == 422
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"


def test_patch_to_a_name_already_taken_is_refused(client, lai_chau_user, centre):
    OrganisationFactory(name="Trung tâm khác", province=province(LAI_CHAU))
    client.force_login(lai_chau_user)
    response = _patch(client, f"/api/v1/organisations/{centre.pk}", {"version": 1, "name": "Trung tâm khác"})
    assert response.status_code == 422
    assert response.json()["field"] == "name"


# The schema


def test_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1.")
    assert schema["info"]["title"] == "khuyencong API"
    paths = schema["paths"]
    assert all(path.startswith("/api/v1/") for path in paths)
    assert {"/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{org_id}"} <= set(paths)
    assert set(paths["/api/v1/organisations/{org_id}"]) == {"get", "patch"}
    list_op = paths["/api/v1/organisations"]["get"]
    params = {p["name"] for p in list_op["parameters"]}
    assert {"q", "kind", "province", "limit", "offset"} <= params
    schemas = schema["components"]["schemas"]
    assert {"OrganisationOut", "OrganisationPatch", "MeOut"} <= set(schemas)
    assert "version" in schemas["OrganisationPatch"]["required"]
    assert schema["components"]["securitySchemes"]
    # Every $ref points at a schema that exists.
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref


def test_openapi_schema_validates(client):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    broken = {**schema, "paths": {"/api/v1/me": {"get": {"responses": {"200": {"content": 5}}}}}}
    with pytest.raises(OpenAPIValidationError):  # the validator does reject a bad schema
        validate(broken)
