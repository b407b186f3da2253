"""The demo seeder: projects in many states through the real services, idempotent, nothing without establishments."""

import io

import pytest
from django.db.models import F

from khuyencong.accounts import demo as accounts_demo
from khuyencong.projects import demo
from khuyencong.projects.ledger import project_balances
from khuyencong.projects.models import AnnualPlan, LedgerEntry, Project, ProjectStatus
from khuyencong.projects.selectors import ProjectFilters, project_list

from .factories import make_establishment, rural_commune, ward

pytestmark = pytest.mark.django_db


def _registry():
    """Stand-ins for the registry's demo establishments: eligible ones in rural communes, one in a city ward."""
    for code in demo.PROVINCES:
        for i in range(8):
            make_establishment(code, name=f"Cơ sở mẫu {code}-{i}", commune=rural_commune(code, i % 3))
    make_establishment(79, name="Cơ sở trong phường", commune=ward(79))


def test_nothing_without_establishments(rules):
    accounts_demo.seed()
    out = io.StringIO()
    assert demo.seed(out) == 0
    assert not AnnualPlan.objects.exists() and not Project.objects.exists()
    assert "bỏ qua" in out.getvalue()


def test_seed_creates_plans_and_projects_in_many_states_once(rules):
    accounts_demo.seed()
    _registry()
    out = io.StringIO()
    created = demo.seed(out)
    assert created == len(demo.SCENARIOS), out.getvalue()
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.RETURNED, ProjectStatus.REJECTED,
            ProjectStatus.REGISTERED, ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED,
            ProjectStatus.SETTLEMENT_SUBMITTED, ProjectStatus.ARCHIVED, ProjectStatus.COUNCIL_APPRAISED} <= statuses
    assert AnnualPlan.objects.filter(fund="national").count() == 4
    assert AnnualPlan.objects.filter(fund="local").count() == 16
    # Some are late, every ledger is consistent, a correction is a reversing entry.
    from khuyencong.accounts.models import User

    ministry = User.objects.get(username="cuc.dck")
    late = project_list(user=ministry, filters=ProjectFilters(late=True))
    assert late.count() >= 4
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 1
    for project in Project.objects.all():
        b = project_balances(project)
        assert b.contracted <= b.approved and b.paid <= b.contracted
        if project.status == ProjectStatus.ARCHIVED:
            assert b.paid == b.settled
    # Projects taken through every step and adjustment by the services: each still carries its plan's year.
    assert not Project.objects.exclude(year=F("plan__year")).exists()
    codes = set(Project.objects.values_list("code", flat=True))
    assert "KCQG-2024-12-001" in codes and "KCĐP-2025-12-001" in codes and "KCQG-2026-80-001" in codes
    # Again: nothing new.
    assert demo.seed(io.StringIO()) == 0
    assert Project.objects.count() == len(demo.SCENARIOS)
