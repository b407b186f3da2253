"""What the network's services share: the permission check, dates and texts cleaned with a Vietnamese message, and
a transition of a lifecycle saved under the version check."""

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.text import normalize_text


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
