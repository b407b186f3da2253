"""Reads of the administrative units that pages and the API share.

Units are public reference data: every signed-in user and token reads all of them, so nothing here is scoped.
"""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput, NotFound

from .models import AdminUnit, Level, Scheme, Succession
from .names import search_terms

# The level of a unit's parent, per scheme and level: a current commune hangs under its province, a legacy
# commune under its district.
PARENT_LEVEL = {
    (Scheme.CURRENT, Level.COMMUNE): Level.PROVINCE,
    (Scheme.LEGACY, Level.DISTRICT): Level.PROVINCE,
    (Scheme.LEGACY, Level.COMMUNE): Level.DISTRICT,
}
CHILD_LEVEL = {(scheme, parent): child for (scheme, child), parent in PARENT_LEVEL.items()}


def check_scheme(scheme: str) -> str:
    if scheme not in Scheme.values:
        raise InvalidInput(
            _('Unknown scheme "%(value)s": use "current" or "legacy".') % {"value": scheme}, field="scheme"
        )
    return scheme


def check_level(scheme: str, level: str | None) -> str | None:
    if not level:
        return None
    if level not in Level.values:
        raise InvalidInput(
            _('Unknown level "%(value)s": use "province", "district" or "commune".') % {"value": level}, field="level"
        )
    if scheme == Scheme.CURRENT and level == Level.DISTRICT:
        raise InvalidInput(_("The current scheme has no districts (abolished on 1/7/2025)."), field="level")
    return level


def unit_list(
    *,
    scheme: str,
    level: str | None = None,
    parent_code: int | None = None,
    province_code: int | None = None,
    q: str | None = None,
) -> QuerySet[AdminUnit]:
    """Units of one scheme, ordered by code (best name matches first when searching).

    `parent_code` is the code of the direct parent in the same scheme: a province for current communes and for
    legacy districts, a district for legacy communes. Without `level`, it means the province's (current) or the
    district's (legacy) children: communes of a current province, districts of a legacy province.
    `province_code` keeps the units of one province at any level below it (and the province itself if no level
    is given). `q` is accent-insensitive ("ha noi", "HÀ NỘI", NFD input) and also matches a code ("80").
    """
    check_scheme(scheme)
    level = check_level(scheme, level)
    qs = AdminUnit.objects.filter(scheme=scheme).select_related("parent", "province")
    if level:
        qs = qs.filter(level=level)
    if parent_code is not None:
        child_level = level or (Level.COMMUNE if scheme == Scheme.CURRENT else Level.DISTRICT)
        parent_level = PARENT_LEVEL.get((scheme, child_level))
        if parent_level is None:
            return qs.none()
        qs = qs.filter(level=child_level, parent__level=parent_level, parent__code=parent_code)
    if province_code is not None:
        qs = qs.filter(province__level=Level.PROVINCE, province__code=province_code)
    terms = search_terms(q)
    if not terms:
        return qs.order_by("code", "level")
    found = Q()
    exact, prefix = Q(), Q()
    for term in terms:
        found |= Q(name_folded__contains=term)
        exact |= Q(name_folded=term)
        prefix |= Q(name_folded__startswith=term)
    if terms[0].isdecimal() and len(terms[0]) <= 6:
        found |= Q(code=int(terms[0]))
        exact |= Q(code=int(terms[0]))
    rank = Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2), output_field=IntegerField())
    return qs.filter(found).annotate(rank=rank).order_by("rank", "code", "level")


def unit_get(*, pk: int) -> AdminUnit:
    """One unit with its parent, its periods, its successors (legacy) and predecessors (current)."""
    unit = (
        AdminUnit.objects.select_related("parent", "province")
        .prefetch_related(
            "periods",
            Prefetch(
                "successors",
                queryset=Succession.objects.select_related("current__parent").order_by("current__code"),
            ),
            Prefetch(
                "predecessors",
                queryset=Succession.objects.select_related("legacy__parent").order_by("legacy__level", "legacy__code"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if unit is None:
        raise NotFound(_("Administrative unit not found."))
    return unit


def child_level(unit: AdminUnit) -> str | None:
    """The level of the unit's direct children, or None for a commune."""
    return CHILD_LEVEL.get((unit.scheme, unit.level))


def children_count(unit: AdminUnit) -> int:
    return unit.children.count() if child_level(unit) else 0


def province_choices(*, scheme: str) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(scheme=check_scheme(scheme), level=Level.PROVINCE).order_by("name_folded")



def periods_by_unit(unit_ids=None) -> dict[int, list]:
    """The dated periods (names, types) of units, by unit id: every unit's when `unit_ids` is None (a handful of
    rows: only units renamed or reclassified have any)."""
    from .models import AdminUnitPeriod

    qs = AdminUnitPeriod.objects.order_by("unit", "valid_from")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    found: dict[int, list] = {}
    for period in qs:
        found.setdefault(period.unit_id, []).append(period)
    return found


def attach_periods(units, by_unit: dict[int, list]) -> None:
    """Gives each unit its periods from `by_unit` as a prefetch would: `kind_on()`/`name_on()` then need no query."""
    from .models import AdminUnitPeriod

    for unit in units:
        if unit is None or "periods" in getattr(unit, "_prefetched_objects_cache", {}):
            continue
        qs = AdminUnitPeriod.objects.filter(unit_id=unit.pk).order_by("unit", "valid_from")
        qs._result_cache = by_unit.get(unit.pk, [])
        qs._prefetch_done = True
        unit._prefetched_objects_cache = {**getattr(unit, "_prefetched_objects_cache", {}), "periods": qs}


def prefetch_periods(*units: AdminUnit | None) -> None:
    """Loads the periods of several units in one query (where `prefetch_related("…__periods")` takes one per
    level)."""
    units = [u for u in units if u is not None]
    if units:
        attach_periods(units, periods_by_unit({u.pk for u in units}))


# --- today's units under the former provinces (before 1/7/2025) ------------------------------------------------------


def former_province_of_communes(commune_ids) -> dict[int, int]:
    """Each commune of today → the former province of the former communes it was formed from; when those lay in two
    former provinces, the first of them by code."""
    if not commune_ids:
        return {}
    pairs = (Succession.objects.filter(current_id__in=set(commune_ids), legacy__level=Level.COMMUNE)
             .order_by("current_id", "-legacy__province__code").values_list("current_id", "legacy__province_id"))
    return dict(pairs)  # the last pair of a commune wins: the lowest code


def former_province_of_provinces(province_ids) -> dict[int, int]:
    """Each province of today → the former province it continues: the one of the same name, else the first by code
    (for a record known only by its province)."""
    best: dict[int, tuple] = {}
    if not province_ids:
        return {}
    for current_id, legacy_id, legacy_name, code, name in Succession.objects.filter(
            current_id__in=set(province_ids), legacy__level=Level.PROVINCE).values_list(
            "current_id", "legacy_id", "legacy__short_name", "legacy__code", "current__short_name"):
        rank = (legacy_name != name, code)
        if current_id not in best or rank < best[current_id][0]:
            best[current_id] = (rank, legacy_id)
    return {current_id: legacy_id for current_id, (_rank, legacy_id) in best.items()}
