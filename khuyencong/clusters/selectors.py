"""Reads of the clusters module shared by pages, the API and the indicators: scoped by the cluster's province, free
of N+1, with the page figures (occupancy, state support against its cap, days left to regularise) computed here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    DecimalField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from khuyencong.accounts.scope import user_scope
from khuyencong.core.text import fold

from . import law
from .models import (
    ESSENTIAL_WORKS,
    Cluster,
    ClusterStatus,
    ClusterSupport,
    Component,
    ComponentKind,
    ComponentStatus,
    LandSnapshot,
    StateSupport,
    Tenant,
)

AREA = DecimalField(max_digits=12, decimal_places=2)
HUNDRED = Decimal(100)


def occupancy(industrial_ha, leased_ha, approved_ha) -> Decimal | None:
    """Occupancy (%) = (leased + covered by an investment approval) ÷ industrial land (NĐ 32/2024 Art 2), one
    decimal; None without industrial land."""
    if not industrial_ha:
        return None
    value = (Decimal(leased_ha or 0) + Decimal(approved_ha or 0)) * HUNDRED / Decimal(industrial_ha)
    return value.quantize(Decimal("0.1"))


def _latest(field: str):
    rows = LandSnapshot.objects.filter(cluster=OuterRef("pk")).order_by("-on_date", "-id").values(field)[:1]
    return Subquery(rows, output_field=AREA)


def _sum(model, field: str):
    rows = model.objects.filter(cluster=OuterRef("pk")).order_by().values("cluster").annotate(s=Sum(field))
    return Coalesce(Subquery(rows.values("s")[:1], output_field=BigIntegerField()), 0)


def with_figures(qs: QuerySet[Cluster]) -> QuerySet[Cluster]:
    """Each cluster with its latest land snapshot's areas and its state support (one query for the page)."""
    return qs.annotate(
        land_industrial=_latest("industrial_ha"), land_serviced=_latest("serviced_ha"),
        land_leased=_latest("leased_ha"), land_approved=_latest("approved_ha"),
        land_on=Subquery(LandSnapshot.objects.filter(cluster=OuterRef("pk")).order_by("-on_date", "-id")
                         .values("on_date")[:1]),
        support_direct=_sum(StateSupport, "amount_vnd"), support_projects=_sum(ClusterSupport, "amount_vnd"),
    )


def cluster_occupancy(cluster: Cluster) -> Decimal | None:
    return occupancy(getattr(cluster, "land_industrial", None), getattr(cluster, "land_leased", None),
                     getattr(cluster, "land_approved", None))


def days_left(cluster: Cluster, today: datetime.date) -> int | None:
    """Days left to regularise a cluster formed before QĐ 105/2009 (negative once past), None when not concerned."""
    if not cluster.formed_before_2009 or cluster.regularised_on or cluster.status != ClusterStatus.UNESTABLISHED:
        return None
    deadline = law.regularisation_deadline()
    return None if deadline is None else (deadline - today).days


@dataclass
class ClusterFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    province: int | None = None  # current province code
    pending_regularisation: bool = False


def scoped(user) -> QuerySet[Cluster]:
    return user_scope(user).filter(Cluster.objects.all(), province="province_id")


def cluster_list(*, user, filters: ClusterFilters | None = None) -> QuerySet[Cluster]:
    f = filters or ClusterFilters()
    qs = scoped(user)
    for word in fold(f.q).split():
        qs = qs.filter(name_folded__contains=word)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.province is not None:
        qs = qs.filter(province__code=f.province)
    if f.pending_regularisation:
        qs = qs.filter(formed_before_2009=True, regularised_on__isnull=True, status=ClusterStatus.UNESTABLISHED)
    return with_figures(qs.select_related("province").prefetch_related("communes")).order_by(
        "province__name", "name", "id")


def cluster_get(*, user, pk: int) -> Cluster | None:
    qs = scoped(user).filter(pk=pk).select_related("province", "infrastructure").prefetch_related(
        "communes", "legacy_units", "decisions", "state_supports", "snapshots",
        Prefetch("project_links", queryset=ClusterSupport.objects.select_related("project")),
        Prefetch("components", queryset=Component.objects.order_by("kind")),
        Prefetch("tenants", queryset=Tenant.objects.select_related("establishment")),
    )
    return with_figures(qs).first()


@dataclass
class SupportFigures:
    approved_total: int
    paid: int
    by_source: dict
    projects: int
    total: int
    cap: int | None
    cap_pct: Decimal | None
    cap_basis: str
    room: int | None
    share: Decimal | None


def support_figures(cluster: Cluster, on_date: datetime.date) -> SupportFigures:
    """The state support of the cluster's infrastructure by source, its total and the cap (from prefetched rows)."""
    infra = getattr(cluster, "infrastructure", None) if hasattr(cluster, "infrastructure") else None
    approved = infra.approved_total_vnd if infra else 0
    by_source: dict[str, int] = {}
    for row in cluster.state_supports.all():
        by_source[row.source] = by_source.get(row.source, 0) + row.amount_vnd
    projects = sum(link.amount_vnd for link in cluster.project_links.all())
    total = sum(by_source.values()) + projects
    cap, rule = law.support_cap(approved, on_date)
    return SupportFigures(
        approved_total=approved, paid=infra.paid_vnd if infra else 0, by_source=by_source, projects=projects,
        total=total, cap=cap if approved else None, cap_pct=rule.value, cap_basis=rule.basis,
        room=cap - total if approved else None,
        share=(Decimal(total) * HUNDRED / Decimal(approved)).quantize(Decimal("0.1")) if approved else None)


def support_total(cluster_id: int) -> int:
    """Every state support recorded for the cluster (direct and through KC projects), read in two queries."""
    direct = StateSupport.objects.filter(cluster_id=cluster_id).aggregate(s=Sum("amount_vnd"))["s"] or 0
    linked = ClusterSupport.objects.filter(cluster_id=cluster_id).aggregate(s=Sum("amount_vnd"))["s"] or 0
    return direct + linked


def essential_done(cluster: Cluster) -> bool:
    done = {c.kind for c in cluster.components.all() if c.status == ComponentStatus.DONE}
    return all(kind in done for kind in ESSENTIAL_WORKS)


def wastewater(cluster: Cluster) -> tuple[bool, bool]:
    """(a wastewater plant is in use, its discharge meets the standard)."""
    plant = next((c for c in cluster.components.all() if c.kind == ComponentKind.WASTEWATER), None)
    built = plant is not None and plant.status == ComponentStatus.DONE
    return built, built and bool(plant.discharge_compliant)


def area_occupancy(qs: QuerySet[Cluster]) -> tuple[Decimal | None, Decimal]:
    """Average occupancy of the clusters (recomputed from their summed land, never an average of percentages) and
    their unleased industrial land, from each cluster's latest snapshot."""
    industrial = leased = approved = Decimal(0)
    for row in with_figures(qs).values("land_industrial", "land_leased", "land_approved"):
        if row["land_industrial"]:
            industrial += row["land_industrial"]
            leased += row["land_leased"] or 0
            approved += row["land_approved"] or 0
    return occupancy(industrial, leased, approved), max(industrial - leased - approved, Decimal(0))
