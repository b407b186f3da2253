"""A user's geographic scope, computed once per request from their active role assignments.

Every selector filters through Scope.filter, so lists, pages, exports and the API see the same rows. The questions
every module asks of a user are answered here, one name each:

- `roles_in(user, province_id)`: the roles the user may act with in a province;
- `holds_role(user, *roles)`: whether the user holds one of the roles anywhere;
- `acting_decision(user, province_id, roles, …)`: the permission to act there, with the Vietnamese reason;
- `role_permission`: the same for a row of a lifecycle (`core.flows`);
- `acting_provinces(user, roles=…)` / `visible_provinces(user)`: the provinces the user acts in (whole province),
  and those whose data the user sees (also a province where only some communes are the user's).
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from khuyencong.core.permissions import ALLOW, Decision, deny
from khuyencong.geo.models import AdminUnit

from .models import Role, RoleAssignment, ScopeLevel


@dataclass(frozen=True)
class Scope:
    national: bool = False
    province_ids: frozenset[int] = field(default_factory=frozenset)
    # Communes of "listed communes" assignments, by province id; such a user sees only these communes there.
    commune_ids: frozenset[int] = field(default_factory=frozenset)
    commune_province_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # role → (held nationally, provinces where it is held for the whole province)
    role_places: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.province_ids or self.commune_ids)

    def covers_province(self, province_id: int | None) -> bool:
        """Whole-province access (not only some of its communes)."""
        if self.national:
            return True
        return province_id is not None and province_id in self.province_ids

    def touches_province(self, province_id: int | None) -> bool:
        return self.covers_province(province_id) or province_id in self.commune_province_ids

    def covers(self, *, province_id: int | None, commune_id: int | None = None) -> bool:
        if self.covers_province(province_id):
            return True
        return commune_id is not None and commune_id in self.commune_ids

    def filter(self, qs: QuerySet, *, province: str = "province", commune: str | None = None) -> QuerySet:
        """Rows of qs inside the scope. `province`/`commune` name the lookups to the current units."""
        if self.national:
            return qs
        condition = Q(**{f"{province}__in": self.province_ids}) if self.province_ids else Q(pk__in=[])
        if self.commune_ids and commune is not None:
            condition |= Q(**{f"{commune}__in": self.commune_ids})
        return qs.filter(condition)


def user_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_kc_scope", None)
    if cached is not None:
        return cached
    national = user.is_superuser
    provinces: set[int] = set()
    communes: set[int] = set()
    commune_provinces: set[int] = set()
    role_places: dict[str, tuple[bool, set[int]]] = {}
    if user.is_superuser:
        role_places[Role.SYSTEM_ADMIN] = (True, set())
    assignments = list(RoleAssignment.objects.filter(user=user, is_active=True))
    commune_assignments = [a.pk for a in assignments if a.scope_level == ScopeLevel.COMMUNES]
    if commune_assignments:  # one more query, only for the few roles limited to listed communes
        through = RoleAssignment.communes.through.objects.filter(roleassignment_id__in=commune_assignments)
        communes.update(through.values_list("adminunit_id", flat=True))
    for assignment in assignments:
        held_nationally, held_in = role_places.get(assignment.role, (False, set()))
        if assignment.scope_level == ScopeLevel.NATIONAL:
            national = held_nationally = True
        elif assignment.scope_level == ScopeLevel.PROVINCE:
            provinces.add(assignment.province_id)
            held_in.add(assignment.province_id)
        else:
            commune_provinces.add(assignment.province_id)
        role_places[assignment.role] = (held_nationally, held_in)
    scope = Scope(
        national=national,
        province_ids=frozenset(provinces),
        commune_ids=frozenset(communes),
        commune_province_ids=frozenset(commune_provinces - provinces),
        roles=frozenset(role_places),
        role_places={role: (n, frozenset(p)) for role, (n, p) in role_places.items()},
    )
    user._kc_scope = scope
    return scope


def roles_in(user, province_id: int | None) -> set[str]:
    """The roles the user holds nationally or for the whole of this province (not for some of its communes only):
    what the user may do there."""
    return {role for role, (national, provinces) in user_scope(user).role_places.items()
            if national or (province_id is not None and province_id in provinces)}


def holds_role(user, *roles: str) -> bool:
    """Whether the user holds one of the roles anywhere (nationally, in a province or for some communes)."""
    scope = user_scope(user)
    return bool(scope.roles & set(roles)) or (user.is_superuser and Role.SYSTEM_ADMIN in roles)


def role_labels(roles) -> str:
    return ", ".join(str(Role(r).label) for r in roles)


def acting_decision(user, province_id: int | None, roles, *, doing: str = "", refusal: str = "") -> Decision:
    """Allowed when the user holds one of `roles` for the province (or nationally). Otherwise the reason: the role is
    held but elsewhere, or `refusal` (by default "Only <roles> can <doing>")."""
    if roles_in(user, province_id) & set(roles):
        return ALLOW
    if set(user_scope(user).role_places) & set(roles):
        if doing:
            return deny(_("You hold the role needed to %(doing)s, but not for this province.") % {"doing": doing})
        return deny(_("You hold the role needed, but not for this province."))
    return deny(refusal or _("Only %(roles)s can %(doing)s.") % {"roles": role_labels(roles), "doing": doing})


def role_permission(flow, obj, user, row) -> Decision:
    """Who may take a lifecycle's transition: a holder of one of its roles for the object's province."""
    roles = row.roles_for(obj)
    if roles_in(user, flow.province_of(obj)) & set(roles):
        return ALLOW
    return deny(_("Only %(who)s can do this.") % {"who": row.who_for(obj) or role_labels(roles)})


def acting_province_ids(user, roles=None) -> set[int] | None:
    """The provinces where the user holds (one of `roles`, or any role) for the whole province; None when held
    nationally (every province)."""
    national, provinces = False, set()
    for role, (held_nationally, held_in) in user_scope(user).role_places.items():
        if roles is None or role in roles:
            national |= held_nationally
            provinces |= held_in
    return None if national else provinces


def acting_provinces(user, roles=None) -> QuerySet[AdminUnit]:
    """Today's provinces where the user acts (holds one of `roles`, or any role, for the whole province), by name."""
    qs = AdminUnit.objects.current().provinces().order_by("name")
    ids = acting_province_ids(user, roles)
    return qs if ids is None else qs.filter(pk__in=ids)


def visible_provinces(user) -> QuerySet[AdminUnit]:
    """Today's provinces whose data the user sees, wholly or for some of their communes, by name."""
    scope = user_scope(user)
    qs = AdminUnit.objects.current().provinces().order_by("name")
    return qs if scope.national else qs.filter(pk__in=scope.province_ids | scope.commune_province_ids)
