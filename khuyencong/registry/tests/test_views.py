"""The registry's pages: the list and its filters, the export of what was filtered, the detail with its eligibility
panel, the create and edit forms, supports, duplicates and merges."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings

from khuyencong.core.audit import audit_events_for
from khuyencong.registry import services
from khuyencong.registry.models import Establishment, EstablishmentMerge, Sector, SupportRecord

from .helpers import (
    HA_NOI,
    LAI_CHAU,
    TAY_NINH,
    DjangoMessage,
    current_commune,
    legacy_commune,
    make_establishment,
    make_village,
    read_xlsx,
    table_after,
)

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    """The establishments listed in a page of the list (the links of the rows)."""
    return re.findall(r'<td><a href="/establishments/\d+/">([^<]+)</a>', html)


@pytest.fixture
def registry():
    """Six establishments of Tây Ninh that differ in one thing each, and one in Lai Châu."""
    food = Sector.objects.get(code="agro_food_processing")
    crafts = Sector.objects.get(code="handicrafts")
    village = make_village(current_commune(TAY_NINH, index=1), "Làng nghề đan đát Tân Hòa")
    made = {
        "tu_hoa": make_establishment(name="Cơ sở bánh tráng Tư Hòa", main_products="Bánh tráng phơi sương",
                                     sectors=[food], ocop_stars=4),
        "coop": make_establishment(name="Hợp tác xã đan đát Tân Hòa", entity_type="cooperative", sectors=[crafts],
                                   craft_village=village, commune=village.commune),
        "ward_sme": make_establishment(name="Công ty TNHH Mộc Phúc", entity_type="sme", sme_size="small",
                                       commune=current_commune(TAY_NINH, "phuong"), ocop_stars=3),
        "national": make_establishment(name="Cơ sở cơ khí Hai Thành"),
        "local": make_establishment(name="Cơ sở nước mắm Năm Đông", status="suspended"),
        "lai_chau": make_establishment(name="Cơ sở chè Lai Châu", commune=current_commune(LAI_CHAU)),
    }
    SupportRecord.objects.create(establishment=made["national"], year=2021, fund="national", description="Máy tiện")
    SupportRecord.objects.create(establishment=made["local"], year=2023, fund="local", description="Hội chợ")
    return made


# --- the list -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["tu_hoa", "coop", "ward_sme", "national", "local"]),
    ({"q": "banh trang"}, ["tu_hoa"]),
    ({"q": "DONG"}, ["local"]),
    ({"entity_type": "cooperative"}, ["coop"]),
    ({"sector": "handicrafts"}, ["coop"]),
    ({"eligible": "no"}, ["ward_sme"]),  # an SME in a phường of a province is eligible: check the data first
    ({"supported": "yes"}, ["national", "local"]),
    ({"supported": "national"}, ["national"]),
    ({"supported": "local"}, ["local"]),
    ({"supported": "no"}, ["tu_hoa", "coop", "ward_sme"]),
    ({"ocop": "4"}, ["tu_hoa"]),
    ({"ocop": "3"}, ["tu_hoa", "ward_sme"]),
    ({"status": "suspended"}, ["local"]),
    ({"q": "hoa", "entity_type": "household"}, ["tu_hoa"]),
])
def test_list_filters_narrow(client, staff, registry, params, expected):
    if params.get("eligible") == "no":
        # Tây Ninh is a province: its wards are rural industry areas too. Make one establishment ineligible.
        Establishment.objects.filter(pk=registry["ward_sme"].pk).update(eligible=False)
    client.force_login(staff)
    response = client.get("/establishments/", params)
    assert response.status_code == 200
    assert sorted(_names(response.content.decode())) == sorted(registry[k].name for k in expected)


def test_list_filters_by_eligibility_and_craft_village(client, staff, registry):
    client.force_login(staff)
    assert "Công ty TNHH Mộc Phúc" in _names(client.get("/establishments/", {"eligible": "yes"}).content.decode())
    village = registry["coop"].craft_village
    html = client.get("/establishments/", {"craft_village": village.pk}).content.decode()
    assert _names(html) == ["Hợp tác xã đan đát Tân Hòa"]
    assert f'<option value="{village.pk}" selected>' in client.get(
        "/establishments/", {"craft_village": village.pk}).content.decode()


def test_list_filters_by_province_for_a_national_user(client, admin, registry):
    client.force_login(admin)
    assert _names(client.get("/establishments/", {"province": LAI_CHAU}).content.decode()) == ["Cơ sở chè Lai Châu"]
    assert len(_names(client.get("/establishments/", {"province": TAY_NINH}).content.decode())) == 5
    html = client.get("/establishments/").content.decode()
    assert 'id="est-province"' in html
    assert "6 cơ sở" in html


def test_filters_beyond_the_search_are_open_on_a_phone_only_when_one_is_set(client, staff, registry):
    client.force_login(staff)
    assert 'collapse d-lg-block" id="est-more"' in client.get("/establishments/", {"q": "banh"}).content.decode()
    for params in ({"entity_type": "household"}, {"eligible": "no"}, {"ocop": "3"}):
        html = client.get("/establishments/", params).content.decode()
        assert 'collapse d-lg-block show" id="est-more"' in html, params


def test_list_for_htmx_is_only_the_rows(client, staff, registry):
    client.force_login(staff)
    html = client.get("/establishments/", {"q": "banh trang"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    assert 'data-testid="result-count">1 cơ sở<' in html
    assert _names(html) == ["Cơ sở bánh tráng Tư Hòa"]
    empty = client.get("/establishments/", {"q": "khong co"}, headers={"HX-Request": "true"}).content.decode()
    assert "Không có cơ sở nào phù hợp." in empty


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_page_queries_stay_flat_as_rows_grow(client, staff):
    client.force_login(staff)
    village = make_village(current_commune(TAY_NINH))
    for n in range(3):
        make_establishment(name=f"Cơ sở bánh tráng {n}", craft_village=village, ocop_stars=3)
    few = _page_queries(client, "/establishments/?q=banh+trang")
    for n in range(3, 30):
        make_establishment(name=f"Cơ sở bánh tráng {n}", commune=current_commune(TAY_NINH, index=n % 7),
                           craft_village=village if n % 2 else None, ocop_stars=3, status="suspended")
    assert _page_queries(client, "/establishments/?q=banh+trang") == few
    assert _page_queries(client, "/establishments/?q=banh+trang&page=2") == few


# --- export -------------------------------------------------------------------------------------------------------


def test_export_contains_exactly_the_filtered_rows(client, staff, registry):
    client.force_login(staff)
    response = client.get("/establishments/export.xlsx", {"supported": "yes"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="co-so-cnnt-')
    header, rows = table_after(read_xlsx(response.content), "STT")
    assert header[:3] == ["STT", "Tên cơ sở", "Loại hình"]
    assert sorted(r[1] for r in rows) == ["Cơ sở cơ khí Hai Thành", "Cơ sở nước mắm Năm Đông"]

    _header, rows = table_after(read_xlsx(client.get("/establishments/export.xlsx", {"q": "bánh mì"}).content), "STT")
    assert rows == []
    _header, rows = table_after(read_xlsx(client.get("/establishments/export.xlsx", {"q": "banh trang"}).content),
                                "STT")
    [row] = rows
    assert row[1:4] == ["Cơ sở bánh tráng Tư Hòa", "Hộ kinh doanh", ""]
    assert row[header.index("Xã/phường")] == current_commune(TAY_NINH).name
    assert row[header.index("Đủ điều kiện CNNT")] == "Có"


def test_export_without_filters_is_the_users_area(client, staff, registry):
    client.force_login(staff)
    _header, rows = table_after(read_xlsx(client.get("/establishments/export.xlsx").content), "STT")
    assert len(rows) == 5
    assert "Cơ sở chè Lai Châu" not in {r[1] for r in rows}


def test_an_export_larger_than_a_file_may_hold_is_refused_with_the_way_to_narrow_it(client, staff, registry,
                                                                                    monkeypatch):
    """More rows than EXPORT_LIMIT would outlast the server's timeout: the list comes back with the filters kept
    and a Vietnamese message; under the limit the file is written."""
    from khuyencong.registry import views

    client.force_login(staff)
    monkeypatch.setattr(views, "EXPORT_LIMIT", 4)
    response = client.get("/establishments/export.xlsx", {"entity_type": ""}, follow=True)
    assert response.redirect_chain == [("/establishments/?entity_type=", 302)]
    assert "Hơn 4 cơ sở phù hợp" in response.content.decode()
    narrowed = client.get("/establishments/export.xlsx", {"supported": "yes"})
    assert narrowed.status_code == 200
    assert len(table_after(read_xlsx(narrowed.content), "STT")[1]) == 2


# --- detail -------------------------------------------------------------------------------------------------------


def test_detail_shows_the_eligibility_panel_with_reasons_and_basis(client, hanoi_staff):
    ward = current_commune(HA_NOI, "phuong")
    e = make_establishment(name="Công ty TNHH Gốm Kim Lan", entity_type="sme", sme_size="small", commune=ward)
    client.force_login(hanoi_staff)
    html = client.get(f"/establishments/{e.pk}/", {"on": "2026-01-10"}).content.decode()
    start = html.index('data-testid="eligibility"')
    panel = html[start:html.index("</section>", start)]
    assert "Điều kiện là cơ sở công nghiệp nông thôn" in panel
    assert f'<span class="badge text-bg-danger fs-6">{tr("Not eligible")}</span>' in panel
    assert f"{ward.name} là phường của Thành phố Hà Nội" in panel
    assert f'{tr("Legal basis")}: NĐ 235/2025/NĐ-CP' in panel
    assert 'value="10/01/2026"' in panel and "data-kc-date" in panel
    village = make_village(ward, "Làng nghề gốm Kim Lan", recognised=datetime.date(2009, 1, 1))
    Establishment.objects.filter(pk=e.pk).update(craft_village=village)
    panel = client.get(f"/establishments/{e.pk}/", {"on": "10/01/2026"}).content.decode()  # as typed in the page
    assert f'<span class="badge text-bg-success fs-6">{tr("Eligible")}</span>' in panel
    assert 'value="10/01/2026"' in panel
    assert "làng nghề được Ủy ban nhân dân cấp tỉnh công nhận" in panel


def test_detail_before_any_rule_says_so(client, staff):
    e = make_establishment()
    client.force_login(staff)
    html = client.get(f"/establishments/{e.pk}/", {"on": "2001-01-01"}).content.decode()
    assert "01/01/2001" in html
    assert 'data-testid="eligibility"' in html
    assert "text-bg-danger fs-6" not in html and "text-bg-success fs-6" not in html


def test_detail_shows_the_profile_the_old_address_the_supports_and_the_history(client, staff):
    old = legacy_commune("Tỉnh Long An", "Huyện Cần Đước", "Xã Mỹ Lệ")
    e = services.establishment_create(actor=staff, data={
        "name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "commune": current_commune(TAY_NINH),
        "legacy_unit": old, "legacy_address": "Xã Mỹ Lệ, Huyện Cần Đước, Long An", "employees": 1234})
    SupportRecord.objects.create(establishment=e, year=2022, fund="national", description="Máy tráng bánh",
                                 amount=120_000_000)
    client.force_login(staff)
    html = client.get(f"/establishments/{e.pk}/").content.decode()
    assert "Địa chỉ ghi trước 1/7/2025: Xã Mỹ Lệ, Huyện Cần Đước, Tỉnh Long An" in html
    assert "1.234" in html
    assert "Máy tráng bánh" in html and "120.000.000" in html
    assert "Lịch sử thay đổi" in html and "Thêm cơ sở vào danh sách" in html and "establishment.create" not in html
    assert f'href="/establishments/{e.pk}/edit/"' in html


def test_a_viewer_sees_why_they_cannot_edit(client, viewer):
    e = make_establishment()
    client.force_login(viewer)
    html = client.get(f"/establishments/{e.pk}/").content.decode()
    assert "Vai trò của bạn chỉ được xem sổ cơ sở." in html
    assert "/edit/" not in html
    response = client.get(f"/establishments/{e.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/establishments/{e.pk}/"
    assert "Vai trò của bạn chỉ được xem sổ cơ sở." in response.content.decode()


# --- create and edit forms ----------------------------------------------------------------------------------------


def _form(**fields) -> dict:
    commune = current_commune(TAY_NINH)
    return {"name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "province": commune.province_id,
            "commune": commune.pk, "status": "active", "main_products": "Bánh tráng phơi sương", **fields}


def test_create_form(client, staff):
    food = Sector.objects.get(code="agro_food_processing")
    client.force_login(staff)
    html = client.get("/establishments/new/").content.decode()
    assert f'value="{food.pk}" id="id_sectors_0"' in html  # one checkbox per sector, not one lone box
    assert f'<option value="{current_commune(TAY_NINH).pk}">' in html  # the only province is chosen already
    assert "Select an option" not in html
    response = client.post("/establishments/new/", _form(sectors=[food.pk], tax_code="0300 588 569",
                                                         phone="+84 912 345 678"), follow=True)
    e = Establishment.objects.get()
    assert response.redirect_chain[-1][0] == f"/establishments/{e.pk}/"
    assert "Đã thêm cơ sở." in response.content.decode()
    assert (e.tax_code, e.phone) == ("0300588569", "0912345678")
    assert list(e.sectors.all()) == [food]
    assert audit_events_for(e).get().actor == staff


@pytest.mark.parametrize(("fields", "message"), [
    ({"tax_code": "0100109107"}, "Mã số thuế 0100109107 sai chữ số kiểm tra."),
    ({"phone": "12345"}, "Số điện thoại '12345' không đúng (cần 10 số, ví dụ 0912345678)."),
    ({"entity_type": "sme"}, "Chọn quy mô doanh nghiệp (siêu nhỏ, nhỏ hoặc vừa)."),
    ({"name": ""}, "Trường này là bắt buộc."),
    ({"ocop_stars": "6"}, DjangoMessage("Ensure this value is less than or equal to %(limit_value)s.", limit_value=5)),
    ({"email": "tuhoa@"}, DjangoMessage("Enter a valid email address.")),
])
def test_create_form_errors_are_in_vietnamese_and_keep_the_input(client, staff, fields, message):
    client.force_login(staff)
    response = client.post("/establishments/new/", _form(**fields))
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(str(message)) in html
    assert 'value="Bánh tráng phơi sương"' in html  # nothing typed is lost
    assert not Establishment.objects.exists()


def test_create_form_shows_the_services_refusal(client, staff):
    make_establishment(name="Hợp tác xã Tân Hòa", tax_code="0300588569", entity_type="cooperative")
    client.force_login(staff)
    html = client.post("/establishments/new/", _form(tax_code="0300588569")).content.decode()
    assert "Mã số thuế 0300588569 đã thuộc về “Hợp tác xã Tân Hòa”" in html
    assert Establishment.objects.count() == 1


def test_create_form_refuses_a_commune_of_another_province(client, admin):
    client.force_login(admin)
    html = client.post("/establishments/new/", _form(province=current_commune(LAI_CHAU).province_id)).content.decode()
    assert tr("Select a valid choice. That choice is not one of the available choices.") in html
    assert not Establishment.objects.exists()


def test_place_options_partial(client, staff, laichau_staff):
    tay_ninh = current_commune(TAY_NINH).province
    village = make_village(current_commune(TAY_NINH))
    client.force_login(staff)
    html = client.get("/establishments/place-options/", {"province": tay_ninh.pk}).content.decode()
    assert html.count("<option") > 50
    assert f'<option value="{current_commune(TAY_NINH).pk}">' in html
    assert 'id="id_craft_village" class="form-select" hx-swap-oob="true"' in html
    assert f'<option value="{village.pk}">{village.name}</option>' in html
    client.force_login(laichau_staff)  # not their province: nothing to choose
    html = client.get("/establishments/place-options/", {"province": tay_ninh.pk}).content.decode()
    assert html.count('<option value="">—</option>') == 2 and html.count("<option") == 2


def test_edit_form_changes_the_products_and_keeps_the_sectors(client, staff):
    food = Sector.objects.get(code="agro_food_processing")
    e = services.establishment_create(actor=staff, data={
        "name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "commune": current_commune(TAY_NINH),
        "main_products": "Bánh tráng phơi sương"}, sectors=[food])
    client.force_login(staff)
    html = client.get(f"/establishments/{e.pk}/edit/").content.decode()
    assert f'value="{food.pk}" id="id_sectors_0" checked' in html
    assert 'name="version" value="1"' in html
    response = client.post(f"/establishments/{e.pk}/edit/", _form(
        main_products="Bánh tráng nướng", version=1, sectors=[food.pk]), follow=True)
    assert "Đã lưu." in response.content.decode()
    e.refresh_from_db()
    assert (e.main_products, e.version) == ("Bánh tráng nướng", 2)
    assert list(e.sectors.all()) == [food]
    assert audit_events_for(e).first().changes == {"main_products": ["Bánh tráng phơi sương", "Bánh tráng nướng"]}


def test_edit_form_with_a_stale_version_keeps_the_input(client, staff, colleague):
    e = make_establishment(name="Cơ sở bánh tráng Tư Hòa", main_products="Bánh tráng phơi sương")
    services.establishment_update(actor=colleague, establishment=Establishment.objects.get(pk=e.pk), version=1,
                                  data={"main_products": "Bánh tráng nướng"})
    client.force_login(staff)
    response = client.post(f"/establishments/{e.pk}/edit/", _form(main_products="Bánh phồng", version=1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Người khác đã sửa cơ sở này sau khi bạn mở." in html
    assert 'value="Bánh phồng"' in html
    e.refresh_from_db()
    assert e.main_products == "Bánh tráng nướng"


# --- supports, duplicates, merges ---------------------------------------------------------------------------------


def test_support_add(client, staff, viewer):
    e = make_establishment()
    client.force_login(staff)
    response = client.post(f"/establishments/{e.pk}/supports/", {
        "year": 2024, "fund": "national", "description": "Máy sấy bánh", "amount": 50_000_000}, follow=True)
    assert "Đã ghi nhận hỗ trợ." in response.content.decode()
    assert e.supports.get().amount == 50_000_000
    response = client.post(f"/establishments/{e.pk}/supports/", {"year": 1990, "fund": "x"}, follow=True)
    assert "Kiểm tra lại năm, nguồn kinh phí và nội dung hỗ trợ." in response.content.decode()
    client.force_login(viewer)
    response = client.post(f"/establishments/{e.pk}/supports/", {
        "year": 2024, "fund": "national", "description": "Máy"}, follow=True)
    assert "Vai trò của bạn chỉ được xem sổ cơ sở." in response.content.decode()
    assert e.supports.count() == 1


def test_duplicates_merge_and_review_pages(client, staff, colleague):
    a = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    b = make_establishment(name="CƠ SỞ BÁNH TRÁNG TƯ HÒA", phone="0912345678")
    client.force_login(staff)
    html = client.get("/establishments/duplicates/").content.decode()
    assert "Cùng tên, cùng xã/phường" in html
    assert f'href="/establishments/merge/{a.pk}/{b.pk}/"' in html
    assert client.get(f"/establishments/merge/{a.pk}/{b.pk}/").status_code == 200
    response = client.post(f"/establishments/merge/{a.pk}/{b.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/establishments/{a.pk}/"
    assert "Đã gộp: mọi dữ liệu liên quan nay gắn với bản ghi được giữ lại." in response.content.decode()
    a.refresh_from_db()
    assert a.phone == "0912345678"
    merged_page = client.get(f"/establishments/{b.pk}/").content.decode()
    assert "Bản ghi này đã được gộp vào" in merged_page
    merge = EstablishmentMerge.objects.get()
    client.force_login(colleague)
    response = client.post(f"/establishments/merges/{merge.pk}/review/", follow=True)
    assert "Đã rà soát lần gộp." in response.content.decode()
    merge.refresh_from_db()
    assert merge.reviewed_by == colleague


def test_a_merge_of_another_province_cannot_be_reviewed(client, staff, laichau_staff):
    a, b = make_establishment(name="Cơ sở trùng"), make_establishment(name="Cơ sở trùng")
    merge = services.establishment_merge(actor=staff, survivor=a, duplicate=b)
    client.force_login(laichau_staff)
    assert "Cơ sở trùng" not in client.get("/establishments/duplicates/").content.decode()
    assert client.post(f"/establishments/merges/{merge.pk}/review/").status_code == 404
    merge.refresh_from_db()
    assert merge.reviewed_at is None


def test_merge_page_explains_a_refusal(client, staff):
    a = make_establishment(name="Cơ sở A")
    client.force_login(staff)
    html = client.get(f"/establishments/merge/{a.pk}/{a.pk}/").content.decode()
    assert "Không thể gộp một bản ghi vào chính nó." in html
    response = client.post(f"/establishments/merge/{a.pk}/{a.pk}/", follow=True)
    assert "Không thể gộp một bản ghi vào chính nó." in response.content.decode()
    assert not EstablishmentMerge.objects.exists()


def test_the_import_template_downloads(client, staff):
    client.force_login(staff)
    response = client.get("/establishments/import/template.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    header, rows = table_after(read_xlsx(response.content), "Tên cơ sở")
    assert header[:3] == ["Tên cơ sở", "Loại hình", "Mã số thuế"]
    assert rows[0][0] == "Cơ sở bánh tráng Tư Hòa"


def test_a_national_list_stops_counting_at_the_limit(client, staff, registry, monkeypatch):
    """Counting 200,000 rows costs more than the page: beyond the limit the list says "more than" and the pages
    stop there; below it the count is exact."""
    from khuyencong.registry import views

    client.force_login(staff)
    total = len(_names(client.get("/establishments/").content.decode()))
    assert total >= 2
    monkeypatch.setattr(views, "LIST_COUNT_LIMIT", 1)
    html = client.get("/establishments/").content.decode()
    assert 'data-testid="result-count">Hơn 1 cơ sở: hãy thu hẹp danh sách' in html
    monkeypatch.setattr(views, "LIST_COUNT_LIMIT", total)
    html = client.get("/establishments/").content.decode()
    assert f'data-testid="result-count">{total} cơ sở<' in html

