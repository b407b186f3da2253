"""The indicator aggregates are read once per state of the database (PostgreSQL) and never served stale."""

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.scope import Scope
from khuyencong.accounts.tests.factories import make_user
from khuyencong.reporting import aggregate_cache, selectors

from .scope_cases_dashboards import make_figures

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="SQLite has no snapshot to name: nothing is kept")


def _aggregates(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"] or "COUNT(" in q["sql"]
            or "SUM(" in q["sql"]]


def _commit_elsewhere() -> None:
    """Another session writes and commits (the test's own transaction stays open)."""
    s = connection.settings_dict
    with psycopg.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                         host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True) as other:
        other.execute("CREATE TEMPORARY TABLE kc_probe (n int)")
        other.execute("INSERT INTO kc_probe VALUES (1)")  # takes a transaction id: the snapshot moves on


def _reader() -> User:
    """A national reader whose roles are known, so that this test's transaction writes nothing (a saved user would
    give it a transaction id, and then nothing is kept: the next test)."""
    user = User(username="cuc.reader")
    user._kc_scope = Scope(national=True, roles=frozenset({Role.MINISTRY_OFFICER}))
    return user


@postgresql_only
def test_the_same_state_is_read_once_and_any_commit_reads_again():
    user = _reader()
    with CaptureQueriesContext(connection) as first:
        rows = selectors.indicator_table(user=user, period="2026")
    assert _aggregates(first)
    with CaptureQueriesContext(connection) as again:
        assert selectors.indicator_table(user=user, period="2026") == rows
    assert _aggregates(again) == []  # kept: only the state of the database was read
    _commit_elsewhere()
    with CaptureQueriesContext(connection) as after:
        assert selectors.indicator_table(user=user, period="2026") == rows
    assert len(_aggregates(after)) == len(_aggregates(first))  # another state: read again


@postgresql_only
def test_nothing_is_kept_once_the_transaction_has_written():
    """Rows written by this transaction are not named by its snapshot: reads after them must go to the tables."""
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.cache2")
    assert aggregate_cache.database_state() is None  # make_user wrote in this test's transaction
    before = {r.code: r.value for r in selectors.indicator_table(user=user, period="2026")}
    make_figures(12)
    after = {r.code: r.value for r in selectors.indicator_table(user=user, period="2026")}
    assert after["kc_allocated"] > before["kc_allocated"]
    with CaptureQueriesContext(connection) as again:
        selectors.indicator_table(user=user, period="2026")
    assert _aggregates(again)


@postgresql_only
def test_a_read_only_transaction_names_its_snapshot():
    state = aggregate_cache.database_state()
    assert state is not None and state.count(":") == 2  # "xmin:xmax:in-progress"
    assert aggregate_cache.database_state() == state  # nothing committed in between


def test_sqlite_keeps_nothing():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL names its snapshots")
    assert aggregate_cache.database_state() is None
    calls = []
    for _ in range(2):
        aggregate_cache.read(("probe",), lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]
