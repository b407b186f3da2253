"""Spam handling for the public application page: a per-address rate limit in the cache every server process shares
(``CACHES["shared"]``, a database table) and a keyed hash of the address (the raw address is never stored)."""

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

# (submissions, seconds) per client address; a setting, as each deployment sees different traffic.
DEFAULT_LIMIT = (10, 3600)
CACHE_ALIAS = "shared"


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(request) -> str:
    return salted_hmac("khuyencong.network.apply", client_address(request), algorithm="sha256").hexdigest()


def over_limit(request, bucket: str = "apply", *, store=None) -> bool:
    """Counts this request against the address's budget; True once the budget of the window is spent.

    The budget is ``limit`` slots per address, each taken with the cache's atomic ``add`` (an insert against the
    table's primary key in the database cache) and freed ``window`` seconds later: two processes can never take the
    same slot, so no more than ``limit`` submissions pass in any window, whichever processes serve them. A plain
    read-increment-write counter would lose counts between processes."""
    store = store or caches[CACHE_ALIAS]
    limit, window = getattr(settings, "KC_NETWORK_APPLY_LIMIT", DEFAULT_LIMIT)
    if limit < 1:
        return True
    base = f"kc-network-{bucket}-{address_hash(request)}"
    keys = [f"{base}-{slot}" for slot in range(limit)]
    taken = store.get_many(keys)
    return not any(key not in taken and store.add(key, 1, timeout=window) for key in keys)
