"""The national-size dataset generator writes what the services would: derived columns, reachable states, balanced
ledgers within the plans' envelopes, former units that really precede the current ones."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from bench import scale
from khuyencong.core.text import fold
from khuyencong.events.models import Event, Participant
from khuyencong.geo.models import Succession
from khuyencong.network.models import Collaborator, FieldRecord
from khuyencong.projects.ledger import project_balances
from khuyencong.projects.models import AnnualPlan, LedgerEntry, Project, ProjectStatus
from khuyencong.registry import services as registry_services
from khuyencong.registry.models import Establishment

pytestmark = pytest.mark.django_db

SCALE = 0.002  # 400 establishments, 80 projects, 6 collaborators with 600 field records, 12 events with 500 people


@pytest.fixture
def generated():
    return scale.generate(SCALE, seed=7)


def test_counts_and_timings(generated):
    assert Establishment.objects.filter(business_reg_no__startswith=scale.MARKER).count() == 400
    assert Project.objects.count() == 80
    assert Collaborator.objects.count() == 6
    assert FieldRecord.objects.count() == 600
    assert Event.objects.count() == 12
    assert Participant.objects.count() == 12 * (500 // 12)
    assert generated["registry_establishment"]["rows"] == 400
    assert generated["total"]["seconds"] > 0


def test_establishments_carry_what_the_services_derive(generated):
    sample = Establishment.objects.select_related("commune__province", "craft_village").order_by("id")[:60]
    for e in sample:
        assert e.name_folded == fold(e.name)
        assert e.search_text == registry_services.search_text_of(e)
        assert e.province_id == e.commune.province_id
        assert e.eligible == registry_services.eligibility_of(e).eligible
    legacy = Establishment.objects.filter(legacy_unit__isnull=False)
    assert legacy.exists()
    for e in legacy[:40]:
        assert e.business_reg_date < scale.REFORM
        assert Succession.objects.filter(legacy_id=e.legacy_unit_id, current_id=e.commune_id).exists()
        assert e.legacy_address.startswith(e.address)


def test_ledgers_respect_the_ledger_rules(generated):
    statuses = set()
    for project in Project.objects.select_related("plan"):
        statuses.add(project.status)
        b = project_balances(project)
        assert b.contracted <= b.approved
        assert b.settled <= (b.contracted or b.approved)
        assert 0 <= b.disbursed + b.advanced - b.refunded <= b.contracted
        if b.settlement_recorded:
            assert b.disbursed + b.advanced - b.refunded <= b.settled
        assert project.code == f"KCQG-{project.plan.year}-{project.province.code:02d}-{project.seq:03d}"
        assert project.year == project.plan.year
        if project.status in (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.RETURNED,
                              ProjectStatus.REJECTED):
            assert b.approved == 0
    assert statuses <= set(ProjectStatus.values)
    assert {ProjectStatus.SETTLED, ProjectStatus.ARCHIVED} <= statuses
    assert not LedgerEntry.objects.filter(amount_vnd__lte=0).exists()
    for plan in AnnualPlan.objects.all():
        approved = LedgerEntry.objects.filter(project__plan=plan, kind="APPROVED").aggregate(s=Sum("amount_vnd"))["s"]
        assert (approved or 0) <= plan.envelope_vnd


def test_events_before_the_reform_name_the_former_province(generated):
    old = Event.objects.filter(end_date__lt=scale.REFORM)
    assert old.exists()
    for event in old.select_related("organiser_unit_then", "province")[:20]:
        assert event.organiser_unit_then.scheme == "legacy"
        assert Succession.objects.filter(legacy=event.organiser_unit_then, current=event.province).exists()
        assert fold(event.title) in event.search_text
    assert not Event.objects.filter(end_date__gte=datetime.date(2025, 7, 1), organiser_unit_then__isnull=False).exists()


def test_refuses_to_run_twice_unless_topping_up(generated):
    with pytest.raises(RuntimeError):
        scale.generate(SCALE, seed=7)
    scale.generate(0.001, seed=8, top_up=True)
    assert Establishment.objects.filter(business_reg_no__startswith=scale.MARKER).count() == 600


def test_seed_demo_rejects_a_bad_scale():
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", "2", stdout=io.StringIO())
    assert scale.parse_scale("national") == 1.0


def test_capped_paginator_counts_up_to_its_limit():
    from khuyencong.core.paging import CappedPaginator
    from khuyencong.geo.models import AdminUnit

    communes = AdminUnit.objects.current().communes().order_by("id")
    capped = CappedPaginator(communes, 50, limit=120)
    assert (capped.count, capped.capped, capped.num_pages) == (120, True, 3)
    assert capped.get_page(99).number == 3
    exact = CappedPaginator(communes.filter(province__code=12), 50, limit=10_000)
    assert (exact.count, exact.capped) == (38, False)


def test_generated_clusters_hold_what_the_services_keep(generated, admin_units):
    from bench import scale_clusters
    from khuyencong.clusters.models import Cluster, FormReport, LandSnapshot, Tenant
    from khuyencong.clusters.selectors import cluster_occupancy, with_figures

    counts = scale_clusters.generate(0.02, seed=3)  # 24 clusters asked for: at least one in each of the 34 provinces
    assert counts["clusters"] == Cluster.objects.count() == 34
    assert Cluster.objects.order_by().values("province").distinct().count() == 34
    assert counts["tenants"] == Tenant.objects.count() > 0
    assert FormReport.objects.filter(form="01").count() == 2 * Tenant.objects.count()
    for cluster in with_figures(Cluster.objects.all()):
        assert cluster.name_folded == fold(cluster.name)
        leased = sum(t.leased_ha for t in cluster.tenants.all())
        assert leased <= cluster.industrial_land_ha
        latest = LandSnapshot.objects.filter(cluster=cluster).first()
        if latest:
            assert latest.leased_ha == leased
            assert 0 <= cluster_occupancy(cluster) <= 100
