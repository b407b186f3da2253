"""Resolution of an address typed in an old spreadsheet (tỉnh / huyện / xã before 1/7/2025) to today's units.

The names are looked up in the legacy scheme first, because that is what spreadsheets from 2012–2025 hold:
"Tây Ninh" is read as the old province (code 72), which became part of today's Tây Ninh (code 80) with Long An.
When a district or commune is not found in the province typed, the search widens to the old provinces that
merged into the same current province ("Tây Ninh / Huyện Bến Lức" finds Bến Lức in old Long An), and a commune
that is not a legacy name is tried as a current commune of that province ("Long An / Phường Long An").

The answer never guesses: a legacy commune that was divided among several current communes comes back as
`split` with all of them (and their `partial` flags), a name shared by several units as `ambiguous` with the
candidates, and a unit missing from the official conversion table as `unmapped` (with same-named current units
offered as suggestions, not as the answer).

Each call makes a handful of queries, each bounded by one province (at most a few hundred rows): the provinces
with their successions, the districts of the province, the communes of the district (or of the province), and
the successions of the unit found. Nothing is cached, so a reload of the units is seen at once.
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import AdminUnit, Level, Scheme, Succession
from .names import NameQuery, compact, parse_name, unit_keys

# Names of old provinces that spreadsheets use but the statistics office's list does not (compact folded key →
# legacy province code). Thừa Thiên Huế became the centrally-run city of Huế on 1/1/2025.
PROVINCE_ALIASES = {
    "hcm": 79,
    "tphcm": 79,
    "hochiminhcity": 79,
    "saigon": 79,
    "hn": 1,
    "thuathienhue": 46,
    "brvt": 77,
}

MAX_CANDIDATES = 20

# Within `resolver_cache()`, unit lists are loaded once and reused: an import resolves thousands of rows against
# the same few provinces. Outside it nothing is cached, so a reload of the units is seen at once.
_CACHE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("kc_resolver_cache", default=None)


@contextlib.contextmanager
def resolver_cache():
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def _cached(key: tuple, load: Callable):
    cache = _CACHE.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]


def _ids(units) -> tuple[int, ...]:
    return tuple(sorted(u.pk for u in units))


class ResolutionStatus(models.TextChoices):
    EXACT = "exact", gettext_lazy("Found")
    SPLIT = "split", gettext_lazy("Divided")
    UNMAPPED = "unmapped", gettext_lazy("No successor")
    NOT_FOUND = "not_found", gettext_lazy("Not found")
    AMBIGUOUS = "ambiguous", gettext_lazy("Ambiguous")


@dataclass(frozen=True)
class CurrentUnit:
    """A current unit that received the legacy unit's territory, whole or in part."""

    unit: AdminUnit
    partial: bool = False


@dataclass
class Resolution:
    status: str
    message: str
    level: str | None  # the level the status speaks about: the deepest part typed
    part: str | None = None  # for not_found / ambiguous: which input ("province", "district", "commune")
    scheme: str = Scheme.LEGACY  # the scheme the deepest name was found in
    legacy_province: AdminUnit | None = None
    legacy_district: AdminUnit | None = None
    legacy_commune: AdminUnit | None = None
    current_province: AdminUnit | None = None
    current: list[CurrentUnit] = field(default_factory=list)
    candidates: list[AdminUnit] = field(default_factory=list)  # ambiguous: the matches; otherwise suggestions

    @property
    def status_label(self) -> str:
        return str(ResolutionStatus(self.status).label)

    @property
    def resolved(self) -> bool:
        return self.status == ResolutionStatus.EXACT


def _keys_of(unit: AdminUnit) -> tuple[str, str, str]:
    cached = getattr(unit, "_name_keys", None)
    if cached is None:
        cached = unit_keys(unit.name)
        unit._name_keys = cached
    return cached


