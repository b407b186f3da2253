"""Report and dashboard reads on the read replica, with read-your-writes.

A deployment with `DATABASE_REPLICA_URL` has a second database alias, "replica" (a PostgreSQL streaming replica,
docs/deployment.md). Nothing reads it unless a request is marked as a report read:

- `ReplicaReadsMiddleware` marks the GET and HEAD requests whose view is named in `KC_REPLICA_VIEWS` (URL names) or
  decorated with `@replica_reads`; the mark lasts while the view runs, and the user and the session are read from
  the primary before it is set (a logout or a password change elsewhere is seen at once);
- `ReplicaRouter` then sends the ORM's reads to "replica", except inside a transaction opened on the primary since
  the mark (a read that prepares a write must see the primary) and for an instance read from the primary;
- read-your-writes: a successful POST, PUT, PATCH or DELETE sets the cookie `KC_PRIMARY_COOKIE` for
  `KC_READ_YOUR_WRITES_SECONDS` (10 by default); while a browser sends it, its reports read the primary, so a user
  sees a change they have just made even if the replica replays it a moment later.

Writes always go to the primary. Raw SQL of a marked request reads `read_connection()`.
"""

import time
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Read where they are written, whatever the request: the database cache (its add() must be atomic) and the sessions.
PRIMARY_ONLY_APPS = frozenset({"django_cache", "sessions"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# None outside report reads; inside, how many transactions were open on the primary when the mark was set.
_report_read: ContextVar[int | None] = ContextVar("kc_report_read", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The alias the reads of the current code go to: "replica" in a marked request, unless a transaction has been
    opened on the primary since the mark; "default" otherwise."""
    depth = _report_read.get()
    if depth is None or not replica_configured():
        return DEFAULT_DB_ALIAS
    if len(connections[DEFAULT_DB_ALIAS].atomic_blocks) > depth:
        return DEFAULT_DB_ALIAS  # a transaction opened since the mark
    return REPLICA


def _primary_depth() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


def read_connection():
    """The connection for raw SQL that must see the same data as the ORM's reads (e.g. naming the snapshot)."""
    return connections[read_alias()]


class report_reads:
    """Mark the code inside as report reads (a context manager; the middleware uses it for a marked view)."""

    def __enter__(self):
        self._token = _report_read.set(_primary_depth())
        return self

    def __exit__(self, *exc):
        _report_read.reset(self._token)
        return False


class ReplicaRouter:
    """Reads of a marked request go to the replica; everything else to the primary (docstring of the module)."""

    def db_for_read(self, model, **hints):
        alias = read_alias()
        if alias == DEFAULT_DB_ALIAS or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None  # Django's own choice: the instance's database, or the primary
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS  # related rows of a row read from the primary come from the primary
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: an object from either may point to one from the other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db != REPLICA else False  # a streaming replica takes its schema from the primary


def replica_reads(view):
    """Decorator: the view's GET and HEAD requests read the replica (see ReplicaReadsMiddleware)."""
    view.kc_replica_reads = True
    return view


def primary_until(request) -> float:
    try:
        return float(request.COOKIES.get(settings.KC_PRIMARY_COOKIE, 0))
    except ValueError:
        return 0.0


def is_marked(request, view_func) -> bool:
    if request.method not in SAFE_METHODS or not replica_configured():
        return False
    if getattr(view_func, "kc_replica_reads", False):
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and match.view_name in settings.KC_REPLICA_VIEWS)


class ReplicaReadsMiddleware:
    """Marks report reads and keeps a writer on the primary for a while (module docstring). After
    AuthenticationMiddleware, so that the user it reads first is read from the primary. The mark is set when the view
    is known (process_view) and lifted when the response, rendered, comes back through here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.kc_report_read = None
        try:
            response = self.get_response(request)
        finally:
            if request.kc_report_read is not None:
                _report_read.reset(request.kc_report_read)
        if request.method not in READ_ONLY_METHODS and response.status_code < 400 and replica_configured():
            remember_write(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_marked(request, view_func) or primary_until(request) > time.time():
            return None
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 — reads the session and the user on the primary, before the mark
        request.kc_report_read = _report_read.set(_primary_depth())
        return None


def remember_write(response) -> None:
    seconds = settings.KC_READ_YOUR_WRITES_SECONDS
    if seconds <= 0:
        return
    response.set_cookie(settings.KC_PRIMARY_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds,
                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def wraps_report_reads(func):
    """Decorator for code outside a request (a task building a report): its reads go to the replica."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with report_reads():
            return func(*args, **kwargs)

    return wrapper
