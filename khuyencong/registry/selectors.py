"""Reads of the registry shared by pages, exports and the API: scoped, searchable without diacritics, N+1-free."""

import contextlib
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_events_for
from khuyencong.core.text import fold
from khuyencong.geo.selectors import prefetch_periods

from .models import Establishment, EstablishmentMerge, SupportRecord
from .parsing import parse_tax_code


@dataclass
class EstablishmentFilters:
    q: str = ""
    province: int | None = None  # current province code
    commune: int | None = None  # current commune code
    entity_type: str = ""
    sector: str = ""
    craft_village: int | None = None
    eligible: bool | None = None
    supported: str = ""  # "", "yes", "no", "national", "local"
    ocop_stars: int | None = None
    status: str = ""
    include_merged: bool = False


# At most this many matches are looked up through the trigram index and passed on as a list of ids; a search
# matching more is left to the planner. Why: PostgreSQL multiplies the words' frequencies as if they were
# independent, so it may expect 1,600 matches for 'nguyễn thị lan' (305) and walk the name index to find them:
# 237 ms instead of 6 ms through the trigram index (measured on 200,000 establishments). The list of ids makes the
# count and every page an index lookup of those rows.
FEW_MATCHES = 2000


def search_condition(q: str) -> Q:
    """Every word of the query must appear in the folded search text; a tax code matches exactly too."""
    condition = Q()
    for word in fold(q).split():
        condition &= Q(search_text__contains=word)
    with contextlib.suppress(ValueError):
        condition |= Q(tax_code__startswith=parse_tax_code(q))
    return condition


def _search(qs: QuerySet, q: str) -> QuerySet:
    """Rows of qs matching the search: the matches themselves when they are few (see FEW_MATCHES)."""
    matching = qs.filter(search_condition(q))
    found = list(matching.order_by().values_list("pk", flat=True)[:FEW_MATCHES + 1])
    return qs.filter(pk__in=found) if len(found) <= FEW_MATCHES else matching


def establishment_list(*, user, filters: EstablishmentFilters | None = None) -> QuerySet[Establishment]:
    f = filters or EstablishmentFilters()
    qs = user_scope(user).filter(Establishment.objects.all(), province="province_id", commune="commune_id")
    if not f.include_merged:
        qs = qs.filter(merged_into__isnull=True)
    if f.province is not None:
        qs = qs.filter(province__code=f.province)
    if f.commune is not None:
        qs = qs.filter(commune__code=f.commune)
    if f.entity_type:
        qs = qs.filter(entity_type=f.entity_type)
    if f.sector:
        qs = qs.filter(sectors__code=f.sector)
    if f.craft_village is not None:
        qs = qs.filter(craft_village_id=f.craft_village)
    if f.eligible is not None:
        qs = qs.filter(eligible=f.eligible)
    if f.ocop_stars is not None:
        qs = qs.filter(ocop_stars__gte=f.ocop_stars)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.supported:
        supports = SupportRecord.objects.filter(establishment=OuterRef("pk"))
        if f.supported in ("national", "local"):
            supports = supports.filter(fund=f.supported)
        qs = qs.filter(~Exists(supports) if f.supported == "no" else Exists(supports))
    if f.q.strip():
        qs = _search(qs, f.q)
    return qs.select_related("commune", "province", "craft_village").order_by("name_folded", "id")


def establishment_get(*, user, pk: int) -> Establishment | None:
    qs = user_scope(user).filter(Establishment.objects.all(), province="province_id", commune="commune_id")
    establishment = (
        qs.select_related("commune__province", "province", "craft_village", "legacy_unit__parent__parent",
                          "merged_into")
        .prefetch_related("sectors", "artisans",
                          Prefetch("supports", queryset=SupportRecord.objects.order_by("-year", "-id")))
        .filter(pk=pk)
        .first()
    )
    if establishment is not None:  # the commune's and province's dated names and types, in one query
        prefetch_periods(establishment.commune, establishment.commune.province)
    return establishment


# Where the modules above the registry add their items to an establishment's timeline: functions
# `source(*, establishment) -> list[dict]` (year, kind, title, fund, amount, content, url[, status]). The web shell
# plugs the projects' and events' in (web/apps.py), so the registry never imports the modules built on it.
TIMELINE_SOURCES: list = []


def register_timeline_source(source) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


def establishment_timeline(*, establishment: Establishment) -> list[dict]:
    """Every KC support, training, study-tour visit and award the establishment received, newest first.

    Past supports come from the registry's own records; approved projects that name it as a beneficiary and the
    trainings, study tours and fairs it took part in come from the projects and events modules."""
    items = [
        {"year": s.year, "kind": "support", "title": s.description, "fund": s.get_fund_display(), "amount": s.amount,
         "content": s.content_code, "url": ""}
        for s in establishment.supports.all()
    ]
    for source in TIMELINE_SOURCES:
        items += source(establishment=establishment)
    return sorted(items, key=lambda item: item["year"], reverse=True)


def establishment_history(*, establishment: Establishment):
    return audit_events_for(establishment)[:100]


def duplicate_candidates(*, user, limit: int = 200) -> list[dict]:
    """Likely duplicates for a person to merge: same folded name in the same commune, or the same phone."""
    base = establishment_list(user=user).order_by()
    pairs: list[dict] = []
    same_name = (
        base.values("commune_id", "name_folded").annotate(n=Count("id")).filter(n__gt=1).order_by("name_folded")[:limit]
    )
    same_phone = base.exclude(phone="").values("phone").annotate(n=Count("id")).filter(n__gt=1).order_by("phone")[
        :limit]
    name_keys = [(row["commune_id"], row["name_folded"]) for row in same_name]
    phones = [row["phone"] for row in same_phone]
    condition = Q(pk__in=[])
    for commune_id, name in name_keys:
        condition |= Q(commune_id=commune_id, name_folded=name)
    if phones:
        condition |= Q(phone__in=phones)
    if not name_keys and not phones:
        return []
    rows = list(base.filter(condition).select_related("commune").order_by("id"))
    groups: dict[tuple, list[Establishment]] = {}
    for e in rows:
        if (e.commune_id, e.name_folded) in name_keys:
            groups.setdefault(("name", e.commune_id, e.name_folded), []).append(e)
        if e.phone in phones:
            groups.setdefault(("phone", e.phone), []).append(e)
    seen = set()
    for key, members in groups.items():
        ids = tuple(sorted(m.pk for m in members))
        if len(members) < 2 or ids in seen:
            continue
        seen.add(ids)
        reason = "same_name" if key[0] == "name" else "same_phone"
        pairs.append({"reason": reason, "establishments": members})
    return pairs[:limit]


def merge_list(*, user) -> QuerySet[EstablishmentMerge]:
    scope = user_scope(user)
    qs = EstablishmentMerge.objects.select_related("survivor", "merged", "actor", "reviewed_by")
    return scope.filter(qs, province="survivor__province_id", commune="survivor__commune_id")
