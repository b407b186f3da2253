"""The clusters demo data (idempotent), registered in DEMO_SEEDERS: in every demo province, clusters in several
states with their decisions, investor, works, tenants, land snapshots, state support and a year of forms 01/02; the
login `ccn.laichau` of a tenant in Lai Châu, which fills only its own Biểu 01."""

import datetime

from khuyencong.accounts.demo import DEMO_PASSWORD, PROVINCES
from khuyencong.accounts.models import User
from khuyencong.geo.models import AdminUnit

from . import services
from .models import Cluster, ClusterStatus, Tenant

D = datetime.date

# (name, type, status, planned ha, leased ha of 40 ha industrial land, formed before 2009, wastewater compliant)
PLAN = [
    ("Cụm công nghiệp {p} số 1", "general", "operating", "50", "31", False, True),
    ("Cụm công nghiệp làng nghề {p}", "craft_village", "operating", "20", "9", False, False),
    ("Cụm công nghiệp {p} số 2", "general", "building", "45", None, False, None),
    ("Cụm công nghiệp cũ {p}", "general", "unestablished", "30", "18", True, None),
    ("Cụm công nghiệp {p} số 3", "specialised", "planned", "60", None, False, None),
]


def _actor():
    return User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()


def seed(stdout=None) -> None:
    actor = _actor()
    if actor is None:
        return
    made = 0
    for code in PROVINCES:
        province = AdminUnit.objects.current().provinces().filter(code=code).first()
        if province is None:
            continue
        short = province.short_name
        communes = list(AdminUnit.objects.filter(scheme="current", level="commune", province=province,
                                                 kind="xa").order_by("code")[:5])
        for i, (name, kind, status, planned, leased, before_2009, compliant) in enumerate(PLAN):
            name = name.format(p=short)
            if Cluster.objects.filter(province=province, name=name).exists():
                continue
            _make(actor, province, communes[i % len(communes)] if communes else None, name, kind, status, planned,
                  leased, before_2009, compliant, i)
            made += 1
    _demo_account(actor)
    if stdout is not None:
        stdout.write(f"clusters: {made} clusters")


DEMO_ACCOUNT = "ccn.laichau"


def _demo_account(actor) -> None:
    """A tenant's own account with the demo password (the service gives a random one, shown once)."""
    if User.objects.filter(username=DEMO_ACCOUNT).exists():
        return
    tenant = Tenant.objects.filter(cluster__province__code=12, cluster__status=ClusterStatus.OPERATING,
                                   accounts__isnull=True).order_by("cluster__name", "name").first()
    if tenant is None:
        return
    account, _password = services.account_create(actor=actor, cluster=tenant.cluster, tenant=tenant,
                                                  full_name="Nguyễn Văn Bình")
    account.user.username = DEMO_ACCOUNT
    account.user.set_password(DEMO_PASSWORD)
    account.user.save(update_fields=["username", "password"])


