"""schemathesis drives every operation of the OpenAPI document against the demo data, as a national user with a
bearer token: no answer may be a 500 or differ from the document.

Each operation gets a few examples (deterministic) plus schemathesis' boundary cases (the coverage phase), valid and
invalid. The demo data is seeded once for the module inside a transaction rolled back at the end; each operation
runs in a savepoint of its own, so the writes it tries leave nothing for the next. The module runs in one xdist
worker (`--dist loadfile`)."""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from khuyencong.accounts.models import Role
from khuyencong.accounts.services import api_token_create
from khuyencong.accounts.tests.factories import make_user
from khuyencong.api.api import api

CONFIG = schemathesis.Config.from_dict({
    "generation": {
        "mode": "all",  # valid requests, and invalid ones that must get a 4xx, not a 500
        "max-examples": 6,
        "deterministic": True,
        "database": "none",  # no .hypothesis folder
        "with-security-parameters": False,  # the token is ours; a fuzzed one would only test the 401
    },
})

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
# The requests go through Django's whole stack (middleware, URLs, the API) in this process and this transaction.
schema.app = WSGIHandler()


@pytest.fixture(scope="module")
def token(django_db_setup, django_db_blocker):
    # Django closes the database connection at the end of each request it serves; the test's transaction would go.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("seed_demo", stdout=io.StringIO())
            user = make_user(role=Role.MINISTRY_OFFICER, province_code=None)
            _token, raw = api_token_create(actor=user, user=user)
            yield raw
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case, token, db):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                      checks=[not_a_server_error, response_schema_conformance])
    assert response.status_code != 401, response.text  # the token is valid: every request is really tried
