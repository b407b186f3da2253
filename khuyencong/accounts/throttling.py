"""Sign-in throttling, on django-axes.

Failed sign-ins are counted per account (from any address) and per address (for any account); past
`AXES_FAILURE_LIMIT` failures of either, the password is no longer even tried until the wait is over. The wait grows
with the failures of the last 24 hours: `KC_LOGIN_COOLOFF_MINUTES` at the limit, doubled for every further limit's
worth, at most `KC_LOGIN_COOLOFF_MAX_HOURS`. Every try during the wait counts as a failure and starts it again. A
system administrator lifts a lock on the lockouts page (`login_lockout_lift`), which also forgets the failures the
next wait would grow from; deleting the counters in the administration site lifts it too, but keeps that memory.

axes keeps the counters (`AccessAttempt`, each ending at its own cool-off) and the failure log (`AccessFailureLog`,
the memory the wait grows from) in the database, so every server process and machine sees the same counts."""

import datetime
import ipaddress
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from khuyencong.core.audit import audit_record, register_action_labels
from khuyencong.core.errors import NotFound, PermissionDenied

from .models import Role
from .scope import holds_role

FAILURE_MEMORY = datetime.timedelta(hours=24)

register_action_labels({"auth.lockout_lift": gettext_lazy("Sign-in lock lifted")})


class ThrottleBackend(AxesStandaloneBackend):
    """axes' check before the password is tried. A sign-in made without a request (the test client's `login()`, a
    script) has no address and cannot be counted, but it still may not open an account that is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request if request is not None else HttpRequest(), username=username,
                                    password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `KC_PROXY_COUNT` proxies the entry the farthest of them appended
    to X-Forwarded-For (the entries left of it are whatever the client sent)."""
    count = settings.KC_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def _client(request) -> tuple[str | None, str | None]:
    username = get_client_username(request, getattr(request, "axes_credentials", None))
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    return username, address


def recent_failures(username: str | None, address: str | None, *, now=None) -> int:
    """Failures of the account or of the address in the last 24 hours, whichever is more."""
    since = (now or timezone.now()) - FAILURE_MEMORY
    counts = [0]
    for field, value in (("username", username), ("ip_address", address)):
        if value:
            counts.append(AccessFailureLog.objects.filter(**{field: value}, attempt_time__gte=since).count())
    return max(counts)


def cool_off_for(failures: int) -> datetime.timedelta:
    base = datetime.timedelta(minutes=settings.KC_LOGIN_COOLOFF_MINUTES)
    longest = datetime.timedelta(hours=settings.KC_LOGIN_COOLOFF_MAX_HOURS)
    doublings = max(failures // max(settings.AXES_FAILURE_LIMIT, 1) - 1, 0)
    return min(base * 2 ** min(doublings, 16), longest)


def login_cool_off(request=None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long the client of this request waits once locked."""
    if request is None:
        return cool_off_for(0)
    return cool_off_for(recent_failures(*_client(request)))


def wait_text(wait: datetime.timedelta) -> str:
    """"15 phút", "2 giờ", "1 giờ 30 phút"."""
    minutes = max(int(wait.total_seconds() + 59) // 60, 1)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Vietnamese page, HTTP 429."""
    wait = login_cool_off(request)
    return render(request, "accounts/locked_out.html", {"wait": wait_text(wait)}, status=429)


# --- the lockouts page

@dataclass(frozen=True)
class Lockout:
    attempt: AccessAttempt
    account_failures: int
    address_failures: int
    locked: bool


def can_lift_lockouts(user) -> bool:
    return holds_role(user, Role.SYSTEM_ADMIN)


def lockout_list(*, user) -> list[Lockout]:
    """The counters still running, newest first, each with the totals that lock its account and its address."""
    if not can_lift_lockouts(user):
        raise PermissionDenied(_("Only system administrators can see and lift sign-in locks."))
    limit = settings.AXES_FAILURE_LIMIT
    attempts = list(AccessAttempt.objects.order_by("-attempt_time")[:200])
    by_account = dict(
        AccessAttempt.objects.filter(username__in={a.username for a in attempts if a.username})
        .values_list("username").annotate(total=Sum("failures_since_start"))
    )
    by_address = dict(
        AccessAttempt.objects.filter(ip_address__in={a.ip_address for a in attempts if a.ip_address})
        .values_list("ip_address").annotate(total=Sum("failures_since_start"))
    )
    rows = []
    for attempt in attempts:
        account = by_account.get(attempt.username, 0)
        address = by_address.get(attempt.ip_address, 0)
        rows.append(Lockout(attempt, account, address, locked=max(account, address) >= limit))
    return rows


def login_lockout_lift(*, actor, attempt_id: int) -> int:
    """Lifts the lock of a counter's account and address: their counters and their failures of the last 24 hours
    (so the next wait starts short again). The sign-in attempts stay in the audit trail. Returns the counters
    removed."""
    if not can_lift_lockouts(actor):
        raise PermissionDenied(_("Only system administrators can see and lift sign-in locks."))
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound(_("This sign-in lock has already been lifted or has ended."))
    username, address = attempt.username, attempt.ip_address
    match = Q(username=username) | Q(ip_address=address) if address else Q(username=username)
    with transaction.atomic():
        removed, _detail = AccessAttempt.objects.filter(match).delete()
        AccessFailureLog.objects.filter(match, attempt_time__gte=timezone.now() - FAILURE_MEMORY).delete()
        user = get_user_model()._default_manager.filter(username=username).first() if username else None
        audit_record(actor=actor, action="auth.lockout_lift", obj=user, object_repr=username or address or "",
                     changes={"username": username or "", "address": address or ""})
    return removed
