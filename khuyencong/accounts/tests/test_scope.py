"""A user's geographic scope, from their active role assignments, and the filter every selector applies."""

import pytest
from django.contrib.auth.models import AnonymousUser

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel
from khuyencong.accounts.scope import Scope, holds_role, user_scope

from .factories import OrganisationFactory, UserFactory, commune_of, make_user, organisation_for, province

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH, CAN_THO = 12, 80, 92


def test_national_user_sees_everything():
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
    scope = user_scope(user)
    assert scope.national
    assert scope.roles == {Role.MINISTRY_OFFICER}
    assert not scope.is_empty
    assert scope.covers_province(province(TAY_NINH).pk)
    assert scope.covers(province_id=None)


def test_province_user_covers_only_their_province():
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    scope = user_scope(user)
    lai_chau, tay_ninh = province(LAI_CHAU), province(TAY_NINH)
    assert not scope.national
    assert scope.province_ids == {lai_chau.pk}
    assert scope.commune_ids == frozenset()
    assert scope.commune_province_ids == frozenset()
    assert scope.roles == {Role.CENTRE_STAFF}
    assert scope.covers_province(lai_chau.pk)
    assert not scope.covers_province(tay_ninh.pk)
    assert not scope.covers_province(None)
    assert scope.covers(province_id=lai_chau.pk, commune_id=commune_of(LAI_CHAU).pk)
    assert not scope.covers(province_id=tay_ninh.pk, commune_id=commune_of(TAY_NINH).pk)


def test_listed_communes_user_covers_only_those_communes():
    listed = [commune_of(LAI_CHAU, 0), commune_of(LAI_CHAU, 1)]
    user = make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, communes=listed)
    scope = user_scope(user)
    lai_chau = province(LAI_CHAU)
    assert scope.commune_ids == {c.pk for c in listed}
    assert scope.province_ids == frozenset()
    assert scope.commune_province_ids == {lai_chau.pk}
    assert not scope.is_empty
    assert not scope.covers_province(lai_chau.pk)  # only some of its communes
    assert scope.touches_province(lai_chau.pk)
    assert not scope.touches_province(province(TAY_NINH).pk)
    assert scope.covers(province_id=lai_chau.pk, commune_id=listed[1].pk)
    assert not scope.covers(province_id=lai_chau.pk, commune_id=commune_of(LAI_CHAU, 2).pk)
    assert not scope.covers(province_id=lai_chau.pk)


def test_whole_province_assignment_absorbs_listed_communes_of_the_same_province():
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    assignment = RoleAssignment.objects.create(
        user=user, organisation=organisation_for(OrganisationKind.KC_CENTRE, LAI_CHAU), role=Role.COLLABORATOR,
        scope_level=ScopeLevel.COMMUNES, province=province(LAI_CHAU),
    )
    assignment.communes.set([commune_of(LAI_CHAU)])
    scope = user_scope(user)
    assert scope.province_ids == {province(LAI_CHAU).pk}
    assert scope.commune_province_ids == frozenset()
    assert scope.roles == {Role.CENTRE_STAFF, Role.COLLABORATOR}


def test_assignments_in_two_provinces_add_up():
    user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    RoleAssignment.objects.create(
        user=user, organisation=organisation_for(OrganisationKind.DOIT, TAY_NINH), role=Role.VIEWER,
        scope_level=ScopeLevel.PROVINCE, province=province(TAY_NINH),
    )
    scope = user_scope(user)
    assert scope.province_ids == {province(LAI_CHAU).pk, province(TAY_NINH).pk}
    assert not scope.covers_province(province(CAN_THO).pk)


def test_superuser_without_assignment_is_national_admin():
    user = UserFactory(is_superuser=True, is_staff=True)
    scope = user_scope(user)
    assert scope.national
    assert Role.SYSTEM_ADMIN in scope.roles
    assert holds_role(user, Role.SYSTEM_ADMIN)
    assert not holds_role(user, Role.CENTRE_STAFF)


def test_inactive_user_has_no_scope():
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None, is_active=False)
    scope = user_scope(user)
    assert scope == Scope()
    assert scope.is_empty
    assert not holds_role(user, Role.MINISTRY_OFFICER)


