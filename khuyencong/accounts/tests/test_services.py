"""Organisation and API-token writes: the happy path and every refusal with its message."""

import hashlib

import pytest
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings

from khuyencong.accounts import services
from khuyencong.accounts.models import ApiToken, Organisation, OrganisationKind, Role
from khuyencong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from khuyencong.core.models import AuditEvent

from .factories import OrganisationFactory, UserFactory, commune_of, make_user, province

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH = 12, 80
OUTSIDE = "This organisation is outside your area."


def _events(obj, action):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


@pytest.fixture
def doit_lai_chau():
    return make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)


# organisation_create


def test_create_registers_the_organisation_and_audits_it(doit_lai_chau):
    commune = commune_of(LAI_CHAU, 3)
    org = services.organisation_create(actor=doit_lai_chau, data={
        "kind": OrganisationKind.COMMUNE_PC, "name": "  Ủy ban nhân dân   xã Sìn Hồ ", "province": province(LAI_CHAU),
        "commune": commune, "email": "ubnd@sinho.laichau.gov.vn",
    })
    org.refresh_from_db()
    assert org.name == "Ủy ban nhân dân xã Sìn Hồ"  # trimmed and collapsed
    assert org.name_folded == "uy ban nhan dan xa sin ho"
    assert org.province.code == LAI_CHAU
    assert org.commune == commune
    assert org.version == 1
    event = _events(org, "organisation.create").get()
    assert event.actor == doit_lai_chau
    assert event.changes["name"] == [None, "Ủy ban nhân dân xã Sìn Hồ"]
    assert event.changes["province"] == [None, "Tỉnh Lai Châu"]


def test_create_folds_nfd_names(doit_lai_chau):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Trung tâm Khuyến công tỉnh Lai Châu")
    org = services.organisation_create(
        actor=doit_lai_chau, data={"kind": OrganisationKind.KC_CENTRE, "name": nfd, "province": province(LAI_CHAU)}
    )
    assert org.name == unicodedata.normalize("NFC", nfd)
    assert Organisation.objects.filter(name_folded__contains="khuyen cong tinh lai chau").get() == org


def test_system_admin_creates_a_national_organisation():
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    org = services.organisation_create(actor=admin, data={"kind": OrganisationKind.OTHER, "name": "Hội Doanh nhân"})
    assert org.province is None
    assert org.is_national


def test_ministry_officer_cannot_create():
    officer = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_create(actor=officer, data={"kind": OrganisationKind.OTHER, "name": "Hội"})
    assert caught.value.message == tr("Only system administrators and DoIT officers can edit organisations.")


def test_centre_staff_cannot_create(doit_lai_chau):
    staff = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_create(
            actor=staff, data={"kind": OrganisationKind.OTHER, "name": "Hợp tác xã", "province": province(LAI_CHAU)}
        )
    assert caught.value.message == tr("Only system administrators and DoIT officers can edit organisations.")
    assert not Organisation.objects.filter(name="Hợp tác xã").exists()


def test_doit_officer_cannot_create_in_another_province(doit_lai_chau):
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_create(
            actor=doit_lai_chau,
            data={"kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Tây Ninh", "province": province(TAY_NINH)},
        )
    assert caught.value.message == tr(OUTSIDE)
    assert not Organisation.objects.filter(name="Trung tâm Tây Ninh").exists()
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_provincial_officer_cannot_create_a_national_organisation(doit_lai_chau):
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_create(actor=doit_lai_chau, data={"kind": OrganisationKind.OTHER, "name": "Hội"})
    assert caught.value.message == tr("Only national users can edit a national organisation.")


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_create_refuses_an_empty_name(doit_lai_chau, name):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=doit_lai_chau, data={"kind": OrganisationKind.DOIT, "name": name, "province": province(LAI_CHAU)}
        )
    assert caught.value.field == "name"
    assert caught.value.message == tr("The official name is required.")
    assert caught.value.code == "invalid"


def test_create_refuses_a_missing_name(doit_lai_chau):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={"kind": OrganisationKind.DOIT,
                                                                "province": province(LAI_CHAU)})
    assert caught.value.field == "name"


def test_create_refuses_a_missing_or_unknown_kind(doit_lai_chau):
    for data in ({"name": "Sở", "province": province(LAI_CHAU)}, {"kind": "bank", "name": "Sở",
                                                                    "province": province(LAI_CHAU)}):
        with pytest.raises(InvalidInput) as caught:
            services.organisation_create(actor=doit_lai_chau, data=data)
        assert caught.value.field == "kind"
        assert caught.value.message == tr("Unknown organisation kind.")


def test_create_refuses_a_ministry_agency_with_a_province():
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=admin, data={
            "kind": OrganisationKind.MINISTRY_AGENCY, "name": "Cục ĐCK", "province": province(LAI_CHAU),
        })
    assert caught.value.field == "province"
    assert caught.value.message == tr("A ministry agency is national: leave the province empty.")