def _make(actor, province, commune, name, kind, status, planned, leased, before_2009, compliant, i) -> None:
    industrial = str(int(int(planned) * 0.8))
    cluster = services.cluster_create(
        actor=actor, province=province, communes=[commune] if commune else [],
        status=ClusterStatus.UNESTABLISHED if status == "unestablished" else ClusterStatus.PLANNED,
        data={"name": name, "kind": kind, "planned_ha": planned, "established_ha": "0" if status == "planned" else
              planned, "industrial_land_ha": industrial, "sectors": "Chế biến nông sản, cơ khí, đồ gỗ",
              "investor": "" if status == "planned" else f"Công ty CP Đầu tư hạ tầng {name.split()[-1]}",
              "formed_before_2009": before_2009, "detailed_plan_on": D(2023, 5, 10) if leased else None})
    if status in ("operating", "building"):
        services.decision_add(actor=actor, cluster=cluster, data={
            "kind": "establish", "number": f"{100 + i}/QĐ-UBND", "decided_on": D(2022, 3, 1 + i),
            "area_ha": planned, "capital_vnd": 150_000_000_000 + i * 10_000_000_000,
            "capital_sources": "Vốn doanh nghiệp, vay thương mại"})
        cluster.refresh_from_db()
        services.cluster_transition(actor=actor, cluster=cluster, action="establish", version=cluster.version)
        services.cluster_transition(actor=actor, cluster=cluster, action="build", version=cluster.version)
        services.infrastructure_set(actor=actor, cluster=cluster, data={
            "approved_total_vnd": 120_000_000_000, "paid_vnd": 70_000_000_000, "reference": f"{200 + i}/QĐ-UBND",
            "approved_on": D(2022, 9, 1)})
        services.support_add(actor=actor, cluster=cluster, data={
            "source": "kc_local", "amount_vnd": 6_000_000_000, "decided_on": D(2024, 8, 1), "reference": "KC-ĐP"})
        services.component_set(actor=actor, cluster=cluster, kind="roads", status="done")
        services.component_set(actor=actor, cluster=cluster, kind="water", status="done")
    if status == "operating":
        cluster.refresh_from_db()
        services.cluster_transition(actor=actor, cluster=cluster, action="operate", version=cluster.version)
        services.component_set(actor=actor, cluster=cluster, kind="wastewater", status="done", capacity_m3_day=800,
                               discharge_compliant=compliant)
    if leased is None:
        return
    tenants = [services.tenant_add(actor=actor, cluster=cluster, data={
        "name": f"{label} {name.split()[-1]}", "sector": sector, "leased_ha": ha, "certificate": f"GCN-{i}{n}",
        "is_fdi": n == 2}) for n, (label, sector, ha) in enumerate((
            ("Công ty TNHH Chế biến nông sản", "Chế biến nông sản", "6"), ("Hợp tác xã Cơ khí", "Cơ khí", "3"),
            ("Công ty TNHH Đồ gỗ xuất khẩu", "Đồ gỗ", "8")))]
    for day, share in ((D(2025, 12, 10), "0.8"), (D(2026, 6, 10), "1")):
        value = round(float(leased) * float(share), 2)
        services.snapshot_add(actor=actor, cluster=cluster, data={
            "on_date": day, "industrial_ha": industrial, "serviced_ha": industrial, "leased_ha": str(value),
            "approved_ha": "2" if value + 2 <= float(industrial) else "0"})
    for period, submitted in (("2025", D(2025, 12, 18)), ("2026-H1", D(2026, 6, 17))):
        for n, tenant in enumerate(tenants):
            if period == "2026-H1" and n == 2:
                continue  # one tenant's form is missing after the deadline: the inbox and Biểu 04 flag it
            report = services.form_save(actor=actor, cluster=cluster, form="01", period=period, tenant=tenant, data={
                "revenue": 8_000_000_000 + n * 1_000_000_000, "budget": 400_000_000, "workers": 60 + 10 * n,
                "income": 7_200_000})
            services.form_transition(actor=actor, report=report, action="submit", version=report.version,
                                     on_date=submitted)
            if period == "2025":
                services.form_transition(actor=actor, report=report, action="approve", version=report.version,
                                         on_date=submitted + datetime.timedelta(days=3))
        if status == "operating":
            report = services.form_save(actor=actor, cluster=cluster, form="02", period=period, data={
                "approved_investment": 120_000_000_000, "paid": 70_000_000_000, "serviced_ha": industrial,
                "leased_ha": leased, "projects": 3, "fdi_projects": 1, "operating_projects": 3,
                "revenue": 27_000_000_000, "budget": 1_200_000_000, "workers": 210, "income": 7_200_000,
                "wastewater_built": 1, "wastewater_ok": 1 if compliant else 0})
            services.form_transition(actor=actor, report=report, action="submit", version=report.version,
                                     on_date=submitted)
