"""A place named in a text, read at a date: the unit of the scheme in force that day and today's unit(s).

Built on `resolve.resolve_legacy_address` (the reading of old spreadsheets) and `names.parse_name`: before 1/7/2025
a name is the legacy unit of that day ("Bình Dương" in 2018 is the old province 74, today part of TP Hồ Chí Minh);
from that date on it is a current unit. Nothing is guessed: a unit divided among several is returned with all of them.
"""

import datetime
from dataclasses import dataclass, field

from .models import REFORM_DATE, AdminUnit, Level, Scheme
from .names import parse_name
from .resolve import ResolutionStatus, match_units, resolve_legacy_address


@dataclass
class PlaceReading:
    text: str
    level: str
    status: str  # a ResolutionStatus value
    then: AdminUnit | None = None  # the unit of the scheme in force on the date
    now: list[AdminUnit] = field(default_factory=list)  # today's unit(s)

    @property
    def resolved(self) -> bool:
        return self.then is not None and self.status in (ResolutionStatus.EXACT, ResolutionStatus.SPLIT)


def read_place(text: str, on_date: datetime.date | None, *, level: str = Level.PROVINCE, province: str = "",
               district: str = "") -> PlaceReading:
    """`text` is the name of a province, or of a district (`province` given) or commune (`province` and, before
    the reform, `district` given), as written: "TP. Hải Phòng", "tinh Long An", "H. Sìn Hồ", "P. IV"."""
    on_date = on_date or datetime.date.today()
    if on_date >= REFORM_DATE:
        return _read_current(text, level, province)
    if level == Level.PROVINCE:
        found = resolve_legacy_address(text)
        then = found.legacy_province
    elif level == Level.DISTRICT:
        found = resolve_legacy_address(province, text)
        then = found.legacy_district
    else:
        found = resolve_legacy_address(province, district, text)
        then = found.legacy_commune
    if found.scheme == Scheme.CURRENT and found.current:  # a current name typed for an old date: say what it is
        then = found.current[0].unit
    return PlaceReading(text=text, level=level, status=found.status, then=then, now=[c.unit for c in found.current])


def _read_current(text: str, level: str, province: str) -> PlaceReading:
    scope = AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=level)
    if level == Level.COMMUNE:
        parent = match_units(AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.PROVINCE),
                                 parse_name(province, Level.PROVINCE))
        if len(parent) != 1:
            return PlaceReading(text=text, level=level, status=ResolutionStatus.NOT_FOUND)
        scope = scope.filter(province=parent[0])
    if level == Level.DISTRICT:  # no districts since 1/7/2025
        return PlaceReading(text=text, level=level, status=ResolutionStatus.NOT_FOUND)
    found = match_units(scope, parse_name(text, level))
    if len(found) != 1:
        status = ResolutionStatus.AMBIGUOUS if found else ResolutionStatus.NOT_FOUND
        return PlaceReading(text=text, level=level, status=status)
    return PlaceReading(text=text, level=level, status=ResolutionStatus.EXACT, then=found[0], now=[found[0]])
