"""The clusters' figures for the indicator catalogue (`reporting.indicators` reads these; clusters never imports
reporting). Counts stand at the end of the period (or today); occupancy is recomputed from each operating cluster's
latest land snapshot on that day (Σ (leased + approved) ÷ Σ industrial land), never an average of percentages;
areas are summed in hundredths of a hectare so every sum stays a whole number."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from khuyencong.core.figures import format_percent, rate_percent
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.selectors import former_province_of_communes, former_province_of_provinces

from .models import Cluster, ClusterStatus, Component, ComponentKind, ComponentStatus, LandSnapshot

LIVE = (ClusterStatus.ESTABLISHED, ClusterStatus.BUILDING, ClusterStatus.OPERATING, ClusterStatus.UNESTABLISHED)
OPERATING = (ClusterStatus.OPERATING, ClusterStatus.UNESTABLISHED)


def _hundredths(field: str):
    return Sum(Cast(F(field) * 100, IntegerField()))


def clusters(ctx) -> QuerySet:
    """Clusters entered by the end of the period and not removed from the plan."""
    return Cluster.objects.filter(created_at__date__lte=ctx.as_of).exclude(status=ClusterStatus.REMOVED)


CLUSTER_MEASURES = {
    "listed": lambda ctx: Count("id"),
    "established": lambda ctx: Count("id", filter=Q(status__in=LIVE)),
    "operating": lambda ctx: Count("id", filter=Q(status__in=OPERATING)),
    "area_ha": lambda ctx: Sum(Cast(F("established_ha"), IntegerField()), filter=Q(status__in=LIVE)),
}


def land(ctx) -> QuerySet:
    """The latest land snapshot of each operating cluster on the day the figures stand at."""
    latest = LandSnapshot.objects.filter(cluster=OuterRef("cluster"), on_date__lte=ctx.as_of).order_by(
        "-on_date", "-id").values("pk")[:1]
    return LandSnapshot.objects.filter(cluster__status__in=OPERATING, on_date__lte=ctx.as_of,
                                       pk=Subquery(latest))


LAND_MEASURES = {
    "occupied": lambda ctx: _hundredths("leased_ha") + _hundredths("approved_ha"),
    "industrial": lambda ctx: _hundredths("industrial_ha"),
}


def wastewater(ctx) -> QuerySet:
    """Wastewater plants in use in operating clusters."""
    return Component.objects.filter(kind=ComponentKind.WASTEWATER, status=ComponentStatus.DONE,
                                    cluster__status__in=OPERATING)


WASTEWATER_MEASURES = {
    "built": lambda ctx: Count("id"),
    "compliant": lambda ctx: Count("id", filter=Q(discharge_compliant=True)),
}


# --- the clusters' dashboard: the same measures, per province (today's or the former ones)


@dataclass(frozen=True)
class AsOf:
    """The day the figures stand at (the indicators' context has the same `as_of`)."""

    as_of: datetime.date


@dataclass
class ProvinceFigures:
    province: AdminUnit | None
    listed: int = 0
    established: int = 0
    operating: int = 0
    area_ha: int = 0
    occupied: int = 0  # hundredths of a hectare
    industrial: int = 0
    ww_built: int = 0
    ww_compliant: int = 0
    pending: list = field(default_factory=list)  # clusters to regularise, with .days_left

    @property
    def occupancy(self):
        return rate_percent(self.occupied, self.industrial)

    @property
    def compliance(self):
        return rate_percent(self.ww_compliant, self.ww_built)

    @property
    def occupancy_text(self) -> str:
        return format_percent(self.occupancy)

    @property
    def compliance_text(self) -> str:
        return format_percent(self.compliance)


def _legacy_of(rows: list[dict]) -> dict[int, int]:
    """Each cluster's former province (before 1/7/2025): the province of the former unit it was entered under, else
    of the former commune its first commune today was formed from, else the former province of the same name as its
    province today (or the first by code), as `geo.selectors` places every other record."""
    ids = [r["pk"] for r in rows]
    recorded = dict(Cluster.legacy_units.through.objects.filter(cluster_id__in=ids).order_by(
        "cluster_id", "-adminunit__province__code").values_list("cluster_id", "adminunit__province_id"))
    communes = dict(Cluster.communes.through.objects.filter(cluster_id__in=ids).order_by(
        "cluster_id", "-adminunit__code").values_list("cluster_id", "adminunit_id"))
    by_commune = former_province_of_communes(communes.values())
    by_province = former_province_of_provinces({r["province_id"] for r in rows})
    return {r["pk"]: recorded.get(r["pk"]) or by_commune.get(communes.get(r["pk"]))
            or by_province.get(r["province_id"], r["province_id"]) for r in rows}


def by_province(scoped: QuerySet[Cluster], *, as_of: datetime.date, legacy: bool,
                deadline: datetime.date | None) -> list[ProvinceFigures]:
    """The dashboard's figures per province for the clusters the user sees (`scoped`): the indicators' measures
    (CLUSTER_MEASURES, LAND_MEASURES, WASTEWATER_MEASURES) read per cluster in three grouped queries, then added up
    under today's provinces or the former ones; the clusters formed before QĐ 105/2009 still to regularise, with the
    days left to the deadline."""
    ctx = AsOf(as_of)
    ids = scoped.values("pk")
    rows = list(clusters(ctx).filter(pk__in=ids).values("pk", "province_id", "formed_before_2009", "regularised_on",
                                                         "status", "name").annotate(
        **{k: f(ctx) for k, f in CLUSTER_MEASURES.items()}))
    land_rows = land(ctx).filter(cluster__in=ids).values("cluster_id").annotate(
        **{k: f(ctx) for k, f in LAND_MEASURES.items()})
    water_rows = wastewater(ctx).filter(cluster__in=ids).values("cluster_id").annotate(
        **{f"ww_{k}": f(ctx) for k, f in WASTEWATER_MEASURES.items()})
    key_of = _legacy_of(rows) if legacy else {r["pk"]: r["province_id"] for r in rows}
    units = AdminUnit.objects.in_bulk(set(key_of.values()))
    out: dict[int, ProvinceFigures] = {}
    for r in rows:
        figures = out.setdefault(key_of[r["pk"]], ProvinceFigures(units[key_of[r["pk"]]]))
        for name in CLUSTER_MEASURES:
            setattr(figures, name, getattr(figures, name) + (r[name] or 0))
        if r["formed_before_2009"] and not r["regularised_on"] and r["status"] == ClusterStatus.UNESTABLISHED:
            figures.pending.append({"pk": r["pk"], "name": r["name"],
                                    "days_left": (deadline - as_of).days if deadline else None})
    for group in (land_rows, water_rows):
        for r in group:
            figures = out.get(key_of.get(r["cluster_id"]))
            for name, value in r.items():
                if figures is not None and name != "cluster_id":
                    setattr(figures, name, getattr(figures, name) + (value or 0))
    return sorted(out.values(), key=lambda f: f.province.name)


def total(rows: list[ProvinceFigures]) -> ProvinceFigures:
    """The sum of the provinces (occupancy and compliance recomputed from the summed parts)."""
    out = ProvinceFigures(province=None)
    for r in rows:
        for name in ("listed", "established", "operating", "area_ha", "occupied", "industrial", "ww_built",
                     "ww_compliant"):
            setattr(out, name, getattr(out, name) + getattr(r, name))
        out.pending.extend(r.pending)
    return out