def test_inactive_superuser_has_no_scope():
    assert user_scope(UserFactory(is_superuser=True, is_active=False)).is_empty


def test_user_without_assignment_has_no_scope():
    user = UserFactory()
    scope = user_scope(user)
    assert scope.is_empty
    assert scope.roles == frozenset()
    assert not scope.covers_province(province(LAI_CHAU).pk)


def test_inactive_assignment_gives_no_scope():
    user = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    RoleAssignment.objects.filter(user=user).update(is_active=False)
    scope = user_scope(user)
    assert scope.is_empty
    assert not holds_role(user, Role.DOIT_OFFICER)


def test_anonymous_user_has_no_scope():
    assert user_scope(AnonymousUser()).is_empty


def test_scope_is_computed_once_per_user_object(django_assert_num_queries):
    user = make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, communes=[commune_of(LAI_CHAU)])
    with django_assert_num_queries(2):  # assignments, then their communes
        first = user_scope(user)
    with django_assert_num_queries(0):
        assert user_scope(user) is first
        assert holds_role(user, Role.COLLABORATOR)


# Scope.filter on Organisation querysets


@pytest.fixture
def organisations():
    lai_chau_commune, other_lai_chau_commune = commune_of(LAI_CHAU, 0), commune_of(LAI_CHAU, 5)
    return {
        "national": OrganisationFactory(kind=OrganisationKind.MINISTRY_AGENCY, province=None),
        "lai_chau": OrganisationFactory(province=province(LAI_CHAU)),
        "lai_chau_commune": OrganisationFactory(
            kind=OrganisationKind.COMMUNE_PC, province=province(LAI_CHAU), commune=lai_chau_commune
        ),
        "lai_chau_other_commune": OrganisationFactory(
            kind=OrganisationKind.COMMUNE_PC, province=province(LAI_CHAU), commune=other_lai_chau_commune
        ),
        "tay_ninh": OrganisationFactory(province=province(TAY_NINH)),
        "tay_ninh_commune": OrganisationFactory(
            kind=OrganisationKind.COMMUNE_PC, province=province(TAY_NINH), commune=commune_of(TAY_NINH)
        ),
    }


def _names(qs, organisations):
    pks = set(qs.values_list("pk", flat=True))
    return {name for name, org in organisations.items() if org.pk in pks}


def test_filter_national_keeps_every_row(organisations):
    scope = user_scope(make_user(role=Role.MINISTRY_OFFICER, province_code=None))
    assert _names(scope.filter(Organisation.objects.all()), organisations) == set(organisations)


def test_filter_province_keeps_only_that_province(organisations):
    scope = user_scope(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))
    assert _names(scope.filter(Organisation.objects.all()), organisations) == {
        "lai_chau", "lai_chau_commune", "lai_chau_other_commune",
    }
    assert _names(scope.filter(Organisation.objects.all(), commune="commune"), organisations) == {
        "lai_chau", "lai_chau_commune", "lai_chau_other_commune",
    }


def test_filter_listed_communes_keeps_only_those_communes(organisations):
    user = make_user(role=Role.COLLABORATOR, province_code=LAI_CHAU, communes=[commune_of(LAI_CHAU, 0)])
    scope = user_scope(user)
    assert _names(scope.filter(Organisation.objects.all(), commune="commune"), organisations) == {"lai_chau_commune"}
    # Without a commune lookup the records cannot be placed in a commune: none is shown.
    assert _names(scope.filter(Organisation.objects.all()), organisations) == set()


def test_filter_empty_scope_keeps_nothing(organisations):
    scope = user_scope(UserFactory())
    assert not scope.filter(Organisation.objects.all()).exists()
    assert not scope.filter(Organisation.objects.all(), commune="commune").exists()


def test_filter_follows_a_named_lookup(organisations):
    """Records that reach the province through a relation name the lookup (here: members' organisations)."""
    tay_ninh_user = make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH, organisation=organisations["tay_ninh"])
    lai_chau_user = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, organisation=organisations["lai_chau"])
    scope = user_scope(lai_chau_user)
    rows = scope.filter(RoleAssignment.objects.all(), province="organisation__province")
    assert set(rows.values_list("user_id", flat=True)) == {lai_chau_user.pk}
    assert tay_ninh_user.pk not in set(rows.values_list("user_id", flat=True))
