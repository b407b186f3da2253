"""Spam handling for the public application page: a per-address rate limit in Django's cache and a keyed hash of
the address (the raw address is never stored)."""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

# (submissions, seconds) per client address; a setting, as each deployment sees different traffic.
DEFAULT_LIMIT = (10, 3600)


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(request) -> str:
    return salted_hmac("khuyencong.network.apply", client_address(request), algorithm="sha256").hexdigest()


def over_limit(request, bucket: str = "apply") -> bool:
    """Counts this request against the address's budget; True once the budget of the window is spent."""
    limit, window = getattr(settings, "KC_NETWORK_APPLY_LIMIT", DEFAULT_LIMIT)
    key = f"kc-network-{bucket}-{address_hash(request)}"
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit
