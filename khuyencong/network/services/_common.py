"""What the network's services share: the permission check, dates and texts cleaned with a Vietnamese message, and
a transition of a lifecycle saved under the version check."""

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.flows import Flow, Transition
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import versioned_update


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _today() -> datetime.date:
    return timezone.localdate()


def _day(value, field: str, *, required: bool = True, not_future: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(_("Give the date."), field=field)
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InvalidInput(_("Give the date as a calendar day."), field=field)
    if not_future and value > _today():
        raise InvalidInput(_("The date cannot be in the future."), field=field)
    return value


def _text(value, field: str, *, required: bool = False, max_length: int = 300, message: str = "") -> str:
    text = normalize_text(value)
    if required and not text:
        raise InvalidInput(message or _("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput(_("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))



def apply_versioned(flow: Flow, obj, row: Transition, *, actor, version: int, what: str, fields: dict | None = None,
                    inputs: dict | None = None, on_date: datetime.date | None = None) -> dict:
    """Applies a transition of `flow` (its effects, the new state) and saves the new state with `fields` only while
    the stored row is still the version the user read and in the state they saw; otherwise nothing is kept (the
    caller's transaction rolls the effects back) and the object in memory keeps its state. Returns the changes for
    the audit trail."""
    source = flow.state(obj)
    try:
        changes = flow.apply(obj, row, actor=actor, inputs=inputs, on_date=on_date)
        versioned_update(obj, {**(fields or {}), flow.state_attr: flow.state(obj)}, version, what=what,
                         **{flow.state_attr: source})
    except Exception:
        setattr(obj, flow.state_attr, source)
        raise
    return changes
