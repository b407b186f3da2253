"""The /api/v1/establishments endpoints: list {count, items} with search and filters, create, edit, eligibility."""

import datetime
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.core.audit import audit_events_for
from khuyencong.registry.models import Establishment, Sector, SupportRecord

from .helpers import (
    HA_NOI,
    LAI_CHAU,
    TAY_NINH,
    DjangoMessage,
    current_commune,
    make_establishment,
    make_village,
    tax_code,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/establishments"


def _post(client, data):
    return client.post(URL, data=json.dumps(data), content_type="application/json")


def _patch(client, pk, data):
    return client.patch(f"{URL}/{pk}", data=json.dumps(data), content_type="application/json")


def _payload(**fields) -> dict:
    return {"name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "commune": current_commune(TAY_NINH).code,
            "representative": "Nguyễn Văn Tư", "phone": "+84 912 345 678", "main_products": "Bánh tráng phơi sương",
            "sectors": ["agro_food_processing"], **fields}


# --- authentication -----------------------------------------------------------------------------------------------


def test_without_authentication_everything_is_401(client):
    e = make_establishment()
    for response in (client.get(URL), client.get(f"{URL}/{e.pk}"), _post(client, _payload()),
                     _patch(client, e.pk, {"version": 1, "name": "X"}), client.get(f"{URL}/{e.pk}/eligibility")):
        assert response.status_code == 401
        assert response.json() == {"code": "unauthenticated",
                                   "detail": "Vui lòng đăng nhập hoặc gửi mã truy cập API hợp lệ."}
    assert Establishment.objects.get().name == "Cơ sở thử"


def test_a_bearer_token_works(client, staff):
    from khuyencong.accounts import services as account_services

    make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    _token, raw = account_services.api_token_create(actor=staff, user=staff)
    response = client.get(URL, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- list ---------------------------------------------------------------------------------------------------------


def test_list_shape(client, staff):
    village = make_village(current_commune(TAY_NINH))
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa", tax_code="0300588569", craft_village=village,
                           ocop_stars=3, phone="0912345678", latitude="11.312568", longitude="106.123457")
    client.force_login(staff)
    body = client.get(URL).json()
    assert body["count"] == 1
    [item] = body["items"]
    commune = current_commune(TAY_NINH)
    assert item == {
        "id": e.pk, "name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "sme_size": "",
        "tax_code": "0300588569", "representative": "", "phone": "0912345678", "main_products": "", "employees": None,
        "woman_owned": False, "ethnic_minority": False, "ocop_stars": 3, "craft_village": village.name, "address": "",
        "commune": {"code": commune.code, "name": commune.name},
        "province": {"code": TAY_NINH, "name": "Tỉnh Tây Ninh"}, "legacy_address": "",
        "latitude": "11.312568", "longitude": "106.123457", "status": "active", "eligible": True, "version": 1,
    }


def test_list_searches_without_diacritics_and_filters(client, staff):
    food = Sector.objects.get(code="agro_food_processing")
    tu_hoa = make_establishment(name="Cơ sở bánh tráng Tư Hòa", main_products="Bánh tráng phơi sương",
                                sectors=[food], ocop_stars=4)
    coop = make_establishment(name="Hợp tác xã bánh tráng Đông Hòa", entity_type="cooperative", status="suspended")
    SupportRecord.objects.create(establishment=coop, year=2022, fund="national", description="Máy sấy")
    ward_sme = make_establishment(name="Công ty TNHH Mộc Đông", entity_type="sme", sme_size="small",
                                  commune=current_commune(TAY_NINH, "phuong"))
    client.force_login(staff)

    def names(**params):
        body = client.get(URL, params).json()
        assert body["count"] == len(body["items"])
        return sorted(item["name"] for item in body["items"])

    assert names(q="BANH TRANG") == sorted([tu_hoa.name, coop.name])
    assert names(q="đông") == sorted([coop.name, ward_sme.name])
    assert names(q="0300588569") == []
    assert names(entity_type="cooperative") == [coop.name]
    assert names(sector="agro_food_processing") == [tu_hoa.name]
    assert names(supported="national") == [coop.name]
    assert names(supported="no") == sorted([tu_hoa.name, ward_sme.name])
    assert names(ocop=4) == [tu_hoa.name]
    assert names(status="suspended") == [coop.name]
    assert names(province=TAY_NINH, q="banh trang", entity_type="household") == [tu_hoa.name]
    assert names(province=LAI_CHAU) == []


def test_list_limit_is_capped(client, staff):
    client.force_login(staff)
    Establishment.objects.bulk_create([Establishment(
        name=f"Cơ sở {n}", name_folded=f"co so {n}", entity_type="household", commune=current_commune(TAY_NINH),
        province=current_commune(TAY_NINH).province) for n in range(settings.KC_API_MAX_LIMIT + 3)])
    body = client.get(URL, {"limit": 500}).json()
    assert body["count"] == settings.KC_API_MAX_LIMIT + 3
    assert len(body["items"]) == settings.KC_API_MAX_LIMIT
    assert client.get(URL, {"limit": 501}).status_code == 422


def test_list_count_stops_at_the_limit_and_says_so(client, staff, monkeypatch):
    """Like the page, the API counts the matches up to a limit (10,000; 4 here): `count_capped` says there are
    more; below the limit the count is exact and `count_capped` false; the items of every offset are served."""
    from khuyencong.registry.api import CappedLimitOffsetPagination

    assert CappedLimitOffsetPagination.count_limit == 10_000
    monkeypatch.setattr(CappedLimitOffsetPagination, "count_limit", 4)
    client.force_login(staff)
    for n in range(6):
        make_establishment(name=f"Cơ sở bánh tráng {n}", commune=current_commune(TAY_NINH, index=n))
    make_establishment(name="Cơ sở gốm Bát Tràng", commune=current_commune(TAY_NINH))
    body = client.get(URL, {"q": "banh trang", "limit": 2}).json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (4, True, 2)
    last = client.get(URL, {"q": "banh trang", "limit": 2, "offset": 5}).json()
    assert [e["name"] for e in last["items"]] == ["Cơ sở bánh tráng 5"] and last["count_capped"] is True
    exact = client.get(URL, {"q": "gom"}).json()
    assert (exact["count"], exact["count_capped"]) == (1, False)
    monkeypatch.setattr(CappedLimitOffsetPagination, "count_limit", 6)  # exactly the limit: not capped
    body = client.get(URL, {"q": "banh trang"}).json()
    assert (body["count"], body["count_capped"]) == (6, False)


def test_list_count_contract_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = json.dumps(schema)
    assert "count_capped" in text and "10,000" in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_queries_stay_flat_as_rows_grow(client, staff):
    client.force_login(staff)
    village = make_village(current_commune(TAY_NINH))
    for n in range(3):
        make_establishment(name=f"Cơ sở bánh tráng {n}", commune=current_commune(TAY_NINH, index=n),
                           craft_village=village)
    few = _queries(client, f"{URL}?q=banh+trang")
    for n in range(3, 30):
        make_establishment(name=f"Cơ sở bánh tráng {n}", commune=current_commune(TAY_NINH, index=n % 10),
                           craft_village=village if n % 2 else None)
    assert client.get(f"{URL}?q=banh+trang").json()["count"] == 30
    assert _queries(client, f"{URL}?q=banh+trang") == few


# --- create -------------------------------------------------------------------------------------------------------


def test_create_returns_201_with_the_record(client, staff):
    client.force_login(staff)
    response = _post(client, _payload(tax_code="0300 588 569"))
    assert response.status_code == 201
    body = response.json()
    e = Establishment.objects.get(pk=body["id"])
    assert body["phone"] == "0912345678"
    assert body["tax_code"] == "0300588569"
    assert body["eligible"] is True
    assert body["commune"]["code"] == e.commune.code
    assert list(e.sectors.values_list("code", flat=True)) == ["agro_food_processing"]
    assert audit_events_for(e).get().actor == staff


@pytest.mark.parametrize(("fields", "field", "detail"), [
    ({"tax_code": "0100109107"}, "tax_code", "Mã số thuế 0100109107 sai chữ số kiểm tra."),
    ({"phone": "12345"}, "phone", "Số điện thoại '12345' không đúng (cần 10 số, ví dụ 0912345678)."),
    ({"entity_type": "sme"}, "sme_size", "Chọn quy mô doanh nghiệp (siêu nhỏ, nhỏ hoặc vừa)."),
    ({"name": "  "}, "name", "Cần nhập tên cơ sở."),
    ({"commune": 99999}, "commune", "Không có xã/phường hiện nay mang mã này."),
    ({"commune": 99999999}, "commune", "Yêu cầu có tham số không hợp lệ. “commune” phải nhỏ hơn hoặc bằng 99.999."),
    ({"sectors": ["trong_lua"]}, "sectors", "Mã ngành nghề không có trong danh mục."),
    ({"craft_village": 99999999}, "craft_village", "Không có làng nghề này."),
    ({"ocop_stars": 9}, "ocop_stars", "Yêu cầu có tham số không hợp lệ. “ocop_stars” phải nhỏ hơn hoặc bằng 5."),
    ({"entity_type": "trang_trai"}, "entity_type",
     DjangoMessage("Value %(value)r is not a valid choice.", value="trang_trai")),
    ({"latitude": "100.5"}, "latitude",
     DjangoMessage("Ensure this value is less than or equal to %(limit_value)s.", limit_value=90)),
    ({"longitude": "1106.5"}, "longitude", DjangoMessage(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.", 3, max=3)),
    ({"phone": "0912 345 678 ext 12"}, "phone",
     "Số điện thoại '0912 345 678 ext 12' không đúng (cần 10 số, ví dụ 0912345678)."),
    ({"employees": -1}, "employees",
     "Yêu cầu có tham số không hợp lệ. “employees” phải lớn hơn hoặc bằng 0."),
    ({"email": "tuhoa@"}, "email", DjangoMessage("Enter a valid email address.")),
])
def test_create_refuses_bad_input_with_422_in_vietnamese(client, staff, fields, field, detail):
    client.force_login(staff)
    response = _post(client, _payload(**fields))
    assert response.status_code == 422
    body = response.json()
    assert {key: body[key] for key in ("code", "detail", "field")} == {"code": "invalid", "detail": str(detail),
                                                                        "field": field}
    assert not Establishment.objects.exists()


def test_create_refuses_a_known_tax_code(client, staff):
    make_establishment(name="Hợp tác xã Tân Hòa", tax_code="0300588569", entity_type="cooperative")
    client.force_login(staff)
    response = _post(client, _payload(tax_code="0300-588-569"))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Mã số thuế 0300588569 đã thuộc về “Hợp tác xã Tân Hòa”")


def test_create_without_required_fields_is_422(client, staff):
    client.force_login(staff)
    response = _post(client, {"name": "Cơ sở thiếu xã"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Yêu cầu có tham số không hợp lệ. Thiếu “entity_type”. Thiếu “commune”."
    assert {tuple(e["loc"][-1:]) for e in body["errors"]} == {("entity_type",), ("commune",)}


def test_create_outside_the_area_is_403(client, laichau_staff, viewer):
    for user in (laichau_staff, viewer):
        client.force_login(user)
        response = _post(client, _payload())
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert not Establishment.objects.exists()


# --- edit ---------------------------------------------------------------------------------------------------------


def test_patch_edits_with_the_version(client, staff):
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    client.force_login(staff)
    response = _patch(client, e.pk, {"version": 1, "main_products": "Bánh tráng nướng", "phone": "0912.345.678"})
    assert response.status_code == 200
    body = response.json()
    assert (body["main_products"], body["phone"], body["version"]) == ("Bánh tráng nướng", "0912345678", 2)
    assert audit_events_for(e).get().changes["main_products"] == ["", "Bánh tráng nướng"]


def test_patch_with_a_stale_version_is_409(client, staff):
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    client.force_login(staff)
    assert _patch(client, e.pk, {"version": 1, "main_products": "Bánh tráng nướng"}).status_code == 200
    response = _patch(client, e.pk, {"version": 1, "main_products": "Bánh phồng"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"].startswith("Người khác đã sửa cơ sở này sau khi bạn mở.")
    e.refresh_from_db()
    assert (e.main_products, e.version) == ("Bánh tráng nướng", 2)


@pytest.mark.parametrize(("data", "field"), [
    ({"name": None}, "name"),
    ({"entity_type": None}, "entity_type"),
    ({"status": None}, "status"),
    ({"woman_owned": None}, "woman_owned"),
    ({"commune": None}, "commune"),
    ({"entity_type": "sme"}, "sme_size"),
    ({"status": "deleted"}, "status"),
])
def test_patch_refuses_nulls_and_bad_values_with_422(client, staff, data, field):
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    client.force_login(staff)
    response = _patch(client, e.pk, {"version": 1, **data})
    assert response.status_code == 422
    assert response.json()["field"] == field
    e.refresh_from_db()
    assert e.version == 1


def test_patch_null_clears_an_optional_text_and_a_number(client, staff):
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa", phone="0912345678", employees=12, tax_code=tax_code(3))
    client.force_login(staff)
    response = _patch(client, e.pk, {"version": 1, "phone": None, "employees": None, "tax_code": None})
    assert response.status_code == 200
    e.refresh_from_db()
    assert (e.phone, e.employees, e.tax_code) == ("", None, None)


def test_patch_outside_the_area_is_404(client, laichau_staff):
    e = make_establishment()
    client.force_login(laichau_staff)
    response = _patch(client, e.pk, {"version": 1, "name": "Bị sửa"})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Không tìm thấy cơ sở."}


# --- eligibility --------------------------------------------------------------------------------------------------


def test_eligibility_on_a_date(client, hanoi_staff):
    ward, xa = current_commune(HA_NOI, "phuong"), current_commune(HA_NOI, "xa")
    sme = make_establishment(name="Công ty TNHH Gốm", entity_type="sme", sme_size="small", commune=ward)
    village = make_village(ward, "Làng nghề gốm Bát Tràng", recognised=datetime.date(2010, 5, 1))
    sme_in_village = make_establishment(name="Công ty TNHH Gốm Bát Tràng", entity_type="sme", sme_size="small",
                                        commune=ward, craft_village=village)
    household = make_establishment(name="Hộ kinh doanh mây tre", commune=xa)
    client.force_login(hanoi_staff)

    def check(e, on):
        response = client.get(f"{URL}/{e.pk}/eligibility", {"on": on})
        assert response.status_code == 200
        return response.json()

    refused = check(sme, "2025-10-15")
    assert refused["eligible"] is False
    assert refused["on"] == "2025-10-15"
    assert ward.name in refused["reasons"][0]
    assert refused["basis"][0].startswith("NĐ 235/2025/NĐ-CP")
    accepted = check(sme_in_village, "2026-01-10")
    assert accepted["eligible"] is True
    assert "làng nghề" in accepted["reasons"][0]
    assert check(household, "2026-01-10")["eligible"] is True
    assert check(household, "2026-01-10")["needs_review"] is False


def test_eligibility_with_a_bad_date_is_422(client, staff):
    e = make_establishment()
    client.force_login(staff)
    assert client.get(f"{URL}/{e.pk}/eligibility", {"on": "15/10/2025"}).status_code == 422
    assert client.get(f"{URL}/{e.pk}/eligibility").json()["on"] == timezone.localdate().isoformat()
