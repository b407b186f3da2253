"""What a work inbox item is, and how a module reads "what waits for this user" from its lifecycle table.

Each module that gives people work (`projects`, `events`, `network`, `reporting`) has an `inbox.py` that turns its
flows into `InboxGroup`s; `web.inbox` collects them for the home page and the daily e-mail, so both list the same
items. An item is either an action the user may take now (the flow offers it in the object's state, and the user
holds one of its roles for the object's province: the same check as the buttons of the page) or a deadline near or
past that the user watches.

The guards of a step (documents, money, signatures) are not evaluated for a list: they are read on the object's page,
which says what is still missing. A guard that is only a date ("from the day the event ends") is read in the query.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

# How many items of one kind a page or an e-mail lists; the count says how many there are.
GROUP_LIMIT = 20
# A deadline this many days away, or fewer, is drawn as near.
SOON_DAYS = 7


@dataclass
class InboxItem:
    title: str
    url: str
    step: str  # what is expected, in words: the labels of the actions the user may take, or the deadline
    code: str = ""
    where: str = ""
    since: datetime.date | None = None  # waiting since (or the date of the record)
    due: datetime.date | None = None
    late: bool = False
    since_words: str = ""  # filled by the collector for the day it is read
    due_words: str = ""
    soon: bool = False  # due within SOON_DAYS


@dataclass
class InboxGroup:
    kind: str
    label: str
    items: list[InboxItem] = field(default_factory=list)
    total: int = 0
    url: str = ""  # the module's list of all of them
    watch: bool = False  # deadlines to watch, not actions of the user

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def rows_for(flow, actions) -> list:
    return [row for row in flow.transitions if row.action in actions]


def actionable_q(flow, provinces_for, actions, *, state: str = "status", province: str = "province_id",
                 variant: str = "", extra: dict | None = None, national_only: Q | None = None) -> Q:
    """Rows whose state offers one of `actions` to the user, in the provinces where the user holds one of its roles
    (`provinces_for(roles)`: `accounts.scope.acting_province_ids` of the user, None meaning every province).
    `extra[action]` narrows one action (a date guard read in the query); `national_only`, when given, is what a
    national holder of a role answers for (not every province's)."""
    condition = Q(pk__in=[])
    for row in rows_for(flow, actions):
        provinces = provinces_for(row.roles)
        if provinces is not None and not provinces:
            continue
        step = Q(**{f"{state}__in": row.sources})
        if row.variant:
            step &= Q(**{variant: row.variant})
        if provinces is not None:
            step &= Q(**{f"{province}__in": provinces})
        elif national_only is not None:
            step &= national_only
        if extra and row.action in extra:
            step &= extra[row.action]
        condition |= step
    return condition


# Ways back (returning, refusing): named after the step forward.
BACKWARD = frozenset({"return", "reject", "refuse", "cancel"})


def allowed_labels(flow, obj, user, actions) -> list[str]:
    """The labels of the actions of the object's state that the user's roles take, as the page's buttons check them
    (the role only: no query); the step forward first."""
    rows = [row for row in flow.transitions_from(obj)
            if row.action in actions and flow.permission(flow, obj, user, row)]
    rows.sort(key=lambda row: row.action in BACKWARD or row.style.startswith("outline"))
    return [str(row.label) for row in rows]


def since_words(since: datetime.date | None, today: datetime.date) -> str:
    """“hôm nay”, “hôm qua”, “3 ngày trước”: how long an item has waited."""
    if since is None:
        return ""
    days = (today - since).days
    if days <= 0:
        return pgettext("waiting since", "today")
    if days == 1:
        return pgettext("waiting since", "yesterday")
    return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}


def due_words(due: datetime.date | None, today: datetime.date) -> str:
    """“quá hạn 3 ngày”, “đến hạn hôm nay”, “còn 5 ngày”."""
    if due is None:
        return ""
    days = (due - today).days
    if days < 0:
        return ngettext("%(n)s day late", "%(n)s days late", -days) % {"n": -days}
    if days == 0:
        return _("due today")
    return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
