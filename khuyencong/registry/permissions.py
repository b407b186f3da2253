"""Who may read and change the registry. Reasons are shown when an action is unavailable."""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import holds_role, user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny

REGISTRY_EDITORS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.COLLABORATOR)
REGISTRY_MERGERS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER)


def can_edit_in(user, *, province_id: int | None, commune_id: int | None = None) -> Decision:
    if not holds_role(user, *REGISTRY_EDITORS):
        return deny(_("Your role can only read the registry."))
    if not user_scope(user).covers(province_id=province_id, commune_id=commune_id):
        return deny(_("This place is outside your area."))
    return ALLOW


def can_edit_establishment(user, establishment) -> Decision:
    if establishment.is_merged:
        return deny(_("This record was merged into another one; edit that one."))
    return can_edit_in(user, province_id=establishment.province_id, commune_id=establishment.commune_id)


def can_merge(user, survivor, duplicate) -> Decision:
    if not holds_role(user, *REGISTRY_MERGERS):
        return deny(_("Only centre staff and DoIT officers can merge records."))
    scope = user_scope(user)
    if not (scope.covers_province(survivor.province_id) and scope.covers_province(duplicate.province_id)):
        return deny(_("Both records must be in your area."))
    if survivor.pk == duplicate.pk:
        return deny(_("A record cannot be merged into itself."))
    if survivor.is_merged or duplicate.is_merged:
        return deny(_("One of the records was already merged."))
    return ALLOW


def can_review_merge(user, merge) -> Decision:
    """A merge is confirmed by a second person of the same area, after reading the snapshot."""
    if not holds_role(user, *REGISTRY_MERGERS):
        return deny(_("Only centre staff and DoIT officers can merge records."))
    if not user_scope(user).covers_province(merge.survivor.province_id):
        return deny(_("This place is outside your area."))
    if merge.reviewed_at is not None:
        return deny(_("This merge was already reviewed."))
    if merge.actor_id == user.pk:
        return deny(_("The person who merged cannot review their own merge."))
    return ALLOW


def can_import(user, province_id: int | None) -> Decision:
    if not holds_role(user, Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER):
        return deny(_("Only centre staff and DoIT officers can import spreadsheets."))
    scope = user_scope(user)
    if province_id is None and not scope.national:
        return deny(_("Choose the province the file belongs to."))
    if province_id is not None and not scope.covers_province(province_id):
        return deny(_("This province is outside your area."))
    return ALLOW
