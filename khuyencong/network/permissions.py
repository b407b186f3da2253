"""Who may do what in the collaborator network. Each check returns a Decision with a Vietnamese reason.

A role counts where it is held for the whole province (or nationally): a collaborator's own "listed communes"
assignment lets them record field work in those communes, nothing more.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision
from khuyencong.core.permissions import ALLOW, Decision, deny

NETWORK_MANAGERS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF)
REGULATION_EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER)
FEE_SIGNERS = (Role.FINANCE_OFFICER,)

# What a person without the role is told, by the roles a check asks for.
REFUSALS = {
    NETWORK_MANAGERS: gettext_lazy("Only the KC centre's staff manage the collaborator network."),
    REGULATION_EDITORS: gettext_lazy("Only the KC centre's staff and DoIT officers keep the network regulation."),
    FEE_SIGNERS: gettext_lazy("Only a finance officer of the province signs off fee sheets."),
}


def acting(user, province_id: int | None, roles: tuple[str, ...]) -> Decision:
    """One of `roles` held for the province, or the network's refusal for those roles."""
    return acting_decision(user, province_id, roles, refusal=str(REFUSALS[tuple(roles)]))


def can_manage_network(user, province_id: int | None) -> Decision:
    return acting(user, province_id, NETWORK_MANAGERS)


def can_edit_regulation(user, province_id: int | None) -> Decision:
    return acting(user, province_id, REGULATION_EDITORS)


def can_sign_fees(user, province_id: int | None) -> Decision:
    return acting(user, province_id, FEE_SIGNERS)


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
