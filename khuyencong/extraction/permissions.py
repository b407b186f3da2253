"""Who reads articles into records and who reviews them: the staff of the KC offices (not collaborators, finance
or viewers). A record with no recognised province is reviewed nationally or by whoever pasted it."""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision, holds_role
from khuyencong.core.permissions import ALLOW, Decision, deny

STAFF = (Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN)


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and holds_role(user, *STAFF)


def can_submit(user) -> Decision:
    if is_staff(user):
        return ALLOW
    return deny(_("Only the staff of a KC centre, a Department of Industry and Trade or the ministry read articles "
                  "into records."))


def can_review(user, extraction) -> Decision:
    if extraction.province_id is None and extraction.created_by_id == getattr(user, "pk", None) and is_staff(user):
        return ALLOW
    return acting_decision(user, extraction.province_id, STAFF, doing=_("review this article"))
