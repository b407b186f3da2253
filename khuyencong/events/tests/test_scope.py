"""The events module's scope cases, run for every provincial role (the core walks them too; running them here keeps
the module's own test run complete)."""

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
OURS = sorted(name for name in SCOPED_CASES if name in ("event", "training_results"))
EVENT_URLS = {"event_", "lesson_", "practice_", "api:event_", "api:lesson_"}


def test_every_events_endpoint_is_covered():
    covered = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    ours = {name for name in all_url_names() if any(name.startswith(prefix) for prefix in EVENT_URLS)}
    assert len(ours) > 40
    assert not sorted(ours - covered)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVINCIAL_ROLES)
@pytest.mark.parametrize("case_name", OURS)
def test_provincial_user_does_not_cross_provinces(client, role, case_name):
    communes = [commune_of(HOME_PROVINCE, 0), commune_of(HOME_PROVINCE, 1)] if role == "collaborator" else None
    user = make_user(role=role, province_code=HOME_PROVINCE, communes=communes)
    assert_scoped(SCOPED_CASES[case_name], client=client, user=user, role=role)
