"""The network's cases of the project-wide scope check, run here for every provincial role, and the list of the
network's endpoints that must each be covered by a case or declared unscoped."""

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

load_cases()
NETWORK_CASES = sorted(name for name in SCOPED_CASES if name.startswith("network_"))


def network_url_names() -> set[str]:
    api = {"api:collaborator_list", "api:collaborator_detail", "api:collaborator_application_list",
           "api:field_record_list", "api:field_record_detail", "api:field_record_create",
           "api:collaborator_task_list", "api:establishment_proposal_list", "api:establishment_proposal_detail",
           "api:establishment_propose", "api:establishment_proposal_accept", "api:establishment_proposal_reject"}
    return {name for name in all_url_names() if name.startswith("network_")} | api


def test_every_network_endpoint_is_scope_tested_or_declared_unscoped():
    covered = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    missing = sorted(network_url_names() - covered)
    assert not missing
    assert network_url_names() <= all_url_names()


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVINCIAL_ROLES)
@pytest.mark.parametrize("case_name", NETWORK_CASES)
def test_lai_chau_user_does_not_see_or_change_tay_ninh_network(client, role, case_name):
    communes = [commune_of(HOME_PROVINCE, 0), commune_of(HOME_PROVINCE, 1)] if role == "collaborator" else None
    user = make_user(role=role, province_code=HOME_PROVINCE, communes=communes)
    assert_scoped(SCOPED_CASES[case_name], client=client, user=user, role=role)
