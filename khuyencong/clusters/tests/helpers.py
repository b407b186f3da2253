"""Helpers of the clusters tests (and the scope cases)."""

import datetime

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.geo.models import AdminUnit

from .. import services

D = datetime.date
LAI_CHAU, TAY_NINH = 12, 80


def admin() -> User:
    user = User.objects.filter(username="quantri.ccn").first()
    return user or make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.ccn")


def commune(province_code: int) -> AdminUnit:
    return AdminUnit.objects.filter(scheme="current", level="commune", province__code=province_code).order_by(
        "code").first()


def make_cluster(province_code: int = LAI_CHAU, *, name: str = "", actor=None, industrial="40", **data):
    actor = actor or admin()
    return services.cluster_create(
        actor=actor, province=province(province_code), communes=[commune(province_code)],
        data={"name": name or f"Cụm công nghiệp thử {province_code}", "planned_ha": "50", "established_ha": "50",
              "industrial_land_ha": industrial, "sectors": "Chế biến nông sản", **data})


def operating_cluster(province_code: int = LAI_CHAU, *, name: str = "", leased="30", approved="0"):
    """A cluster established with its investor, operating, with one tenant and one land snapshot."""
    actor = admin()
    cluster = make_cluster(province_code, name=name, investor="Công ty CP Hạ tầng Thử")
    services.decision_add(actor=actor, cluster=cluster, data={
        "kind": "establish", "number": "12/QĐ-UBND", "decided_on": D(2025, 3, 1), "area_ha": "50",
        "capital_vnd": 200_000_000_000, "capital_sources": "Doanh nghiệp"})
    services.cluster_transition(actor=actor, cluster=cluster, action="establish", version=cluster.version)
    services.cluster_transition(actor=actor, cluster=cluster, action="operate", version=cluster.version)
    services.tenant_add(actor=actor, cluster=cluster, data={"name": "Công ty TNHH Chè Thử", "leased_ha": "5"})
    services.snapshot_add(actor=actor, cluster=cluster, data={
        "on_date": D(2026, 6, 14), "industrial_ha": "40", "serviced_ha": "35", "leased_ha": leased,
        "approved_ha": approved})
    return cluster
