"""Industrial clusters at national size for the benchmarks: about 1,200 clusters (the national count is of that
order), spread over the 34 provinces with more in the benchmark's province, each with its communes, decisions,
components, 5–25 tenants (some of them establishments of the registry), four dated land snapshots and the tenants'
and the investor's forms of the last two half-years.

Rows are bulk-inserted with values the services would have written (folded names; snapshots within the land they
describe; one Biểu 01 per tenant and period, one Biểu 02 per cluster and period). Called by `make bench` as the
database grows, so the cluster list and detail are measured at 1 %, 10 % and 100 %.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from khuyencong.clusters.models import (
    Cluster,
    ClusterDecision,
    ClusterStatus,
    ClusterType,
    Component,
    ComponentKind,
    ComponentStatus,
    DecisionKind,
    FormKind,
    FormReport,
    FormStatus,
    LandSnapshot,
    Tenant,
    TenantStatus,
)
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

NATIONAL_CLUSTERS = 1200
BENCH_PROVINCE = 12  # the province user's own province (Lai Châu) gets a larger share, so that its pages grow
WORDS = ["Đông", "Tây", "Nam", "Bắc", "Tân", "Phú", "Hòa", "An", "Thịnh", "Thuận", "Bình", "Phong", "Minh", "Long"]
SECTORS = ["chế biến nông sản", "cơ khí", "dệt may", "vật liệu xây dựng", "chế biến gỗ", "thủ công mỹ nghệ"]
PERIODS = ["2026-H1", "2025"]


def generate(fraction: float, seed: int = 2026) -> dict:
    """Adds `fraction` of the national clusters (at least one per province) and returns the rows written."""
    rng = random.Random(seed)
    provinces = list(AdminUnit.objects.filter(scheme="current", level="province").order_by("code"))
    communes: dict[int, list[int]] = {}
    for province_id, commune_id in AdminUnit.objects.filter(scheme="current", level="commune").values_list(
            "parent_id", "id"):
        communes.setdefault(province_id, []).append(commune_id)
    total = max(len(provinces), round(NATIONAL_CLUSTERS * fraction))
    weights = [8 if p.code == BENCH_PROVINCE else 1 for p in provinces]
    chosen = provinces + rng.choices(provinces, weights=weights, k=total - len(provinces))
    establishments = {}
    for province_id, pk in Establishment.objects.filter(province__in=provinces).values_list("province_id", "id")[
            :total * 4]:
        establishments.setdefault(province_id, []).append(pk)
    counts = dict.fromkeys(("clusters", "decisions", "components", "tenants", "snapshots", "forms"), 0)
    with transaction.atomic():
        for start in range(0, total, 200):
            _batch(rng, chosen[start:start + 200], communes, establishments, counts)
    return counts


def _batch(rng, provinces, communes, establishments, counts) -> None:
    clusters = []
    for province in provinces:
        name = f"Cụm công nghiệp {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.randint(1, 99)}"
        planned = Decimal(rng.randint(10, 75))
        status = rng.choices([ClusterStatus.OPERATING, ClusterStatus.BUILDING, ClusterStatus.ESTABLISHED,
                              ClusterStatus.PLANNED], weights=[6, 2, 1, 1])[0]
        established = planned if status != ClusterStatus.PLANNED else Decimal(0)
        clusters.append(Cluster(
            name=name, name_folded=fold(name), province=province, planned_ha=planned, established_ha=established,
            industrial_land_ha=(established * Decimal("0.7")).quantize(Decimal("0.01")), status=status,
            kind=rng.choices([ClusterType.GENERAL, ClusterType.CRAFT_VILLAGE, ClusterType.SPECIALISED],
                             weights=[8, 1, 1])[0],
            sectors=", ".join(rng.sample(SECTORS, 2)), investor="Công ty cổ phần đầu tư hạ tầng " + rng.choice(WORDS),
            formed_before_2009=rng.random() < 0.05))
    Cluster.objects.bulk_create(clusters)
    links, decisions, components, tenants, snapshots = [], [], [], [], []
    for cluster in clusters:
        cluster_communes = communes.get(cluster.province_id) or []
        for commune_id in rng.sample(cluster_communes, min(len(cluster_communes), rng.randint(1, 2))):
            links.append(Cluster.communes.through(cluster_id=cluster.pk, adminunit_id=commune_id))
        if cluster.status == ClusterStatus.PLANNED:
            continue
        decided = datetime.date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28))
        decisions.append(ClusterDecision(cluster=cluster, kind=DecisionKind.ESTABLISH,
                                         number=f"{rng.randint(100, 3999)}/QĐ-UBND", decided_on=decided,
                                         area_ha=cluster.established_ha, investor=cluster.investor))
        for kind in rng.sample(list(ComponentKind), 4):
            components.append(Component(cluster=cluster, kind=kind, status=rng.choice(list(ComponentStatus))))
        industrial = cluster.industrial_land_ha
        leased = Decimal(0)
        for n in range(rng.randint(5, 25) if cluster.status == ClusterStatus.OPERATING else 0):
            area = min(Decimal(rng.randint(5, 300)) / 100, industrial - leased)
            if area <= 0:
                break
            leased += area
            pool = establishments.get(cluster.province_id) or []
            tenants.append(Tenant(cluster=cluster, establishment_id=rng.choice(pool) if pool and n % 3 == 0 else None,
                                  name=f"Công ty TNHH {rng.choice(WORDS)} {rng.choice(WORDS)} {n + 1}",
                                  sector=rng.choice(SECTORS), leased_ha=area, is_fdi=rng.random() < 0.1,
                                  status=TenantStatus.OPERATING))
        for quarter in range(4):
            share = Decimal(quarter + 1) / 4
            snapshots.append(LandSnapshot(cluster=cluster, on_date=datetime.date(2026, 3 * quarter + 1, 15),
                                          industrial_ha=industrial, serviced_ha=industrial,
                                          leased_ha=(leased * share).quantize(Decimal("0.01"))))
    Cluster.communes.through.objects.bulk_create(links)
    ClusterDecision.objects.bulk_create(decisions)
    Component.objects.bulk_create(components)
    Tenant.objects.bulk_create(tenants)
    LandSnapshot.objects.bulk_create(snapshots)
    forms = [FormReport(form=FormKind.TENANT, cluster_id=t.cluster_id, tenant=t, period=period,
                        values={"revenue": rng.randint(500, 90000), "budget": rng.randint(10, 5000),
                                "workers": rng.randint(5, 400), "income": rng.randint(5, 12)},
                        status=FormStatus.APPROVED) for t in tenants for period in PERIODS]
    FormReport.objects.bulk_create(forms)
    for key, rows in (("clusters", clusters), ("decisions", decisions), ("components", components),
                      ("tenants", tenants), ("snapshots", snapshots), ("forms", forms)):
        counts[key] += len(rows)
