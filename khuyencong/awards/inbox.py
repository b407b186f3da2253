"""What awards puts in a user's work inbox (`web.inbox`): the entries waiting for the juror's scoring sheet."""

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.inbox import InboxGroup, InboxItem

from .selectors import my_entries_to_score

LIMIT = 10


def inbox_groups(user, today, *, watch: bool = False) -> list:
    if watch or not getattr(user, "is_authenticated", False):
        return []
    qs = my_entries_to_score(user).exclude(sheets__juror__user=user, sheets__status="submitted")
    entries = list(qs[:LIMIT])
    if not entries:
        return []
    items = [InboxItem(title=e.product_name, url=reverse("awards_sheet", args=[e.pk]), step=_("Score the product"),
                       where=e.round.name) for e in entries]
    return [InboxGroup(kind="awards_sheets", label=_("Products to score"), items=items, total=qs.count(),
                       url=reverse("awards_round_list"))]
