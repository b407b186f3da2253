"""Sign-in, the organisation pages and the account page, as a browser sees them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings

from khuyencong.accounts import services
from khuyencong.accounts.models import ApiToken, Organisation, OrganisationKind, Role
from khuyencong.core.models import AuditEvent

from .factories import PASSWORD, OrganisationFactory, make_user, province

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH = 12, 80
CONFLICT = ("Someone else changed this organisation after you opened it. Reload to see their changes; your input is "
            "kept below.")


def _text(response) -> str:
    return response.content.decode()


# Sign-in


def test_login_page_renders(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = _text(response)
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_the_right_password_goes_home(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/api/v1/me").json()["username"] == user.username


def test_login_follows_next_inside_the_site_only(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    response = client.post("/login/", {"username": user.username, "password": PASSWORD, "next": "/organisations/"})
    assert response["Location"] == "/organisations/"
    client.logout()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD,
                                       "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_login_with_a_wrong_password_shows_an_error_and_keeps_the_username(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.laichau")
    response = client.post("/login/", {"username": "ttkc.laichau", "password": "sai-mat-khau"})
    assert response.status_code == 200
    html = _text(response)
    errors = response.context["form"].non_field_errors()
    assert errors
    assert 'class="alert alert-danger"' in html
    assert escape(errors[0]) in html
    assert 'value="ttkc.laichau"' in html
    assert "_auth_user_id" not in client.session
    assert user.username == "ttkc.laichau"


def test_inactive_user_cannot_sign_in(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, is_active=False)
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/organisations/", "/organisations/new/", "/account/", "/organisations/1/"])
def test_pages_require_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# Organisation list


@pytest.fixture
def doit_officer():
    return make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)


def test_organisation_list_shows_own_province_and_national_bodies(client, doit_officer):
    own = OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(LAI_CHAU))
    national = OrganisationFactory(name="Cục Đổi mới sáng tạo", kind=OrganisationKind.MINISTRY_AGENCY)
    foreign = OrganisationFactory(name="Trung tâm Khuyến công tỉnh Tây Ninh", province=province(TAY_NINH))
    client.force_login(doit_officer)
    response = client.get("/organisations/")
    assert response.status_code == 200
    html = _text(response)
    assert own.name in html
    assert national.name in html
    assert foreign.name not in html
    assert f'href="/organisations/{own.pk}/"' in html
    assert 'href="/organisations/new/"' in html  # a DoIT officer may create
    # The province filter offers only the user's province.
    assert [p.code for p in response.context["provinces"]] == [LAI_CHAU]


def test_organisation_list_hides_the_create_button_from_centre_staff(client):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    response = client.get("/organisations/")
    assert response.context["can_create"] is False
    assert 'href="/organisations/new/"' not in _text(response)


def test_organisation_list_search_and_filters(client, doit_officer):
    hit = OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(LAI_CHAU))
    miss = OrganisationFactory(name="Sở Công Thương tỉnh Lai Châu", kind=OrganisationKind.DOIT,
                               province=province(LAI_CHAU))
    client.force_login(doit_officer)
    html = _text(client.get("/organisations/", {"q": "khuyen cong"}))
    assert hit.name in html
    assert miss.name not in html
    html = _text(client.get("/organisations/", {"kind": "doit", "province": str(LAI_CHAU)}))
    assert miss.name in html
    assert hit.name not in html
    assert _text(client.get("/organisations/", {"province": "không-phải-số"})).count(hit.name) == 1


def test_organisation_list_htmx_returns_only_the_rows(client, doit_officer):
    org = OrganisationFactory(province=province(LAI_CHAU))
    client.force_login(doit_officer)
    response = client.get("/organisations/", {"q": org.name}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = _text(response)
    assert org.name in html
    assert "<html" not in html
    assert "<table" in html


def test_organisation_list_pages_and_keeps_filters(client, doit_officer, settings):
    for n in range(settings.KC_PAGE_SIZE + 2):
        OrganisationFactory(name=f"Hợp tác xã {n:03d}", kind=OrganisationKind.OTHER, province=province(LAI_CHAU))
    client.force_login(doit_officer)
    first = client.get("/organisations/", {"kind": "other"})
    assert first.context["page"].paginator.count == settings.KC_PAGE_SIZE + 2
    assert "Hợp tác xã 000" in _text(first)
    assert f"Hợp tác xã {settings.KC_PAGE_SIZE + 1:03d}" not in _text(first)
    assert 'href="?kind=other&page=2"' in _text(first)
    second = client.get("/organisations/", {"kind": "other", "page": "2"})
    assert f"Hợp tác xã {settings.KC_PAGE_SIZE + 1:03d}" in _text(second)
    assert "Hợp tác xã 000" not in _text(second)


def _queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_organisation_list_query_count_is_flat(client, doit_officer):
    def add(n):
        for _i in range(n):
            parent = OrganisationFactory(kind=OrganisationKind.DOIT, province=province(LAI_CHAU))
            org = OrganisationFactory(province=province(LAI_CHAU), parent=parent)
            make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=org)

    client.force_login(doit_officer)
    add(3)
    few = _queries(client, "/organisations/")
    add(27)
    many = _queries(client, "/organisations/")
    assert client.get("/organisations/").context["page"].paginator.count >= 60
    assert many == few


# Organisation detail and edit


@pytest.fixture
def centre():
    return OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(LAI_CHAU))


def test_organisation_detail_shows_members_and_history(client, doit_officer, centre):
    member = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=centre,
                       full_name="Nguyễn Thị Thu Hà")
    services.organisation_update(actor=doit_officer, organisation=centre, version=1, data={"phone": "0213 3876 543"})
    client.force_login(doit_officer)
    response = client.get(f"/organisations/{centre.pk}/")
    assert response.status_code == 200
    html = _text(response)
    assert centre.name in html
    assert "0213 3876 543" in html
    assert str(member) in html
    assert "Sửa thông tin cơ quan, đơn vị" in html and "organisation.update" not in html
    assert f'href="/organisations/{centre.pk}/edit/"' in html


def test_organisation_detail_explains_why_centre_staff_cannot_edit(client, centre):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    html = _text(client.get(f"/organisations/{centre.pk}/"))
    assert f'href="/organisations/{centre.pk}/edit/"' not in html
    assert escape(tr("Only system administrators and DoIT officers can edit organisations.")) in html


def test_organisation_detail_outside_the_area_is_404(client, doit_officer):
    foreign = OrganisationFactory(province=province(TAY_NINH))
    client.force_login(doit_officer)
    assert client.get(f"/organisations/{foreign.pk}/").status_code == 404
    assert client.get(f"/organisations/{foreign.pk}/edit/").status_code == 404
    assert client.get("/organisations/987654/").status_code == 404


def test_organisation_detail_query_count_is_flat(client, doit_officer, centre):
    client.force_login(doit_officer)
    make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=centre)
    services.organisation_update(actor=doit_officer, organisation=centre, version=1, data={"phone": "1"})
    few = _queries(client, f"/organisations/{centre.pk}/")
    for n in range(10):
        make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, organisation=centre,
                  communes=[province(LAI_CHAU).children.order_by("code")[n]])
        centre.refresh_from_db()
        services.organisation_update(actor=doit_officer, organisation=centre, version=centre.version,
                                     data={"phone": str(n + 2)})
    many = _queries(client, f"/organisations/{centre.pk}/")
    assert many == few


def _form_data(org, **changes):
    data = {"kind": org.kind, "name": org.name, "short_name": org.short_name,
            "province": org.province_id or "", "address": org.address, "phone": org.phone, "email": org.email,
            "is_active": "on" if org.is_active else "", "version": org.version}
    data.update(changes)
    return data


def test_organisation_edit_saves(client, doit_officer, centre):
    client.force_login(doit_officer)
    response = client.get(f"/organisations/{centre.pk}/edit/")
    assert response.status_code == 200
    assert 'name="version" value="1"' in _text(response)
    response = client.post(f"/organisations/{centre.pk}/edit/", _form_data(centre, phone="0213 3876 543"))
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{centre.pk}/"
    centre.refresh_from_db()
    assert centre.phone == "0213 3876 543"
    assert centre.version == 2
    assert escape(tr("Saved.")) in _text(client.get(response["Location"]))


def test_organisation_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_input(client, doit_officer, centre):
    manager = make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU)
    client.force_login(doit_officer)
    opened = client.get(f"/organisations/{centre.pk}/edit/")
    assert 'name="version" value="1"' in _text(opened)
    # Meanwhile the manager saves.
    services.organisation_update(actor=manager, organisation=Organisation.objects.get(pk=centre.pk), version=1,
                                 data={"address": "Phường Tân Phong"})

    typed = "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu"
    response = client.post(f"/organisations/{centre.pk}/edit/", _form_data(centre, name=typed, version=1))

    assert response.status_code == 200
    html = _text(response)
    assert escape(tr(CONFLICT)) in html
    assert 'role="alert"' in html
    assert f'value="{typed}"' in html
    stored = Organisation.objects.get(pk=centre.pk)
    assert stored.name == "Trung tâm Khuyến công tỉnh Lai Châu"
    assert stored.address == "Phường Tân Phong"
    assert stored.version == 2


def test_organisation_edit_shows_field_errors(client, doit_officer, centre):
    OrganisationFactory(name="Trung tâm khác", province=province(LAI_CHAU))
    client.force_login(doit_officer)
    response = client.post(f"/organisations/{centre.pk}/edit/", _form_data(centre, name="Trung tâm khác"))
    assert response.status_code == 200
    assert escape(tr("An organisation with this name already exists in this province.")) in _text(response)
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', _text(response)).group(0)
    assert "is-invalid" in name_input


def test_organisation_edit_by_centre_staff_redirects_with_the_reason(client, centre):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    response = client.post(f"/organisations/{centre.pk}/edit/", _form_data(centre, name="Bị sửa"))
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{centre.pk}/"
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"
    html = _text(client.get(response["Location"]))
    assert escape(tr("Only system administrators and DoIT officers can edit organisations.")) in html


# Organisation create


def test_create_page_for_a_doit_officer(client, doit_officer):
    client.force_login(doit_officer)
    response = client.get("/organisations/new/")
    assert response.status_code == 200
    assert 'name="name"' in _text(response)
    response = client.post("/organisations/new/", {
        "kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Khuyến công tỉnh Lai Châu",
        "province": province(LAI_CHAU).pk, "is_active": "on",
    })
    org = Organisation.objects.get(name="Trung tâm Khuyến công tỉnh Lai Châu")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{org.pk}/"
    assert org.province.code == LAI_CHAU
    assert org.is_active
    assert org.name_folded == "trung tam khuyen cong tinh lai chau"
    assert AuditEvent.objects.filter(action="organisation.create", object_id=str(org.pk), actor=doit_officer).exists()


def test_create_in_another_province_shows_the_refusal(client, doit_officer):
    client.force_login(doit_officer)
    response = client.post("/organisations/new/", {
        "kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Tây Ninh", "province": province(TAY_NINH).pk,
    })
    assert response.status_code == 200
    assert escape(tr("This organisation is outside your area.")) in _text(response)
    assert 'value="Trung tâm Tây Ninh"' in _text(response)
    assert not Organisation.objects.filter(name="Trung tâm Tây Ninh").exists()


def test_create_by_centre_staff_is_refused(client):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU))
    response = client.post("/organisations/new/", {
        "kind": OrganisationKind.OTHER, "name": "Hợp tác xã", "province": province(LAI_CHAU).pk,
    }, follow=True)
    assert response.redirect_chain[-1][0] == "/organisations/"
    assert escape(tr("Only system administrators and DoIT officers can edit organisations.")) in _text(response)
    # The form is not even offered.
    assert client.get("/organisations/new/").status_code == 302
    assert not Organisation.objects.filter(name="Hợp tác xã").exists()


# Account page and API tokens


def _shown_token(response):
    found = re.search(r'data-testid="new-token">([^<]+)<', _text(response))
    return found.group(1) if found else None


def test_profile_shows_a_new_token_once(client, doit_officer):
    client.force_login(doit_officer)
    response = client.post("/account/tokens/", {"name": "Phần mềm kế toán"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"

    page = client.get("/account/")
    raw = _shown_token(page)
    assert raw is not None
    assert raw.startswith("kc_")
    token = ApiToken.objects.get(user=doit_officer)
    assert token.name == "Phần mềm kế toán"
    assert f"{token.prefix}…" in _text(page)
    # The token works…
    client_api = client.__class__()
    assert client_api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    # …and is never shown again.
    again = client.get("/account/")
    assert _shown_token(again) is None
    assert raw not in _text(again)


def test_profile_lists_roles_and_scope(client):
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    client.force_login(user)
    html = _text(client.get("/account/"))
    assert "Tỉnh Lai Châu" in html
    assert str(Role.CENTRE_STAFF.label) in html or tr(Role.CENTRE_STAFF.label) in html


def test_revoke_a_token_from_the_profile(client, doit_officer):
    token, raw = services.api_token_create(actor=doit_officer, user=doit_officer)
    client.force_login(doit_officer)
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    html = _text(client.get("/account/"))
    assert escape(tr("Token revoked.")) in html
    assert f'action="/account/tokens/{token.pk}/revoke/"' not in html
    assert client.__class__().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_revoking_someone_elses_token_is_refused(client, doit_officer):
    other = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    token, _raw = services.api_token_create(actor=other, user=other)
    client.force_login(doit_officer)
    response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert escape(tr("Token not found.")) in _text(response)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_views_accept_only_post(client, doit_officer):
    token, _raw = services.api_token_create(actor=doit_officer, user=doit_officer)
    client.force_login(doit_officer)
    assert client.get("/account/tokens/").status_code == 405
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.filter(user=doit_officer).count() == 1
