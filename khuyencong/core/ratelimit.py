"""A budget of requests per key in a window, in the cache every server process shares (``CACHES["shared"]``, a
database table). Keys are keyed hashes (an address or an e-mail address is never stored as typed).

The budget is ``limit`` slots per key, each taken with the cache's atomic ``add`` (an insert against the table's
primary key in the database cache) and freed ``window`` seconds later: two processes can never take the same slot, so
no more than ``limit`` requests pass in any window, whichever processes serve them. A plain read-increment-write
counter would lose counts between processes."""

from django.core.cache import caches
from django.utils.crypto import salted_hmac

CACHE_ALIAS = "shared"


def hashed(purpose: str, value: str) -> str:
    return salted_hmac(f"khuyencong.{purpose}", value, algorithm="sha256").hexdigest()


def over_limit(purpose: str, value: str, limit: tuple[int, int], *, store=None) -> bool:
    """Counts one request of `value` (an address, an e-mail address) against its budget for `purpose`; True once the
    budget of the window is spent. `limit` is (requests, seconds)."""
    store = store or caches[CACHE_ALIAS]
    count, window = limit
    if count < 1:
        return True
    base = f"kc-{purpose}-{hashed(purpose, value)}"
    keys = [f"{base}-{slot}" for slot in range(count)]
    taken = store.get_many(keys)
    return not any(key not in taken and store.add(key, 1, timeout=window) for key in keys)
