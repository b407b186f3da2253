"""The clusters' figures for the indicator catalogue (`reporting.indicators` reads these; clusters never imports
reporting). Counts stand at the end of the period (or today); occupancy is recomputed from each operating cluster's
latest land snapshot on that day (Σ (leased + approved) ÷ Σ industrial land), never an average of percentages;
areas are summed in hundredths of a hectare so every sum stays a whole number."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

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
