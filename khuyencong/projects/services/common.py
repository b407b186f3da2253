"""What every write of plans and projects shares: the date of an act, the permission check, audit pairs, text."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.locks import refuse


def act_date(on_date) -> datetime.date:
    """The day an act happened: today unless given; never a future day."""
    today = timezone.localdate()
    if on_date is None:
        return today
    if isinstance(on_date, datetime.datetime) or not isinstance(on_date, datetime.date):
        raise InvalidInput(_("Give the date as a calendar day."), field="on_date")
    if on_date > today:
        raise InvalidInput(_("The date cannot be in the future."), field="on_date")
    return on_date


def require(decision) -> None:
    """Refuses an actor who may not act (PermissionDenied) or a project whose state promises no more changes
    (RecordLocked: `flows.project_lock`)."""
    refuse(decision)


def pairs(changes: dict) -> dict:
    """Audit changes as [old, new] pairs, as the history component shows them."""
    return {k: v if isinstance(v, list) and len(v) == 2 else [None, v] for k, v in changes.items()}


def text_of(value, limit: int | None = None) -> str:
    text = (value or "").strip()
    return text[:limit] if limit else text


def author(actor):
    """The user to record as author (None for a system act)."""
    return actor if getattr(actor, "pk", None) else None
