"""What every service of the events module shares: the refusals, the dates, the units of a date."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.locks import refuse
from khuyencong.core.permissions import Decision
from khuyencong.geo.models import REFORM_DATE, AdminUnit, Level, Scheme


def require(decision: Decision) -> None:
    """Refuses an actor who may not act (PermissionDenied), or an event whose state promises no more changes
    (RecordLocked, `flows.event_lock`)."""
    refuse(decision)


def require_state(decision: Decision, *, field: str | None = None) -> None:
    """Refuses an act the event's state does not allow yet: the input is wrong, not the actor (a lock is refused as
    RecordLocked)."""
    refuse(decision, default=InvalidInput, field=field)


def today() -> datetime.date:
    return timezone.localdate()


def dmy(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")



def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def unit_for_date(unit: AdminUnit, on_date: datetime.date, *, field: str = "place") -> AdminUnit:
    """A place as it was on the date: a legacy unit before 1/7/2025, a current unit from then on."""
    expected = Scheme.LEGACY if on_date < REFORM_DATE else Scheme.CURRENT
    if unit.scheme != expected:
        if expected == Scheme.LEGACY:
            message = _("On %(date)s the units before the 1/7/2025 reform were in force: choose “%(name)s” as it was "
                        "then (a former province, district or commune).")
        else:
            message = _("“%(name)s” no longer exists on %(date)s: choose one of today's units.")
        raise InvalidInput(message % {"date": dmy(on_date), "name": unit.name}, field=field)
    return unit


def current_province_of(unit: AdminUnit) -> AdminUnit | None:
    """Today's province for a unit of either scheme (a legacy province through its succession)."""
    province = unit if unit.level == Level.PROVINCE else unit.province
    if province is None:
        return None
    if province.scheme == Scheme.CURRENT:
        return province
    succession = province.successors.select_related("current").order_by("partial", "id").first()
    return succession.current if succession else None
