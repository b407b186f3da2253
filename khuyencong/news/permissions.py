"""Who writes, reviews and publishes news. Each check returns a Decision with a Vietnamese reason.

- A province's news is written by its KC centre staff (they submit it for review and publish it once approved);
  it is reviewed (approved or returned) by the DoIT's officers or managers of the province, who supervise the centre.
  Withdrawing a published article is for the reviewers and the centre.
- National news (no province) is written, reviewed and published by ministry officers.
- A system administrator may do everything.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision, roles_in, user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny

WRITERS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.MINISTRY_OFFICER)
REVIEWERS = (Role.SYSTEM_ADMIN, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.MINISTRY_OFFICER)
WITHDRAWERS = tuple(dict.fromkeys(WRITERS + REVIEWERS))
STAFF_ROLES = WITHDRAWERS

REFUSALS = {
    WRITERS: gettext_lazy("Only the KC centre's staff of the province write its news."),
    REVIEWERS: gettext_lazy("Only the DoIT's officers of the province review its news."),
    WITHDRAWERS: gettext_lazy("Only the KC centre's staff or the DoIT's officers of the province withdraw its news."),
}


def roles_for_article(province_id: int | None, roles: tuple[str, ...]) -> tuple[str, ...]:
    """National news is the ministry's: there only ministry officers (and administrators) act."""
    if province_id is None:
        return tuple(r for r in roles if r in (Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER))
    return tuple(r for r in roles if r != Role.MINISTRY_OFFICER)


def acting(user, province_id: int | None, roles: tuple[str, ...]) -> Decision:
    if province_id is None and not roles_in(user, None) & set(roles_for_article(None, roles)):
        return deny(_("Only ministry officers write and publish national news."))
    return acting_decision(user, province_id, roles_for_article(province_id, roles), refusal=str(REFUSALS[roles]))


def can_write(user, province_id: int | None) -> Decision:
    return acting(user, province_id, WRITERS)


def can_edit(user, article) -> Decision:
    decision = can_write(user, article.province_id)
    if not decision:
        return decision
    if article.status != "draft":
        return deny(_("Only a draft can be changed (now: %(status)s). Return it to draft first.")
                    % {"status": article.get_status_display().lower()})
    return ALLOW


def works_on_news(user) -> bool:
    """Whether the staff pages of news concern the user (the menu entry)."""
    scope = user_scope(user)
    return bool(scope.roles & set(STAFF_ROLES)) or user.is_superuser
