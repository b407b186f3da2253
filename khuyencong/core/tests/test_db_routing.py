"""Report reads on the replica, with read-your-writes (core/db_routing.py).

The test database has a second alias, "replica", mirroring the default one (as Django's test runner does for
DATABASE_REPLICA_URL): which connection ran a query tells where the router sent it."""

import copy
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core import db_routing
from khuyencong.geo.models import AdminUnit

REPLICA = db_routing.REPLICA
BOTH = ["default", REPLICA]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """A "replica" alias on the test database for this module's tests only (other modules' requests must not be
    routed to an alias their tests have not declared)."""
    added = REPLICA not in settings.DATABASES
    if added:
        replica = copy.deepcopy(connections["default"].settings_dict)
        replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
        settings.DATABASES[REPLICA] = replica
    with django_db_blocker.unblock():
        share_primary_session()
    yield
    if added:
        connections[REPLICA].connection = None
        del connections[REPLICA]
        del settings.DATABASES[REPLICA]


def share_primary_session():
    """The replica's connection on the primary's own session: a mirror that sees the test's transaction, as a
    replica sees committed rows (a second session would see neither the test's rows nor, on SQLite's shared
    in-memory database, be allowed to read the tables the test has written)."""
    primary, mirror = connections["default"], connections[REPLICA]
    primary.ensure_connection()
    mirror.connection = primary.connection
    return mirror


@pytest.fixture
def replica(db):
    return share_primary_session()


def test_reads_go_to_the_primary_unless_marked():
    assert router.db_for_read(User) == "default"
    with db_routing.report_reads():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_read(AdminUnit) == REPLICA
        assert db_routing.read_connection().alias == REPLICA
    assert router.db_for_read(User) == "default"
    assert db_routing.read_connection().alias == "default"


@pytest.mark.django_db(databases=BOTH)
def test_marked_reads_stay_on_the_primary_where_they_must():
    user = make_user(Role.MINISTRY_OFFICER, None)
    with db_routing.report_reads():
        assert router.db_for_write(User) == "default"
        assert router.db_for_read(Session) == "default"  # sessions: read where they are written
        assert router.db_for_read(User, instance=user) == "default"  # related rows of a row read from the primary
        with transaction.atomic():  # a read that prepares a write sees the primary
            assert router.db_for_read(User) == "default"
        assert router.db_for_read(User) == REPLICA


def test_nothing_is_routed_without_a_replica():
    kept = settings.DATABASES.pop(REPLICA)
    try:
        with db_routing.report_reads():
            assert router.db_for_read(User) == "default"
    finally:
        settings.DATABASES[REPLICA] = kept


def test_the_replica_takes_no_migration():
    assert router.allow_migrate(REPLICA, "projects") is False
    assert router.allow_migrate("default", "projects") is True


def _queries(client, url, **extra) -> tuple[int, int, object]:
    """(queries on the primary, queries on the replica, response) of one GET."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(url, **extra)
    return len(primary), len(replica), response


@pytest.fixture
def ministry(client, replica):
    user = make_user(Role.MINISTRY_OFFICER, None, username="cuc.replica")
    client.force_login(user)
    return user


@pytest.mark.django_db(databases=BOTH)
def test_a_dashboard_reads_the_replica_and_the_user_the_primary(client, ministry):
    primary, replica, response = _queries(client, reverse("reporting_dashboard"))
    assert response.status_code == 200
    assert replica > 0
    assert primary >= 2  # the session and the user, read before the mark
    assert response.wsgi_request.kc_report_read is not None


@pytest.mark.django_db(databases=BOTH)
def test_unmarked_pages_read_only_the_primary(client, ministry):
    _primary, replica, response = _queries(client, reverse("project_list"))
    assert response.status_code == 200
    assert replica == 0


@pytest.mark.django_db(databases=BOTH)
def test_a_write_keeps_the_writer_on_the_primary_then_lets_go(client, ministry):
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies[settings.KC_PRIMARY_COOKIE]
    assert cookie["max-age"] == settings.KC_READ_YOUR_WRITES_SECONDS
    assert float(cookie.value) > time.time()

    _primary, replica, response = _queries(client, reverse("reporting_dashboard"))
    assert response.status_code == 200
    assert replica == 0  # just wrote: the primary

    client.cookies[settings.KC_PRIMARY_COOKIE] = f"{time.time() - 1:.3f}"  # the window has passed
    _primary, replica, _response = _queries(client, reverse("reporting_dashboard"))
    assert replica > 0


@pytest.mark.django_db(databases=BOTH)
def test_a_refused_write_or_a_read_keeps_no_one_on_the_primary(client, ministry):
    refused = client.post(reverse("report_act", args=[999_999, "submit"]))  # no such report
    assert refused.status_code >= 400
    assert settings.KC_PRIMARY_COOKIE not in refused.cookies
    read = client.get(reverse("project_list"))
    assert settings.KC_PRIMARY_COOKIE not in read.cookies


@pytest.mark.django_db(databases=BOTH)
def test_a_decorated_view_reads_the_replica_and_a_post_to_it_does_not(rf, ministry):
    seen = []

    @db_routing.replica_reads
    def view(request):
        seen.append(router.db_for_read(User))
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = db_routing.ReplicaReadsMiddleware(lambda request: middleware.process_view(request, view, (), {})
                                                   or view(request))
    for method in ("get", "post"):
        request = getattr(rf, method)("/x/")
        request.user = ministry
        middleware(request)
    assert seen == [REPLICA, "default"]
    assert router.db_for_read(User) == "default"  # the mark ends with the request