@pytest.mark.parametrize("data", [
    {"kind": OrganisationKind.DOIT, "name": "Sở Công Thương", "province": None},
    {"kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Khuyến công"},
])
def test_create_refuses_a_provincial_organisation_without_province(data):
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=admin, data=data)
    assert caught.value.field == "province"
    assert caught.value.message == tr("A provincial organisation needs its province.")


def test_create_refuses_a_commune_outside_the_province(doit_lai_chau):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={
            "kind": OrganisationKind.COMMUNE_PC, "name": "UBND xã", "province": province(LAI_CHAU),
            "commune": commune_of(TAY_NINH),
        })
    assert caught.value.field == "commune"
    assert caught.value.message == tr("The commune is not in the chosen province.")


def test_create_refuses_a_province_as_commune_and_a_legacy_province(doit_lai_chau):
    from khuyencong.geo.models import AdminUnit

    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={
            "kind": OrganisationKind.COMMUNE_PC, "name": "UBND", "province": province(LAI_CHAU),
            "commune": province(LAI_CHAU),
        })
    assert caught.value.message == tr("The commune must be one of today's communes.")
    legacy = AdminUnit.objects.legacy().provinces().get(code=LAI_CHAU)
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={
            "kind": OrganisationKind.DOIT, "name": "Sở cũ", "province": legacy,
        })
    assert caught.value.message == tr("The province must be one of today's 34 provinces.")


def test_create_refuses_a_duplicate_name(doit_lai_chau):
    data = {"kind": OrganisationKind.KC_CENTRE, "name": "Trung tâm Khuyến công", "province": province(LAI_CHAU)}
    services.organisation_create(actor=doit_lai_chau, data=data)
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={**data, "name": " Trung tâm  Khuyến công"})
    assert caught.value.field == "name"
    assert caught.value.message == tr("An organisation with this name already exists in this province.")
    assert Organisation.objects.filter(name="Trung tâm Khuyến công").count() == 1


def test_create_refuses_too_long_values_instead_of_failing_in_the_database(doit_lai_chau):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={
            "kind": OrganisationKind.DOIT, "name": "Sở", "province": province(LAI_CHAU), "phone": "0" * 31,
        })
    assert caught.value.field == "phone"


def test_create_refuses_an_invalid_email(doit_lai_chau):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=doit_lai_chau, data={
            "kind": OrganisationKind.DOIT, "name": "Sở", "province": province(LAI_CHAU), "email": "not an email",
        })
    assert caught.value.field == "email"


# organisation_update


@pytest.fixture
def centre():
    return OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(LAI_CHAU), phone="")


def test_update_saves_increments_version_and_audits_changed_fields(doit_lai_chau, centre):
    updated = services.organisation_update(
        actor=doit_lai_chau, organisation=centre, version=1,
        data={"name": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu", "phone": "0213 3876 543",
              "kind": centre.kind},
    )
    assert updated.version == 2
    stored = Organisation.objects.get(pk=centre.pk)
    assert stored.version == 2
    assert stored.name == "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu"
    assert stored.name_folded == "trung tam khuyen cong va xuc tien thuong mai tinh lai chau"
    assert stored.phone == "0213 3876 543"
    event = _events(centre, "organisation.update").get()
    assert event.actor == doit_lai_chau
    assert event.changes == {
        "name": ["Trung tâm Khuyến công tỉnh Lai Châu", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu"],
        "phone": ["", "0213 3876 543"],
    }


def test_update_without_changes_writes_nothing(doit_lai_chau, centre):
    services.organisation_update(actor=doit_lai_chau, organisation=centre, version=1, data={"name": centre.name})
    assert Organisation.objects.get(pk=centre.pk).version == 1
    assert not _events(centre, "organisation.update").exists()


def test_concurrent_edit_is_detected_and_the_first_change_kept(doit_lai_chau, centre):
    manager = make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU)
    # Both open the form at version 1.
    seen_by_officer = Organisation.objects.get(pk=centre.pk)
    seen_by_manager = Organisation.objects.get(pk=centre.pk)
    assert seen_by_officer.version == seen_by_manager.version == 1

    services.organisation_update(actor=doit_lai_chau, organisation=seen_by_officer, version=1,
                                 data={"phone": "0213 1111 111"})
    with pytest.raises(Conflict) as caught:
        services.organisation_update(actor=manager, organisation=seen_by_manager, version=1,
                                     data={"phone": "0213 2222 222", "address": "Phường Tân Phong"})

    assert caught.value.code == "conflict"
    assert caught.value.message == tr(
        "Someone else changed this organisation after you opened it. Reload to see their changes; your input is "
        "kept below."
    )
    stored = Organisation.objects.get(pk=centre.pk)
    assert stored.phone == "0213 1111 111"
    assert stored.address == ""
    assert stored.version == 2
    assert _events(centre, "organisation.update").count() == 1


