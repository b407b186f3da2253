"""Runs every registered scoped case for every provincial role, and checks that no endpoint was forgotten."""

import pytest

from khuyencong.accounts.tests.factories import make_user
from khuyencong.testing.scope import (
    HOME_PROVINCE,
    PROVINCIAL_ROLES,
    SCOPED_CASES,
    UNSCOPED,
    all_url_names,
    assert_scoped,
    load_cases,
)

load_cases()


def test_every_endpoint_is_scope_tested_or_declared_unscoped():
    covered = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    missing = sorted(name for name in all_url_names() if name not in covered and not name.startswith("admin:"))
    assert not missing, f"Endpoints without a scope test (add a ScopedCase or unscoped(...)): {missing}"


def test_registry_names_only_existing_endpoints():
    names = all_url_names()
    declared = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    assert not sorted(declared - names)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVINCIAL_ROLES)
@pytest.mark.parametrize("case_name", sorted(SCOPED_CASES))
def test_provincial_user_does_not_cross_provinces(client, role, case_name):
    communes = None
    if role == "collaborator":
        from khuyencong.accounts.tests.factories import commune_of

        communes = [commune_of(HOME_PROVINCE, 0), commune_of(HOME_PROVINCE, 1)]
    user = make_user(role=role, province_code=HOME_PROVINCE, communes=communes)
    assert_scoped(SCOPED_CASES[case_name], client=client, user=user, role=role)
