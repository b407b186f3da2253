"""The aggregates of the indicator sources, kept for as long as the database has not changed (PostgreSQL).

A dashboard reads about thirty aggregates over the national tables (~300 ms at the national scale); most of its
readers see the same data as the last one. PostgreSQL names what a statement sees: its snapshot
(`pg_current_snapshot()`, "xmin:xmax:in-progress ids") decides which transactions are visible, so two statements
with the same snapshot see the same rows, and any write committed since changes it. The aggregates are therefore
kept in the process's cache under the snapshot they were read in: invalidated by every commit to the database
(whatever the table: coarse, but never stale), with no trigger and nothing for the writers to do.

Not kept: inside a transaction that has written (its own rows are not part of the snapshot's name), and on SQLite
(no such name: every read goes to the database).
"""

import hashlib

from django.core.cache import caches

from khuyencong.core.db_routing import read_connection

TIMEOUT = 15 * 60  # seconds; a snapshot no reader will see again just ages out


def database_state() -> str | None:
    """The name of the data the next statement sees, or None where aggregates must not be kept. Asked of the
    database the figures are read from: the replica for a report read (`core.db_routing`), else the primary."""
    connection = read_connection()
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL")
        snapshot, read_only = cursor.fetchone()
    return snapshot if read_only else None


_ASK = object()


def read(parts: tuple, compute, snapshot=_ASK):
    """compute(), or what it returned in the same state of the database (`database_state()`, read here unless
    given). `parts` must name everything the result depends on besides the data."""
    snapshot = database_state() if snapshot is _ASK else snapshot
    kept = get(snapshot, parts)
    if kept is None:
        kept = compute()
        put(snapshot, parts, kept)
    return kept


def _key(snapshot: str, parts: tuple) -> str:
    return "kc-agg:" + hashlib.sha256(repr((snapshot, parts)).encode()).hexdigest()


def get(snapshot: str | None, parts: tuple):
    return None if snapshot is None else caches["default"].get(_key(snapshot, parts))


def put(snapshot: str | None, parts: tuple, value) -> None:
    if snapshot is not None:
        caches["default"].set(_key(snapshot, parts), value, TIMEOUT)
