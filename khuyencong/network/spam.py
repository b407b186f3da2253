"""Spam handling for the public application page: a per-address rate limit in the cache every server process shares
(``CACHES["shared"]``, a database table) and a keyed hash of the address (the raw address is never stored)."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from khuyencong.core import ratelimit

# (submissions, seconds) per client address; a setting, as each deployment sees different traffic.
DEFAULT_LIMIT = (10, 3600)


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(request) -> str:
    return salted_hmac("khuyencong.network.apply", client_address(request), algorithm="sha256").hexdigest()


def over_limit(request, bucket: str = "apply", *, store=None) -> bool:
    """Counts this request against the address's budget (`core.ratelimit`); True once the window's budget is spent."""
    limit = getattr(settings, "KC_NETWORK_APPLY_LIMIT", DEFAULT_LIMIT)
    return ratelimit.over_limit(f"network-{bucket}", client_address(request), limit, store=store)
