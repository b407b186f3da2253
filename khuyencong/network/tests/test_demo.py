"""The demo seeder: four provinces' networks, the merged-province stories, idempotent and deterministic."""

import io

import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User
from khuyencong.registry import demo as registry_demo

from .. import demo, selectors
from ..models import Collaborator, CollaboratorStatus, Coverage, FeeSheet, FieldRecord, Reassignment, Regulation

pytestmark = pytest.mark.django_db


def test_demo_networks(admin_units):
    accounts_demo.seed()
    registry_demo.seed()
    out = io.StringIO()
    demo.seed(out)
    assert Regulation.objects.count() == 4
    counts = {code: Collaborator.objects.filter(province__code=code).count() for code in (12, 80, 92, 79)}
    assert all(20 <= n <= 60 for n in counts.values()), counts
    statuses = set(Collaborator.objects.values_list("status", flat=True))
    assert {CollaboratorStatus.ACTIVE, CollaboratorStatus.SUSPENDED, CollaboratorStatus.ENDED} <= statuses
    # The demo account of Lai Châu is a collaborator over the three communes of its role.
    ctv = Collaborator.objects.get(user__username="ctv.laichau")
    assert ctv.full_name == "Vàng A Dính" and ctv.is_active
    assert ctv.coverages.filter(end_date__isnull=True).count() == 3
    assert ctv.tasks.filter(status="open").exists()
    # Two establishments ctv.laichau found in the field: one waits for the centre, one was rejected with a reason.
    assert sorted(ctv.establishment_proposals.values_list("status", flat=True)) == ["proposed", "rejected"]
    # A year of activity, some communes left uncovered.
    assert FieldRecord.objects.filter(province__code=12).count() > 200
    for code in (12, 80, 92, 79):
        from khuyencong.accounts.tests.factories import province

        summary = selectors.coverage_summary(province(code))
        assert 0 < summary.covered < summary.total, code
    # Tây Ninh moved its former Long An network; TP HCM still holds the former Bình Dương one on former units.
    assert Reassignment.objects.filter(province__code=80).count() == 1
    assert Coverage.objects.filter(province__code=80, ended_by__isnull=False).count() == demo.LONG_AN_MOVED
    plan, _gaps = selectors.reassignment_plan(province(79))
    assert len(plan) >= demo.BINH_DUONG_NETWORK
    assert FeeSheet.objects.filter(province__code=12, status="paid").exists()
    names = set(Collaborator.objects.values_list("full_name", flat=True))
    assert len(names) > 100
    users = User.objects.count()
    before = (Collaborator.objects.count(), FieldRecord.objects.count())
    demo.seed(io.StringIO())
    assert (Collaborator.objects.count(), FieldRecord.objects.count()) == before
    assert ctv.establishment_proposals.count() == 2
    assert User.objects.count() == users
