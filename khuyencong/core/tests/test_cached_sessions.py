"""Sessions kept in the shared cache in front of the database (config/settings.py with REDIS_URL): a logout and a
password change still end the other sessions at once. The shared cache is Redis in production; here it is Django's
local-memory backend behind the same cache API, in one process, which is all a single test client needs."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

PASSWORD = "mat-khau-cu-2026"
SHARED = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kc-default"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kc-sessions"},
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("cached_sessions"),
]


@pytest.fixture
def cached_sessions():
    with override_settings(CACHES=SHARED, SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
                           SESSION_CACHE_ALIAS="shared"):
        yield
        caches["shared"].clear()


@pytest.fixture
def staff():
    user = make_user(Role.CENTRE_STAFF, 12, username="ttkc.phien")
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_session_is_read_from_the_cache(staff):
    client = signed_in(staff)
    key = client.session.session_key
    assert caches["shared"].get(KEY_PREFIX + key) is not None
    assert Session.objects.filter(session_key=key).exists()  # and written to the database
    assert client.get(reverse("home")).status_code == 200


def test_a_logout_ends_the_session_everywhere(staff):
    client = signed_in(staff)
    key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302

    stolen = Client()  # the same cookie from another browser, or through another app server
    stolen.cookies["sessionid"] = key
    response = stolen.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert caches["shared"].get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()


def test_a_password_change_ends_the_other_sessions_at_once(staff):
    here, elsewhere = signed_in(staff), signed_in(staff)
    assert elsewhere.get(reverse("home")).status_code == 200
    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "mat-khau-moi-2026-x", "new_password2": "mat-khau-moi-2026-x",
    })
    assert response.status_code == 302, response.content[:500]

    refused = elsewhere.get(reverse("home"))
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("login"))
    assert here.get(reverse("home")).status_code == 200  # the session that changed it goes on
