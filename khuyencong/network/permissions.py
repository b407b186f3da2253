"""Who may do what in the collaborator network. Each check returns a Decision with a Vietnamese reason.

A role counts where it is held for the whole province (or nationally): a collaborator's own "listed communes"
assignment lets them record field work in those communes, nothing more.
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny

NETWORK_MANAGERS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF)
REGULATION_EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER)
FEE_SIGNERS = (Role.FINANCE_OFFICER,)


def _role_map(user) -> dict[str, tuple[bool, frozenset[int]]]:
    """role → (held nationally, provinces where it is held for the whole province), from the user's scope."""
    return user_scope(user).role_places


def roles_in(user, province_id: int | None) -> set[str]:
    return {role for role, (national, provinces) in _role_map(user).items()
            if national or (province_id is not None and province_id in provinces)}


def _acting(user, province_id, roles, refusal: str) -> Decision:
    if roles_in(user, province_id) & set(roles):
        return ALLOW
    if set(_role_map(user)) & set(roles):
        return deny(_("You hold the role needed, but not for this province."))
    return deny(refusal)


def can_view_network(user, province_id: int | None) -> Decision:
    if user_scope(user).covers_province(province_id):
        return ALLOW
    return deny(_("This province is outside your area."))


def can_manage_network(user, province_id: int | None) -> Decision:
    return _acting(user, province_id, NETWORK_MANAGERS,
                   _("Only the KC centre's staff manage the collaborator network."))


def can_edit_regulation(user, province_id: int | None) -> Decision:
    return _acting(user, province_id, REGULATION_EDITORS,
                   _("Only the KC centre's staff and DoIT officers keep the network regulation."))


def can_sign_fees(user, province_id: int | None) -> Decision:
    return _acting(user, province_id, FEE_SIGNERS, _("Only a finance officer of the province signs off fee sheets."))


def can_record_field(user, collaborator, commune=None) -> Decision:
    """A collaborator records field work for themselves, while active, in a commune they cover today."""
    if collaborator is None or collaborator.user_id != getattr(user, "pk", None):
        return deny(_("Only the collaborator themselves records their field work."))
    if not collaborator.is_active:
        return deny(_("Your collaborator appointment is not active (now: %(status)s).")
                    % {"status": collaborator.get_status_display()})
    if commune is not None and commune.pk not in covered_commune_ids(collaborator):
        return deny(_("%(commune)s is not one of the communes you cover.") % {"commune": commune.name})
    return ALLOW


def covered_commune_ids(collaborator) -> set[int]:
    cached = getattr(collaborator, "_kc_covered", None)
    if cached is None:
        cached = set(collaborator.coverages.filter(end_date__isnull=True, unit__scheme="current",
                                                   unit__level="commune").values_list("unit_id", flat=True))
        collaborator._kc_covered = cached
    return cached