def test_update_out_of_scope_is_refused(centre):
    tay_ninh_officer = make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH)
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_update(actor=tay_ninh_officer, organisation=centre, version=1, data={"name": "Bị sửa"})
    assert caught.value.message == tr(OUTSIDE)
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"


def test_update_by_centre_staff_is_refused(centre):
    staff = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    with pytest.raises(PermissionDenied) as caught:
        services.organisation_update(actor=staff, organisation=centre, version=1, data={"name": "Bị sửa"})
    assert caught.value.message == tr("Only system administrators and DoIT officers can edit organisations.")


def test_update_cannot_move_an_organisation_out_of_scope(doit_lai_chau, centre):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=doit_lai_chau, organisation=centre, version=1,
                                     data={"province": province(TAY_NINH)})
    assert Organisation.objects.get(pk=centre.pk).province.code == LAI_CHAU


def test_update_refuses_an_empty_name(doit_lai_chau, centre):
    with pytest.raises(InvalidInput) as caught:
        services.organisation_update(actor=doit_lai_chau, organisation=centre, version=1, data={"name": " "})
    assert caught.value.field == "name"


def test_update_refuses_a_name_already_taken(doit_lai_chau, centre):
    OrganisationFactory(name="Trung tâm B", province=province(LAI_CHAU), kind=centre.kind)
    with pytest.raises(InvalidInput) as caught:
        services.organisation_update(actor=doit_lai_chau, organisation=centre, version=1, data={"name": "Trung tâm B"})
    assert caught.value.field == "name"
    assert caught.value.message == tr("An organisation with this name already exists in this province.")
    assert Organisation.objects.get(pk=centre.pk).name == "Trung tâm Khuyến công tỉnh Lai Châu"


def test_update_moving_province_refuses_the_old_commune():
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None)
    org = OrganisationFactory(kind=OrganisationKind.COMMUNE_PC, province=province(LAI_CHAU),
                              commune=commune_of(LAI_CHAU))
    with pytest.raises(InvalidInput) as caught:
        services.organisation_update(actor=admin, organisation=org, version=1, data={"province": province(TAY_NINH)})
    assert caught.value.field == "commune"
    assert Organisation.objects.get(pk=org.pk).province.code == LAI_CHAU


# API tokens


def test_api_token_create_returns_the_raw_token_once_and_stores_its_digest():
    user = UserFactory()
    token, raw = services.api_token_create(actor=user, user=user, name="  Kết nối   kế toán ")
    token.refresh_from_db()
    assert raw.startswith("kc_")
    assert len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.name == "Kết nối kế toán"
    assert raw.startswith(token.prefix)
    assert len(token.prefix) < len(raw) // 2
    stored = [str(v) for row in ApiToken.objects.values() for v in row.values()]
    stored += [str(v) for row in AuditEvent.objects.values() for v in row.values()]
    assert not any(raw in value for value in stored)
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk), actor=user).exists()


def test_api_tokens_are_unique():
    user = UserFactory()
    raws = {services.api_token_create(actor=user, user=user)[1] for _i in range(5)}
    assert len(raws) == 5


def test_api_token_create_for_someone_else_is_refused():
    alice, bob = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied) as caught:
        services.api_token_create(actor=alice, user=bob)
    assert caught.value.message == tr("You can only create tokens for yourself.")
    assert not ApiToken.objects.exists()


def test_superuser_can_create_a_token_for_someone_else():
    admin, bob = UserFactory(is_superuser=True), UserFactory()
    token, _raw = services.api_token_create(actor=admin, user=bob)
    assert token.user == bob


def test_api_token_create_for_a_disabled_account_is_refused():
    admin, bob = UserFactory(is_superuser=True), UserFactory(is_active=False)
    with pytest.raises(InvalidInput) as caught:
        services.api_token_create(actor=admin, user=bob)
    assert caught.value.message == tr("The account is disabled.")


def test_api_token_revoke_by_its_owner():
    user = UserFactory()
    token, _raw = services.api_token_create(actor=user, user=user)
    services.api_token_revoke(actor=user, token_id=token.pk)
    token.refresh_from_db()
    revoked_at = token.revoked_at
    assert revoked_at is not None
    services.api_token_revoke(actor=user, token_id=token.pk)  # again: nothing changes
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_api_token_revoke_by_someone_else_is_not_found():
    owner, other = UserFactory(), UserFactory()
    token, _raw = services.api_token_create(actor=owner, user=owner)
    with pytest.raises(NotFound) as caught:
        services.api_token_revoke(actor=other, token_id=token.pk)
    assert caught.value.message == tr("Token not found.")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_api_token_revoke_of_an_unknown_token_is_not_found():
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=UserFactory(), token_id=987654)
