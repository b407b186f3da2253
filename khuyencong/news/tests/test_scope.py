"""The news module's scope cases, run for every provincial role."""

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


def test_every_news_endpoint_is_covered():
    covered = {name for case in SCOPED_CASES.values() for name in case.covers} | set(UNSCOPED)
    ours = {name for name in all_url_names() if name.startswith(("news_", "api:news_"))}
    assert len(ours) >= 18
    assert not sorted(ours - covered)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVINCIAL_ROLES)
def test_provincial_user_does_not_cross_provinces(client, role):
    communes = [commune_of(HOME_PROVINCE, 0), commune_of(HOME_PROVINCE, 1)] if role == "collaborator" else None
    user = make_user(role=role, province_code=HOME_PROVINCE, communes=communes)
    assert_scoped(SCOPED_CASES["news_article"], client=client, user=user, role=role)
