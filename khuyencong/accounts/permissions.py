"""Who may do what with organisations and accounts. Each check returns a Decision with a Vietnamese reason."""

from django.utils.translation import gettext as _

from khuyencong.core.permissions import ALLOW, Decision, deny

from .models import Organisation, Role
from .scope import holds_role, user_scope

ORGANISATION_EDITORS = (Role.SYSTEM_ADMIN, Role.DOIT_MANAGER, Role.DOIT_OFFICER)


def can_edit_organisation(user, organisation: Organisation) -> Decision:
    if not holds_role(user, *ORGANISATION_EDITORS):
        return deny(_("Only system administrators and DoIT officers can edit organisations."))
    scope = user_scope(user)
    if organisation.province_id is None:
        return ALLOW if (user.is_superuser or scope.national) else deny(
            _("Only national users can edit a national organisation.")
        )
    if not scope.covers_province(organisation.province_id):
        return deny(_("This organisation is outside your area."))
    return ALLOW


def can_create_organisation(user, province_id: int | None) -> Decision:
    probe = Organisation(province_id=province_id)
    return can_edit_organisation(user, probe)
