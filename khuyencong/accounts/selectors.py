"""Reads of organisations and accounts, scoped to the user, with a fixed number of queries."""

from django.db.models import Count, Q, QuerySet

from khuyencong.core.text import fold

from .models import Organisation, RoleAssignment, User
from .scope import user_scope


def organisation_list(*, user, q: str = "", kind: str = "", province_code: int | None = None) -> QuerySet:
    """Organisations the user may see: national bodies plus those in the user's provinces."""
    scope = user_scope(user)
    qs = Organisation.objects.select_related("province", "parent", "commune").annotate(
        member_count=Count("assignments__user", filter=Q(assignments__is_active=True), distinct=True)
    )
    if not scope.national:
        qs = qs.filter(Q(province__isnull=True) | Q(province_id__in=scope.province_ids | scope.commune_province_ids))
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if province_code is not None:
        qs = qs.filter(province__code=province_code)
    return qs.order_by("province__code", "kind", "name")


def organisation_get(*, user, pk: int) -> Organisation | None:
    return organisation_list(user=user).filter(pk=pk).first()


def organisation_members(*, organisation: Organisation) -> QuerySet:
    return (
        RoleAssignment.objects.filter(organisation=organisation)
        .select_related("user", "province")
        .prefetch_related("communes")
        .order_by("-is_active", "role", "user__full_name")
    )


def user_assignments(*, user: User) -> QuerySet:
    return (
        RoleAssignment.objects.filter(user=user, is_active=True)
        .select_related("organisation", "province")
        .prefetch_related("communes")
    )
