"""Who may change the rule tables: system administrators only (rules are law; everyone signed in may read them)."""

from django.utils.translation import gettext as _

from khuyencong.core.permissions import ALLOW, Decision, deny


def can_edit_rules(user) -> Decision:
    # A system administrator is a superuser (accounts: Role.SYSTEM_ADMIN assignments come with is_superuser).
    if getattr(user, "is_active", False) and getattr(user, "is_superuser", False):
        return ALLOW
    return deny(_("Only system administrators can change legal rules."))