def match_units(units: Iterable[AdminUnit], query: NameQuery) -> list[AdminUnit]:
    """Units whose name is the name typed: same folded words, else the same letters without spaces. Several
    matches are narrowed by diacritics ("Hoằng Đồng" vs "Hoằng Đông") and then by the typed type ("TT", "Xã")."""
    if query.empty:
        return []
    keys = set(query.keys)
    compact_keys = {compact(k) for k in keys}
    found, loose = [], []
    for unit in units:
        stripped, whole, _accent = _keys_of(unit)
        if stripped in keys or whole in keys:
            found.append(unit)
        elif compact(stripped) in compact_keys or compact(whole) in compact_keys:
            loose.append(unit)
    found = found or loose
    if len(found) > 1 and query.accent_key:
        found = [u for u in found if _keys_of(u)[2] == query.accent_key] or found
    if len(found) > 1 and query.kinds:
        found = [u for u in found if u.kind in query.kinds] or found
    return found


def _suggest(units: Iterable[AdminUnit], query: NameQuery) -> list[AdminUnit]:
    """Units whose name contains what was typed: offered when nothing matched exactly."""
    wanted = compact(query.key)
    if len(wanted) < 2:
        return []
    return [u for u in units if wanted in compact(_keys_of(u)[0])][:MAX_CANDIDATES]


def _address(*units: AdminUnit | None) -> str:
    return ", ".join(u.name for u in units if u is not None)


def _not_found(part: str, query: NameQuery, where: str, suggestions: list[AdminUnit], **known) -> Resolution:
    if part == "province":
        message = _('No province or city named "%(name)s" was found.') % {"name": query.text}
    elif part == "district":
        message = _('No district, town or provincial city named "%(name)s" was found in %(where)s.') % {
            "name": query.text,
            "where": where,
        }
    else:
        message = _('No commune, ward or township named "%(name)s" was found in %(where)s.') % {
            "name": query.text,
            "where": where,
        }
    if suggestions:
        message += " " + _("Similar names: %(names)s.") % {"names": ", ".join(u.name for u in suggestions[:5])}
    return Resolution(
        status=ResolutionStatus.NOT_FOUND, message=message, level=part, part=part, candidates=suggestions, **known
    )


def _ambiguous(part: str, query: NameQuery, where: str, matches: list[AdminUnit], **known) -> Resolution:
    kinds = {u.kind for u in matches}
    if part == "commune" and len({u.parent_id for u in matches}) > 1:
        hint = _("add the district to tell them apart.")
    elif part == "commune" and len(kinds) > 1:
        hint = _("add the type (xã, phường, thị trấn) to tell them apart.")
    elif part == "district" and len(kinds) > 1:
        hint = _("add the type (huyện, quận, thị xã, thành phố) to tell them apart.")
    else:
        hint = _("choose one of them.")
    message = _('"%(name)s" matches %(count)d units in %(where)s: %(names)s; %(hint)s') % {
        "name": query.text,
        "count": len(matches),
        "where": where,
        "names": "; ".join(_address(u, u.parent if part == "commune" else None) for u in matches[:5]),
        "hint": hint,
    }
    return Resolution(
        status=ResolutionStatus.AMBIGUOUS,
        message=message,
        level=part,
        part=part,
        candidates=matches[:MAX_CANDIDATES],
        **known,
    )


def _successions(unit: AdminUnit) -> list[CurrentUnit]:
    """The current units that succeeded a legacy unit. Within `resolver_cache()` the successions of every unit of
    the same level in the same former province are read at once (an import names a few hundred former communes
    of a province: one query instead of one each)."""
    if _CACHE.get() is None or unit.province_id is None:
        return _successions_by_legacy(Succession.objects.filter(legacy=unit)).get(unit.pk, [])
    by_legacy = _cached(("successions", unit.province_id, unit.level), lambda: _successions_by_legacy(
        Succession.objects.filter(legacy__province_id=unit.province_id, legacy__level=unit.level)))
    return by_legacy.get(unit.pk, [])


def _successions_by_legacy(rows) -> dict[int, list[CurrentUnit]]:
    found: dict[int, list[CurrentUnit]] = {}
    for s in rows.select_related("current__parent", "current__province").order_by("legacy_id", "current__code"):
        found.setdefault(s.legacy_id, []).append(CurrentUnit(unit=s.current, partial=s.partial))
    return found


