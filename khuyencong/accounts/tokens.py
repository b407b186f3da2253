"""API tokens: what a user is given once (`kc_…`) and what is stored (its SHA-256 digest and first characters).

The API's authentication (api/auth.py) looks a token up by its digest and asks `token_refusal` whether it still
works; accounts' services issue and revoke them. A token works until it expires, while its user is active and while
the user's password hash is the one it was issued under. Wrong tokens are counted per client address in the cache
every server process shares; past the limit the address is refused for a while (`guessing_blocked`).
"""

import datetime
import hashlib
import logging
import math
import secrets

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.cache import caches
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.audit import audit_record, register_action_labels
from khuyencong.core.errors import DomainError

from .models import ApiToken, TokenRevocation, User
from .throttling import client_ip

logger = logging.getLogger(__name__)

TOKEN_PREFIX_LEN = 8
# The lifetimes offered when a token is created, in days; KC_API_TOKEN_MAX_DAYS removes the longer ones.
TOKEN_LIFETIMES = (30, 90, 180, 365)
DEFAULT_LIFETIME = 90
# (failures, seconds): wrong tokens one client address may send in a window before it is refused.
DEFAULT_FAILURE_LIMIT = (20, 600)
CACHE_ALIAS = "shared"
_FINGERPRINT_SALT = "khuyencong.accounts.tokens.password_fingerprint"
_ADDRESS_SALT = "khuyencong.accounts.tokens.address"

register_action_labels({
    "api_token.create": gettext_lazy("API token created"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "api_token.guessing_blocked": gettext_lazy("Address refused for a while after too many wrong API tokens"),
})


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return "kc_" + secrets.token_urlsafe(32)


def lifetime_choices() -> list[int]:
    """The lifetimes a user may choose, in days, within the deployment's cap."""
    cap = settings.KC_API_TOKEN_MAX_DAYS
    return [days for days in TOKEN_LIFETIMES if days <= cap] or [max(cap, 1)]


def default_lifetime() -> int:
    return min(DEFAULT_LIFETIME, max(lifetime_choices()))


def expiry_for(days: int, *, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=days)


# --- The password a token was issued under

def password_fingerprint(user: User, *, secret: str | None = None) -> str:
    """A keyed hash of the user's password hash: it changes whenever the password is set, however it is set."""
    return salted_hmac(_FINGERPRINT_SALT, user.password, secret=secret, algorithm="sha256").hexdigest()


def fingerprint_matches(token: ApiToken, user: User) -> bool:
    # Tokens issued before a SECRET_KEY rotation keep working while the old key is listed in SECRET_KEY_FALLBACKS,
    # as Django does for sessions.
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if constant_time_compare(token.password_fingerprint, password_fingerprint(user, secret=secret)):
            return True
    return False


def is_hash_upgrade(old_hash: str) -> bool:
    """Whether Django would re-hash a correct password stored as `old_hash` at sign-in (a new hasher or more
    iterations): the password is the same, so the user's tokens must survive the new hash."""
    try:
        hasher = identify_hasher(old_hash)
    except ValueError:
        return False
    preferred = get_hasher("default")
    return hasher.algorithm != preferred.algorithm or preferred.must_update(old_hash)


# --- Whether a token still works

class TokenRefused(DomainError):
    """A known token that no longer works: the caller holds the secret, so it is told why."""

    code = "token_refused"
    http_status = 401


class TooManyTokenFailures(DomainError):
    code = "too_many_token_failures"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _date(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y")


class TokenState:
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = TokenRevocation.BY_USER.value
    PASSWORD_CHANGED = TokenRevocation.PASSWORD_CHANGED.value
    ACCOUNT_DISABLED = TokenRevocation.ACCOUNT_DISABLED.value


def token_state(token: ApiToken, *, user: User, now: datetime.datetime | None = None) -> str:
    """Whether `token` (of `user`) works at `now`, or the first reason it does not (a `TokenState`)."""
    if token.revoked_at is not None:
        return token.revoked_reason or TokenState.REVOKED
    if not user.is_active:
        return TokenState.ACCOUNT_DISABLED
    if not fingerprint_matches(token, user):
        return TokenState.PASSWORD_CHANGED
    if token.expires_at <= (now or timezone.now()):
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def token_refusal(token: ApiToken, *, user: User, now: datetime.datetime | None = None) -> TokenRefused | None:
    """The error the API answers with when `token` does not work at `now`; None when it does."""
    state = token_state(token, user=user, now=now)
    if state == TokenState.ACTIVE:
        return None
    if state == TokenState.EXPIRED:
        return TokenRefused(
            _("This API token expired on %(date)s. Create a new one on your account page.")
            % {"date": _date(token.expires_at)},
            code="token_expired",
        )
    if state == TokenState.PASSWORD_CHANGED:
        return TokenRefused(
            _("This API token no longer works because the account's password was changed. Create a new one on "
              "your account page."),
            code="token_revoked",
        )
    if state == TokenState.ACCOUNT_DISABLED:
        return TokenRefused(_("The account this API token belongs to is disabled."), code="account_disabled")
    return TokenRefused(_("This API token was revoked on %(date)s.") % {"date": _date(token.revoked_at)},
                        code="token_revoked")


# --- Wrong tokens per client address

def client_address(request) -> str:
    """The client's address, read as sign-in throttling reads it (REMOTE_ADDR, or behind KC_PROXY_COUNT proxies the
    address the farthest of them saw)."""
    return client_ip(request) or "unknown"


def _limit() -> tuple[int, int]:
    return getattr(settings, "KC_API_TOKEN_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT)


def _keys(address: str) -> tuple[str, list[str]]:
    base = "kc-api-token-" + salted_hmac(_ADDRESS_SALT, address, algorithm="sha256").hexdigest()
    limit, _window = _limit()
    return f"{base}-blocked", [f"{base}-failure-{slot}" for slot in range(max(limit, 1))]


def guessing_blocked(address: str, *, store=None) -> int:
    """Seconds until `address` may send bearer tokens again; 0 if it may now."""
    store = store or caches[CACHE_ALIAS]
    blocked_key, _slots = _keys(address)
    until = store.get(blocked_key)
    if until is None:
        return 0
    return max(math.ceil(until - timezone.now().timestamp()), 1)


def guessing_record_failure(address: str, *, store=None) -> bool:
    """Counts a wrong token sent from `address`; True when that was the last one its window allows, and the
    address is refused from now until the window has passed.

    Each failure takes one of `limit` slots with the cache's atomic `add` (an insert against the table's primary
    key in the database cache), freed `window` seconds later, so processes serving the same address never lose a
    count (the same scheme as the public application page's limit)."""
    store = store or caches[CACHE_ALIAS]
    limit, window = _limit()
    blocked_key, slots = _keys(address)
    taken = store.get_many(slots)
    free = [key for key in slots if key not in taken]
    took = next((key for key in free if store.add(key, 1, timeout=window)), None)
    if took is not None and len(free) > 1:
        return False
    until = timezone.now().timestamp() + window
    if store.add(blocked_key, until, timeout=window):
        audit_record(actor=None, action="api_token.guessing_blocked", changes={"address": address})
        logger.warning("API: %s wrong tokens from %s within %s s; its bearer requests are refused for %s s",
                       limit, address, window, window)
    return True
