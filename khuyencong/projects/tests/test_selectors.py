"""Balances are sums of the ledger: a plan's balances are the sum of its projects' (for everyone and within a
user's area), and lists keep a fixed number of queries whatever the number of projects."""

import dataclasses
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.projects.ledger import Balances, project_balances
from khuyencong.projects.models import LedgerEntry, ProjectContent
from khuyencong.projects.selectors import (
    ProjectFilters,
    balances_of,
    plan_balances,
    plan_list,
    project_list,
    projects_awaiting,
)
from khuyencong.rules.models import ContentItem

from .factories import make_plan, make_project

pytestmark = pytest.mark.django_db

KINDS = ["APPROVED", "CONTRACTED", "ADVANCE", "DISBURSEMENT", "SETTLEMENT", "REFUND"]
amounts = st.integers(min_value=1, max_value=10**12)
project_strategy = st.fixed_dictionaries({
    "province": st.sampled_from([12, 80]),
    "status": st.sampled_from(["draft", "rejected", "in_progress", "settled"]),
    "requested": st.lists(amounts, max_size=3),
    "entries": st.lists(st.tuples(st.sampled_from(KINDS), amounts, st.booleans()), max_size=8),
})


def _summed(projects) -> Balances:
    """The sum of the projects' balances; a rejected project's request no longer counts as planned money."""
    total = sum((project_balances(p) for p in projects), Balances())
    return dataclasses.replace(total, planned=sum(project_balances(p).planned for p in projects
                                                   if p.status != "rejected"))


def _fill(plan, spec, content):
    project = make_project(spec["province"], plan=plan, status=spec["status"])
    for amount in spec["requested"]:
        ProjectContent.objects.create(project=project, content=content, eligible_cost_vnd=amount,
                                      requested_support_vnd=amount, quote_support_vnd=amount,
                                      quoted_on=datetime.date(2026, 1, 1))
    for kind, amount, reversed_ in spec["entries"]:
        entry = LedgerEntry.objects.create(project=project, kind=kind, amount_vnd=amount,
                                           on_date=datetime.date(2026, 1, 1))
        if reversed_:
            LedgerEntry.objects.create(project=project, kind=kind, amount_vnd=-amount, reverses=entry,
                                       on_date=datetime.date(2026, 1, 2))
    return project


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(project_strategy, min_size=0, max_size=5))
def test_plan_balances_are_the_sum_of_project_balances(rules, users, specs):
    content = ContentItem.objects.get(code="machinery")
    with transaction.atomic():
        plan = make_plan(year=2030, fund="national")
        projects = [_fill(plan, spec, content) for spec in specs]
        expected = _summed(projects)
        assert plan_balances(plan) == expected
        [row] = plan_list(user=users["ministry"]).filter(pk=plan.pk)
        assert balances_of(row) == expected
        # A Lai Châu user sees the national plan with Lai Châu's projects only.
        own = [p for p in projects if p.province.code == 12]
        assert plan_balances(plan, user=users["doit"]) == _summed(own)
        [row] = plan_list(user=users["doit"]).filter(pk=plan.pk)
        assert balances_of(row) == plan_balances(plan, user=users["doit"])
        assert row.project_count == len(own)
        # The list annotations agree with the per-project sums.
        rows = {r.pk: r for r in project_list(user=users["ministry"], filters=ProjectFilters(plan=plan.pk))}
        for p in projects:
            assert balances_of(rows[p.pk]) == project_balances(p)
        transaction.set_rollback(True)


def _many(n, plan, content):
    for i in range(n):
        project = make_project(12 if i % 2 else 80, plan=plan, status="in_progress",
                               due_date=datetime.date(2026, 1, 1))
        ProjectContent.objects.create(project=project, content=content, eligible_cost_vnd=10, requested_support_vnd=5,
                                      counterpart_vnd=5, quote_support_vnd=5, quoted_on=datetime.date(2026, 1, 1))
        LedgerEntry.objects.create(project=project, kind="APPROVED", amount_vnd=5, on_date=datetime.date(2026, 1, 1))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/projects/", "/projects/?late=1&fund=national", "/api/v1/projects?limit=100",
                                 "/projects/plans/", "/api/v1/plans"])