def _same_name_current(unit: AdminUnit, provinces: list[AdminUnit]) -> list[AdminUnit]:
    """Current units of the province that bear the unmapped legacy unit's name: suggestions only."""
    if not provinces:
        return []
    key, _whole, accent = _keys_of(unit)
    query = NameQuery(text=unit.name, keys=(key,), accent_key=accent, kinds=frozenset())
    scope = AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.COMMUNE, province__in=provinces)
    return match_units(scope.select_related("parent", "province"), query)[:MAX_CANDIDATES]


def _province_of(current: list[CurrentUnit]) -> AdminUnit | None:
    provinces = {c.unit.province_id: c.unit.province for c in current}
    return next(iter(provinces.values())) if len(provinces) == 1 else None


class _Provinces:
    """Every province of both schemes and the legacy → current province succession: two small queries."""

    def __init__(self):
        units = list(AdminUnit.objects.filter(level=Level.PROVINCE).order_by("code"))
        self.by_id = {u.pk: u for u in units}
        self.legacy = [u for u in units if u.scheme == Scheme.LEGACY]
        self.current = [u for u in units if u.scheme == Scheme.CURRENT]
        self.successors: dict[int, list[tuple[int, bool]]] = {}
        rows = Succession.objects.filter(legacy__level=Level.PROVINCE, legacy__scheme=Scheme.LEGACY)
        for legacy_id, current_id, partial in rows.values_list("legacy_id", "current_id", "partial"):
            self.successors.setdefault(legacy_id, []).append((current_id, partial))

    def current_of(self, legacy: AdminUnit) -> list[CurrentUnit]:
        return [CurrentUnit(self.by_id[cid], partial) for cid, partial in self.successors.get(legacy.pk, [])]

    def legacy_of(self, current_ids: set[int]) -> list[AdminUnit]:
        """The old provinces whose territory went to these current provinces."""
        return [u for u in self.legacy if any(cid in current_ids for cid, _p in self.successors.get(u.pk, []))]

    def alias(self, query: NameQuery) -> list[AdminUnit]:
        codes = {PROVINCE_ALIASES[compact(k)] for k in query.keys if compact(k) in PROVINCE_ALIASES}
        return [u for u in self.legacy if u.code in codes]


