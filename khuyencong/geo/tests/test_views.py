import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.tests.factories import make_user
from khuyencong.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(admin_units, client):
    client.force_login(make_user(role="collaborator", province_code=12))
    return client


def _queries(client, url, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("name", ["geo_unit_list", "geo_resolve"])
def test_sign_in_required(admin_units, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_detail_sign_in_required(admin_units, client):
    unit = AdminUnit.objects.first()
    response = client.get(reverse("geo_unit_detail", args=[unit.pk]))
    assert response.status_code == 302


def test_unit_list_shows_current_provinces_by_default(user_client):
    response = user_client.get(reverse("geo_unit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thành phố Hà Nội" in html and "Tỉnh Lai Châu" in html
    assert "Tỉnh Long An" not in html  # a legacy province
    assert response.context["page"].paginator.count == 34
    assert len(response.context["page"].object_list) == 25
    assert "Đơn vị hành chính" in html  # the Vietnamese interface


def test_unit_list_filters(user_client):
    url = reverse("geo_unit_list")
    response = user_client.get(url, {"scheme": "legacy", "level": "district", "province": "80"})
    assert response.context["page"].paginator.count == 15
    assert "Thành phố Tân An" in response.content.decode()
    response = user_client.get(url, {"scheme": "legacy", "level": "commune", "parent": "794"})
    assert response.context["page"].paginator.count == 13
    assert response.context["parent"].name == "Thành phố Tân An"
    response = user_client.get(url, {"scheme": "current", "level": "", "q": "HÀ NỘI"})
    assert response.context["page"].object_list[0].name == "Thành phố Hà Nội"
    # Nonsense in the query string falls back to defaults instead of failing.
    response = user_client.get(url, {"scheme": "x", "level": "y", "province": "abc", "parent": "²", "page": "zz"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 34


def test_htmx_search_returns_only_the_rows(user_client):
    response = user_client.get(reverse("geo_unit_list"), {"q": "lai chau"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "Tỉnh Lai Châu" in html
    assert "<html" not in html


def test_unit_list_query_count_is_flat(user_client):
    url = reverse("geo_unit_list")

    def counts(*queries, **extra):
        return {q: _queries(user_client, url + q, **extra)[0] for q in queries}

    # Province lists (no province picker): 25 rows, 13 rows, one row.
    provinces = counts("", "?scheme=legacy", "?scheme=legacy&page=3", "?q=lai+chau")
    # Lists with the province picker: 25 of 10,051 rows, the last page, a search, one province.
    communes = counts(
        "?scheme=legacy&level=commune",
        "?scheme=legacy&level=commune&page=403",
        "?scheme=legacy&level=&q=tan+an",
        "?scheme=legacy&level=district&province=80",
    )
    assert len(set(provinces.values())) == 1, provinces
    assert len(set(communes.values())) == 1, communes
    # session, user, the user's roles (for the menu), count, rows, provinces for the picker
    assert max(communes.values()) <= 6
    assert _queries(user_client, url + "?level=commune&q=khong+co+dau")[0] <= max(communes.values())  # no rows
    # The live-search partial makes no more queries than the page.
    rows = counts("?level=commune&q=a", "?scheme=legacy&level=commune", HTTP_HX_REQUEST="true")
    assert len(set(rows.values())) == 1 and max(rows.values()) <= max(communes.values())
    # The "units under" filter looks the parent up once more for its label.
    assert _queries(user_client, url + "?scheme=legacy&level=commune&parent=794")[0] == max(communes.values()) + 1


def test_detail_of_a_legacy_commune(user_client):
    ward = AdminUnit.objects.legacy().communes().get(code=27694)
    response = user_client.get(reverse("geo_unit_detail", args=[ward.pk]))
    html = response.content.decode()
    assert "Phường 1" in html and "Thành phố Tân An" in html and "Tỉnh Long An" in html
    assert "Đã sáp nhập vào" in html and "Phường Long An" in html


def test_detail_of_a_split_commune_flags_partial(user_client):
    ward = AdminUnit.objects.legacy().communes().get(name="Phường Điện Biên", parent__name="Quận Ba Đình")
    html = user_client.get(reverse("geo_unit_detail", args=[ward.pk])).content.decode()
    assert html.count("một phần") == 4


def test_detail_of_a_current_province(user_client):
    tay_ninh = AdminUnit.objects.current().provinces().get(code=80)
    response = user_client.get(reverse("geo_unit_detail", args=[tay_ninh.pk]))
    html = response.content.decode()
    assert "Tỉnh Long An" in html and "Tỉnh Tây Ninh" in html
    assert response.context["children_count"] == AdminUnit.objects.filter(parent=tay_ninh).count()
    assert "?scheme=current&amp;level=commune&amp;parent=80" in html


def test_detail_shows_type_history(user_client):
    dong_nai = AdminUnit.objects.current().provinces().get(code=75)
    html = user_client.get(reverse("geo_unit_detail", args=[dong_nai.pk])).content.decode()
    assert "Tỉnh Đồng Nai" in html and "30/04/2026" in html and "29/04/2026" in html


def test_detail_query_count_does_not_grow_with_successors(user_client):
    def count(unit):
        return _queries(user_client, reverse("geo_unit_detail", args=[unit.pk]))[0]

    one = AdminUnit.objects.legacy().communes().get(code=27694)  # one successor
    four = AdminUnit.objects.legacy().communes().get(name="Phường Điện Biên", parent__name="Quận Ba Đình")
    assert count(one) == count(four)
    lai_chau = AdminUnit.objects.legacy().provinces().get(code=12)  # one successor, 8 districts
    ho_chi_minh = AdminUnit.objects.current().provinces().get(code=79)  # three predecessors, 168 communes
    assert count(lai_chau) == count(ho_chi_minh)


def test_detail_404(user_client):
    assert user_client.get(reverse("geo_unit_detail", args=[999999999])).status_code == 404


def test_resolve_page_empty_form(user_client):
    response = user_client.get(reverse("geo_resolve"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tra cứu địa chỉ cũ" in html
    assert 'name="province"' in html and 'name="district"' in html and 'name="commune"' in html
    assert response.context["resolution"] is None


@pytest.mark.parametrize(
    ("params", "status", "badge", "text"),
    [
        (
            {"province": "Long An", "district": "TP Tân An", "commune": "P.1"},
            "exact",
            "text-bg-success",
            "Phường Long An",
        ),
        (
            {"province": "Hà Nội", "district": "Ba Đình", "commune": "Điện Biên"},
            "split",
            "text-bg-warning",
            "đã được chia cho 4 xã/phường mới",
        ),
        ({"province": "Hà Tĩnh", "district": "Kỳ Anh"}, "ambiguous", "text-bg-warning", "Thị xã Kỳ Anh"),
        ({"province": "Long An", "district": "Huyện Không Có"}, "not_found", "text-bg-danger", "Không tìm thấy"),
        (
            {"province": "TP HCM", "district": "Quận 6", "commune": "Phường 1"},
            "unmapped",
            "text-bg-secondary",
            "bảng chuyển đổi",
        ),
    ],
)
def test_resolve_page_shows_status_and_message(user_client, params, status, badge, text):
    response = user_client.get(reverse("geo_resolve"), params)
    html = response.content.decode()
    assert response.context["resolution"].status == status
    assert f'data-status="{status}"' in html
    assert badge in html
    assert text in html
    assert params["province"] in html  # what was typed stays in the form


def test_resolve_page_requires_a_province(user_client):
    response = user_client.get(reverse("geo_resolve"), {"province": "", "district": "Tân An"})
    assert response.context["resolution"] is None
    assert response.context["form"].errors["province"]
    assert 'value="Tân An"' in response.content.decode()


def test_resolve_page_fits_a_phone(user_client):
    html = user_client.get(reverse("geo_resolve"), {"province": "Long An"}).content.decode()
    # Each field takes the full width below the md breakpoint; no fixed-width tables.
    assert html.count('class="col-12 col-md-4"') == 3
    assert "<table" not in html
