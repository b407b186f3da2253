"""The migration that stores the plan's year on each project fills every existing row from its plan."""

import importlib

import pytest
from django.apps import apps

from khuyencong.projects.models import Project

from .factories import make_plan, make_project

pytestmark = pytest.mark.django_db

project_year = importlib.import_module("khuyencong.projects.migrations.0005_project_year")


def test_existing_projects_get_their_plans_year():
    plans = [make_plan(year=2024), make_plan(year=2026, fund="local", province_code=12)]
    projects = [make_project(12, plan=plan) for plan in plans for _ in range(2)]
    Project.objects.update(year=1999)  # as if written before the column existed
    project_year.fill_year(apps, None)
    assert {p.pk: p.year for p in Project.objects.all()} == {
        projects[0].pk: 2024, projects[1].pk: 2024, projects[2].pk: 2026, projects[3].pk: 2026}
