"""The home page: sign-in required, figures computed for the user's scope, language switch, flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts import services
from khuyencong.accounts.models import Organisation, OrganisationKind, Role
from khuyencong.accounts.tests.factories import OrganisationFactory, UserFactory, commune_of, make_user, province
from khuyencong.geo.models import AdminUnit, Succession

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH = 12, 80


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_home_for_a_lai_chau_centre_staff(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    communes = AdminUnit.objects.current().communes().filter(province__code=LAI_CHAU)
    xa, phuong = communes.filter(kind="xa").count(), communes.filter(kind="phuong").count()
    assert (xa, phuong) == (36, 2)  # Resolution 1670/NQ-UBTVQH15: 38 units, as the loaded data says
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["national"] is False
    assert figures["provinces"] == ["Tỉnh Lai Châu"]
    assert figures["province_count"] == 1
    assert figures["commune_count"] == communes.count() == 38
    assert figures["communes_by_kind"] == {"xa": 36, "phuong": 2, "dac_khu": 0}
    html = response.content.decode()
    assert "Tỉnh Lai Châu" in html
    assert '<strong>38</strong>' in html
    assert "Tỉnh Tây Ninh" not in html


def test_home_legacy_commune_count_covers_the_province_only(client):
    lai_chau_user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    national_user = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
    expected = (
        Succession.objects.filter(legacy__level="commune", current__scheme="current", current__province__code=LAI_CHAU)
        .values("legacy").distinct().count()
    )
    client.force_login(lai_chau_user)
    local = client.get("/").context["figures"]["legacy_commune_count"]
    client.force_login(national_user)
    everywhere = client.get("/").context["figures"]["legacy_commune_count"]
    assert local == expected
    assert 38 <= local < everywhere
    assert everywhere == AdminUnit.objects.legacy().communes().filter(successors__isnull=False).distinct().count()


def test_home_for_a_national_user(client):
    client.force_login(make_user(role=Role.MINISTRY_OFFICER, province_code=None))
    response = client.get("/")
    figures = response.context["figures"]
    assert figures["national"] is True
    assert figures["province_count"] == 34
    assert figures["commune_count"] == 3321
    assert sum(figures["communes_by_kind"].values()) == 3321
    assert figures["communes_by_kind"]["dac_khu"] > 0
    html = response.content.decode()
    assert '<strong>34</strong>' in html
    assert '<strong>3.321</strong>' in html


def test_home_for_a_collaborator_counts_only_the_listed_communes(client):
    listed = [commune_of(LAI_CHAU, 0), commune_of(LAI_CHAU, 1)]
    client.force_login(make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, communes=listed))
    figures = client.get("/").context["figures"]
    assert figures["provinces"] == ["Tỉnh Lai Châu"]
    assert figures["commune_count"] == 2


def test_home_for_a_user_without_a_role_shows_nothing(client):
    OrganisationFactory(province=province(LAI_CHAU))
    client.force_login(UserFactory())
    figures = client.get("/").context["figures"]
    assert figures["province_count"] == 0
    assert figures["commune_count"] == 0
    assert figures["organisation_count"] == 0
    assert figures["people_count"] == 0


def test_home_figures_of_a_lai_chau_user_leave_out_tay_ninh(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    OrganisationFactory(kind=OrganisationKind.DOIT, province=province(LAI_CHAU))
    OrganisationFactory(kind=OrganisationKind.OTHER, province=province(LAI_CHAU), is_active=False)
    client.force_login(user)
    before = client.get("/").context["figures"]
    expected = Organisation.objects.filter(province__code=LAI_CHAU, is_active=True).count()
    assert before["organisation_count"] == expected == 2
    assert before["people_count"] == 1

    for _i in range(3):
        make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH,
                  organisation=OrganisationFactory(province=province(TAY_NINH)))

    after = client.get("/").context["figures"]
    assert after["organisation_count"] == before["organisation_count"]
    assert after["people_count"] == before["people_count"]
    assert after["commune_count"] == before["commune_count"]


def test_home_lists_the_users_own_recent_actions(client):
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    other = make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU)
    mine = services.organisation_create(actor=officer, data={
        "kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Khuyến công tỉnh Lai Châu (thử)",
        "province": province(LAI_CHAU),
    })
    services.organisation_create(actor=other, data={
        "kind": OrganisationKind.DOIT, "name": "Sở Công Thương tỉnh Lai Châu (thử)", "province": province(LAI_CHAU),
    })
    client.force_login(officer)
    response = client.get("/")
    assert [e["object"] for e in response.context["figures"]["recent_actions"]] == [mine.name]
    html = response.content.decode()
    assert "Trung tâm Khuyến công tỉnh Lai Châu (thử)" in html
    assert "Sở Công Thương tỉnh Lai Châu (thử)" not in html


def test_language_switch_to_english(client):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    assert '<html lang="vi">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert '<option value="en" selected>' in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_language_switch_ignores_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role,code", [(Role.CENTRE_STAFF, LAI_CHAU), (Role.MINISTRY_OFFICER, None)])
def test_home_query_count_does_not_grow(client, role, code):
    user = make_user(role=role, province_code=code)
    client.force_login(user)

    def add(n):
        for _i in range(n):
            org = OrganisationFactory(province=province(LAI_CHAU))
            make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=org)

    add(3)
    few = _home_queries(client)
    add(27)
    many = _home_queries(client)
    assert client.get("/").context["figures"]["organisation_count"] >= 31
    assert many == few


def test_the_interface_is_vietnamese_whatever_the_browser_language(client):
    from khuyencong.accounts.tests.factories import make_user

    client.force_login(make_user(role="centre_staff", province_code=12))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert b'lang="vi"' in response.content
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert b'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content