def resolve_legacy_address(province: str, district: str = "", commune: str = "") -> "Resolution":
    """Finds the legacy units named in an old address and the current unit(s) that succeeded them.

    `province` may also be a current province's name; legacy names are tried first (see the module docstring).
    """
    pq = parse_name(province, Level.PROVINCE)
    dq = parse_name(district, Level.DISTRICT)
    cq = parse_name(commune, Level.COMMUNE)
    if pq.empty:
        return Resolution(
            status=ResolutionStatus.NOT_FOUND,
            message=_("Enter the province or city."),
            level=Level.PROVINCE,
            part="province",
        )

    provinces = _cached(("provinces",), _Provinces)
    legacy_province = None
    current_provinces: list[AdminUnit] = []
    matches = match_units(provinces.legacy, pq) or provinces.alias(pq)
    if len(matches) > 1:
        return _ambiguous("province", pq, _("the list of provinces"), matches)
    if matches:
        legacy_province = matches[0]
        province_successors = provinces.current_of(legacy_province)
        current_provinces = [c.unit for c in province_successors]
        primary = [legacy_province]
    else:
        matches = match_units(provinces.current, pq)
        if len(matches) != 1:
            if matches:
                return _ambiguous("province", pq, _("the list of provinces"), matches)
            return _not_found("province", pq, "", _suggest(provinces.legacy + provinces.current, pq))
        current_provinces = matches
        province_successors = [CurrentUnit(matches[0])]
        primary = provinces.legacy_of({matches[0].pk})
    # Old provinces that merged into the same current province: searched when the one typed has no such name.
    siblings = [u for u in provinces.legacy_of({p.pk for p in current_provinces}) if u not in primary]
    current_province = current_provinces[0] if len(current_provinces) == 1 else None
    where = legacy_province.name if legacy_province else current_provinces[0].name

    if dq.empty and cq.empty:
        return _province_result(legacy_province, province_successors, current_province)

    legacy_district = None
    if not dq.empty:
        scope = AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.DISTRICT).select_related("parent")
        districts = _cached(("districts", _ids(primary)), lambda: list(scope.filter(parent__in=primary)))
        found = match_units(districts, dq)
        if not found and siblings:
            more = _cached(("districts", _ids(siblings)), lambda: list(scope.filter(parent__in=siblings)))
            found, districts = match_units(more, dq), districts + more
        known = {"legacy_province": legacy_province, "current_province": current_province}
        if not found:
            return _not_found("district", dq, where, _suggest(districts, dq), **known)
        if len(found) > 1:
            return _ambiguous("district", dq, where, found, **known)
        legacy_district = found[0]
        legacy_province = legacy_district.parent
        if cq.empty:
            return _district_result(legacy_province, legacy_district, provinces)

    known = {"legacy_province": legacy_province, "legacy_district": legacy_district}
    scope = AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.COMMUNE).select_related("parent", "province")
    if legacy_district is not None:
        communes = _cached(("communes_of", legacy_district.pk), lambda: list(scope.filter(parent=legacy_district)))
        found = match_units(communes, cq)
        where = _address(legacy_district, legacy_province)
    else:
        communes = _cached(("communes", _ids(primary)), lambda: list(scope.filter(province__in=primary)))
        found = match_units(communes, cq)
        if not found and siblings:
            more = _cached(("communes", _ids(siblings)), lambda: list(scope.filter(province__in=siblings)))
            found, communes = match_units(more, cq), communes + more
    # A typed type that fits none of the legacy matches ("Phường Long An" where the old unit was "Xã Long An")
    # may mean the spreadsheet already uses today's name: a current commune of that very type wins.
    kind_mismatch = bool(found) and bool(cq.kinds) and all(u.kind not in cq.kinds for u in found)
    if not found or kind_mismatch:
        current_unit = _current_commune(cq, current_provinces, strict_kind=kind_mismatch)
        if current_unit is not None:
            return Resolution(
                status=ResolutionStatus.EXACT,
                message=_("%(unit)s is a current unit (since 1/7/2025) of %(province)s.")
                % {"unit": current_unit.name, "province": current_unit.province.name},
                level=Level.COMMUNE,
                scheme=Scheme.CURRENT,
                current_province=current_unit.province,
                current=[CurrentUnit(current_unit)],
                **known,
            )
    if len(found) > 1:
        return _ambiguous("commune", cq, where, found, current_province=current_province, **known)
    if found:
        legacy_commune = found[0]
        return _commune_result(
            legacy_commune.province, legacy_commune.parent, legacy_commune, provinces, current_province
        )
    return _not_found("commune", cq, where, _suggest(communes, cq), current_province=current_province, **known)


def _current_commune(query: NameQuery, provinces: list[AdminUnit], *, strict_kind: bool) -> AdminUnit | None:
    """The one current commune of these provinces with the name typed (and its type, if `strict_kind`)."""
    if not provinces:
        return None
    scope = AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.COMMUNE, province__in=provinces)
    units = _cached(("current_communes", _ids(provinces)), lambda: list(scope.select_related("parent", "province")))
    found = match_units(units, query)
    if strict_kind:
        found = [u for u in found if u.kind in query.kinds]
    return found[0] if len(found) == 1 else None


def _province_result(
    legacy_province: AdminUnit | None, successors: list[CurrentUnit], current_province: AdminUnit | None
) -> Resolution:
    if legacy_province is None:  # a current province's name
        unit = successors[0].unit
        return Resolution(
            status=ResolutionStatus.EXACT,
            message=_("%(unit)s is a current province or city (since 1/7/2025).") % {"unit": unit.name},
            level=Level.PROVINCE,
            scheme=Scheme.CURRENT,
            current_province=unit,
            current=successors,
        )
    known = {"level": Level.PROVINCE, "legacy_province": legacy_province, "current": successors}
    if not successors:
        return Resolution(
            status=ResolutionStatus.UNMAPPED,
            message=_("%(legacy)s has no successor in the official conversion table.") % {"legacy": legacy_province},
            **known,
        )
    if len(successors) > 1:
        return Resolution(
            status=ResolutionStatus.SPLIT,
            message=_("%(legacy)s was divided among %(count)d provinces; choose one.")
            % {"legacy": legacy_province.name, "count": len(successors)},
            **known,
        )
    return Resolution(
        status=ResolutionStatus.EXACT,
        message=_("%(legacy)s (before 1/7/2025) is now part of %(current)s.")
        % {"legacy": legacy_province.name, "current": successors[0].unit.name},
        current_province=current_province,
        **known,
    )


