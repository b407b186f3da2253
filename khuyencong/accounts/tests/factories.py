"""Factories and helpers every app's tests use to make organisations and users with a role and scope."""

import factory

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

PASSWORD = "matkhau-thu-nghiem-2026"

_ORG_KIND_FOR_ROLE = {
    Role.SYSTEM_ADMIN: OrganisationKind.MINISTRY_AGENCY,
    Role.MINISTRY_OFFICER: OrganisationKind.MINISTRY_AGENCY,
    Role.DOIT_OFFICER: OrganisationKind.DOIT,
    Role.DOIT_MANAGER: OrganisationKind.DOIT,
    Role.CENTRE_STAFF: OrganisationKind.KC_CENTRE,
    Role.FINANCE_OFFICER: OrganisationKind.KC_CENTRE,
    Role.COLLABORATOR: OrganisationKind.KC_CENTRE,
    Role.VIEWER: OrganisationKind.DOIT,
}


def province(code: int) -> AdminUnit:
    return AdminUnit.objects.get(scheme="current", level="province", code=code)


def commune_of(province_code: int, index: int = 0) -> AdminUnit:
    return (
        AdminUnit.objects.filter(scheme="current", level="commune", province__code=province_code)
        .order_by("code")[index]
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.KC_CENTRE
    name = factory.Sequence(lambda n: f"Trung tâm Khuyến công số {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))  # as the services store it


def organisation_for(kind: str, province_code: int | None) -> Organisation:
    prov = province(province_code) if province_code else None
    org = Organisation.objects.filter(kind=kind, province=prov).first()
    if org is None:
        org = OrganisationFactory(
            kind=kind, province=prov, name=f"{OrganisationKind(kind).label} {prov.short_name if prov else ''}".strip()
        )
    return org


def make_user(
    role: str = Role.CENTRE_STAFF,
    province_code: int | None = 12,
    *,
    communes: list[AdminUnit] | None = None,
    username: str | None = None,
    organisation: Organisation | None = None,
    **fields,
) -> User:
    """A user holding one role. province_code=None with a national role gives national scope;
    communes=[...] gives a "listed communes" scope inside the province."""
    if username:
        fields["username"] = username
    if role == Role.SYSTEM_ADMIN:
        fields.setdefault("is_superuser", True)
        fields.setdefault("is_staff", True)
    user = UserFactory(**fields)
    national = province_code is None
    org = organisation or organisation_for(_ORG_KIND_FOR_ROLE[Role(role)], province_code)
    assignment = RoleAssignment.objects.create(
        user=user,
        organisation=org,
        role=role,
        scope_level=ScopeLevel.NATIONAL if national else (ScopeLevel.COMMUNES if communes else ScopeLevel.PROVINCE),
        province=None if national else province(province_code),
    )
    if communes:
        assignment.communes.set(communes)
    return user
