"""The projects module's scope cases, run for every provincial role (the core walks them too; running them here
keeps the module's own test run complete)."""

import pytest

from khuyencong.accounts.tests.factories import commune_of, make_user
from khuyencong.testing.scope import (
    HOME_PROVINCE,
    PROVINCIAL_ROLES,
    SCOPED_CASES,
    UNSCOPED,
    all_url_names,
    assert_scoped,
    load_cases,
)

from .. import urls

load_cases()
OURS = ("project", "local_plan", "project_todo")


def test_every_projects_endpoint_is_covered():
    covered = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    ours = {p.name for p in urls.urlpatterns} | {n for n in all_url_names() if n.startswith("api:project")}
    assert "project_monitoring" in ours and "api:project_acceptance_add" in ours
    assert not sorted(ours - covered)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVINCIAL_ROLES)
@pytest.mark.parametrize("case_name", OURS)
def test_provincial_user_does_not_cross_provinces(client, role, case_name, admin_units):
    communes = [commune_of(HOME_PROVINCE, 0), commune_of(HOME_PROVINCE, 1)] if role == "collaborator" else None
    user = make_user(role=role, province_code=HOME_PROVINCE, communes=communes)
    assert_scoped(SCOPED_CASES[case_name], client=client, user=user, role=role)
