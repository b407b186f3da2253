"""The public page's rate limit holds across server processes: each process has its own cache objects, but the
"shared" cache is a database table they all see."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from khuyencong.core import ratelimit

from .. import spam

pytestmark = pytest.mark.django_db


def request_from(address: str):
    return RequestFactory().post("/network/apply/", REMOTE_ADDR=address)


def process_cache() -> DatabaseCache:
    """What a second gunicorn worker builds from the same settings: a new backend object on the same table."""
    return DatabaseCache("kc_shared_cache", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def test_the_budget_is_shared_by_two_processes(settings):
    settings.KC_NETWORK_APPLY_LIMIT = (4, 3600)
    first, second = process_cache(), process_cache()
    assert first is not second
    outcomes = [spam.over_limit(request_from("203.0.113.7"), store=store) for store in (first, second) * 3]
    assert outcomes == [False, False, False, False, True, True]
    # Another address has its own budget, in either process.
    assert spam.over_limit(request_from("203.0.113.8"), store=second) is False


def test_process_local_caches_would_not_hold_the_limit(settings):
    """Why the shared cache: with each process's own memory the same six requests all pass."""
    settings.KC_NETWORK_APPLY_LIMIT = (4, 3600)
    first, second = LocMemCache("worker-1", {}), LocMemCache("worker-2", {})
    outcomes = [spam.over_limit(request_from("203.0.113.9"), store=store) for store in (first, second) * 3]
    assert outcomes == [False] * 6


def test_the_page_uses_the_shared_cache_by_default(settings):
    settings.KC_NETWORK_APPLY_LIMIT = (1, 3600)
    assert spam.over_limit(request_from("198.51.100.1")) is False
    assert spam.over_limit(request_from("198.51.100.1"), store=process_cache()) is True


def test_a_slot_frees_itself_when_its_window_ends(settings):
    settings.KC_NETWORK_APPLY_LIMIT = (1, 3600)
    store = process_cache()
    request = request_from("198.51.100.2")
    assert spam.over_limit(request, store=store) is False
    assert spam.over_limit(request, store=store) is True
    key = f"kc-network-apply-{ratelimit.hashed('network-apply', '198.51.100.2')}-0"
    store.touch(key, timeout=-1)  # the window has passed
    assert spam.over_limit(request, store=store) is False


def test_zero_budget_refuses_everything(settings):
    settings.KC_NETWORK_APPLY_LIMIT = (0, 3600)
    assert spam.over_limit(request_from("198.51.100.3")) is True