def _district_result(legacy_province: AdminUnit, legacy_district: AdminUnit, provinces: _Provinces) -> Resolution:
    successors = _successions(legacy_district)
    known = {
        "level": Level.DISTRICT,
        "legacy_province": legacy_province,
        "legacy_district": legacy_district,
        "current": successors,
    }
    label = _address(legacy_district, legacy_province)
    if not successors:
        current_provinces = [c.unit for c in provinces.current_of(legacy_province)]
        suggestions = _same_name_current(legacy_district, current_provinces)
        return _unmapped(label, current_provinces, suggestions, known)
    current_province = _province_of(successors)
    if current_province is None:
        count = len({c.unit.province_id for c in successors})
        return Resolution(
            status=ResolutionStatus.SPLIT,
            message=_("%(legacy)s was divided among %(count)d provinces; choose one.")
            % {"legacy": label, "count": count},
            **known,
        )
    message = ngettext(
        "%(legacy)s is now part of %(province)s; its territory now lies in %(count)d commune or ward: %(names)s.",
        "%(legacy)s is now part of %(province)s; its territory now lies in %(count)d communes and wards: %(names)s.",
        len(successors),
    ) % {
        "legacy": label,
        "province": current_province.name,
        "count": len(successors),
        "names": ", ".join(c.unit.name for c in successors),
    }
    return Resolution(status=ResolutionStatus.EXACT, message=message, current_province=current_province, **known)


def _commune_result(
    legacy_province: AdminUnit,
    legacy_district: AdminUnit,
    legacy_commune: AdminUnit,
    provinces: _Provinces,
    current_province: AdminUnit | None,
) -> Resolution:
    successors = _successions(legacy_commune)
    known = {
        "level": Level.COMMUNE,
        "legacy_province": legacy_province,
        "legacy_district": legacy_district,
        "legacy_commune": legacy_commune,
        "current": successors,
    }
    label = _address(legacy_commune, legacy_district, legacy_province)
    if not successors:
        current_provinces = [c.unit for c in provinces.current_of(legacy_province)]
        suggestions = _same_name_current(legacy_commune, current_provinces)
        return _unmapped(label, current_provinces, suggestions, known)
    current_province = _province_of(successors)
    if len(successors) > 1:
        message = ngettext(
            "%(legacy)s was divided among %(count)d new commune or ward; choose one.",
            "%(legacy)s was divided among %(count)d new communes and wards; choose one.",
            len(successors),
        ) % {"legacy": label, "count": len(successors)}
        return Resolution(status=ResolutionStatus.SPLIT, message=message, current_province=current_province, **known)
    only = successors[0]
    values = {"legacy": label, "current": _address(only.unit, only.unit.province)}
    if only.partial:
        message = _("Part of %(legacy)s is now in %(current)s (the conversion table lists no other part).") % values
    else:
        message = _("%(legacy)s is now part of %(current)s.") % values
    return Resolution(status=ResolutionStatus.EXACT, message=message, current_province=current_province, **known)


def _unmapped(label: str, current_provinces: list[AdminUnit], suggestions: list[AdminUnit], known: dict) -> Resolution:
    message = _("%(legacy)s is not in the official conversion table; choose its current unit by hand.") % {
        "legacy": label
    }
    if suggestions:
        message += " " + _("Units with the same name (not confirmed): %(names)s.") % {
            "names": ", ".join(u.name for u in suggestions)
        }
    return Resolution(
        status=ResolutionStatus.UNMAPPED,
        message=message,
        current_province=current_provinces[0] if len(current_provinces) == 1 else None,
        candidates=suggestions,
        **known,
    )