def test_lists_make_a_fixed_number_of_queries(client, rules, users, url):
    content = ContentItem.objects.get(code="machinery")
    plan = make_plan()
    client.force_login(users["ministry"])
    _many(3, plan, content)
    make_plan(year=2026)
    few = _queries(client, url)
    _many(27, plan, content)
    make_plan(year=2025)
    assert _queries(client, url) == few


def test_late_means_a_passed_deadline_of_an_open_step(users, national_plan):
    today = datetime.date(2026, 11, 22)
    late = make_project(12, due_date=datetime.date(2026, 5, 20))
    make_project(12, due_date=datetime.date(2026, 12, 1))
    make_project(12, due_date=datetime.date(2026, 5, 20), status="archived")
    make_project(12)
    rows = project_list(user=users["viewer"], filters=ProjectFilters(late=True), today=today)
    assert [p.pk for p in rows] == [late.pk]
    assert rows[0].late is True


def test_filters(users, national_plan, local_plan):
    a = make_project(12, title="Hỗ trợ máy sấy chè", kind="group")
    b = make_project(12, plan=local_plan, title="Mô hình dệt thổ cẩm", status="approved")
    make_project(80, title="Tây Ninh")
    viewer = users["viewer"]

    def ids(**kw):
        return {p.pk for p in project_list(user=viewer, filters=ProjectFilters(**kw))}

    assert ids() == {a.pk, b.pk}
    assert ids(q="may say che") == {a.pk}
    assert ids(q=a.code) == {a.pk}
    assert ids(fund="local") == {b.pk}
    assert ids(kind="group") == {a.pk}
    assert ids(status="approved") == {b.pk}
    assert ids(year=2026) == set()
    assert ids(year=2027) == {a.pk, b.pk}
    assert ids(province=80) == set()


def test_the_list_shows_the_newest_year_first_then_by_code(users):
    old, new = make_plan(year=2025), make_plan(year=2027)
    local = make_plan(year=2026, fund="local", province_code=12)
    made = [make_project(12, plan=plan) for plan in (old, new, local, new, old)]
    make_project(80, plan=new)  # Tây Ninh's: outside the viewer's province
    rows = list(project_list(user=users["viewer"]))
    assert [(p.year, p.code) for p in rows] == [
        (2027, "KCQG-2027-12-001"), (2027, "KCQG-2027-12-002"), (2026, "KCĐP-2026-12-001"),
        (2025, "KCQG-2025-12-001"), (2025, "KCQG-2025-12-002")]
    assert {p.pk for p in rows} == {p.pk for p in made}
    assert all(p.year == p.plan.year for p in rows)
    # On the project's own columns, so that the year-code index gives a page without sorting every project.
    assert project_list(user=users["viewer"]).query.order_by == ("-year", "code")


def test_to_do_lists_the_steps_of_the_users_roles(users, national_plan, local_plan):
    draft = make_project(12, title="Dự thảo")
    submitted = make_project(12, title="Đã gửi", status="submitted", due_date=datetime.date(2026, 6, 15))
    local_submitted = make_project(12, plan=local_plan, title="Địa phương đã gửi", status="submitted")
    approved = make_project(12, title="Đã duyệt", status="approved")
    make_project(80, title="Tây Ninh", status="submitted")

    def titles(who):
        return [p.title for p in projects_awaiting(user=users[who])]

    assert titles("centre") == [draft.title]
    assert titles("doit") == [submitted.title, local_submitted.title]  # the deadline first
    assert titles("manager") == [submitted.title, local_submitted.title]
    assert titles("ministry") == [approved.title]  # contract, suspend, stop of national projects, every province
    assert titles("finance") == [approved.title]
    assert titles("viewer") == []
