"""API authentication: the browser's session, or a per-user token sent as `Authorization: Bearer <token>`."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from khuyencong.accounts.models import ApiToken
from khuyencong.accounts.tokens import (
    TooManyTokenFailures,
    client_address,
    guessing_blocked,
    guessing_record_failure,
    token_digest,
    token_refusal,
)

# A token's last use is written at most this often: a program calling many times a minute costs no write each time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """A bearer token. An address that sent too many wrong tokens is refused (429) for any token until its window
    passes; a known token that no longer works is refused (401) with the reason; an unknown one counts against the
    address and lets the session be tried."""

    def authenticate(self, request, token):
        address = client_address(request)
        if wait := guessing_blocked(address):
            raise _too_many(wait)
        found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if found is None:
            if guessing_record_failure(address):
                raise _too_many(settings.KC_API_TOKEN_FAILURE_LIMIT[1])
            return None
        now = timezone.now()
        if refusal := token_refusal(found, user=found.user, now=now):
            raise refusal
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def _too_many(seconds: int) -> TooManyTokenFailures:
    minutes = max(1, -(-seconds // 60))
    return TooManyTokenFailures(
        _("Too many wrong API tokens were sent from your address. Try again in %(minutes)s minutes.")
        % {"minutes": minutes},
        retry_after=seconds,
    )


class SessionAuth(APIKeyCookie):
    """Django's session cookie, with CSRF checked for unsafe methods."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


API_AUTH = [TokenAuth(), SessionAuth()]


def document_auth_errors(schema: dict) -> dict:
    """Adds to every operation that needs authentication the answers TokenAuth and SessionAuth give: 401 (no valid
    session or token, with the reason for a known token) and 429 (too many wrong tokens from the address)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["AuthError"] = {
        "title": "AuthError",
        "type": "object",
        "properties": {
            "code": {"type": "string", "title": "Code", "description": (
                "unauthenticated, token_expired, token_revoked, account_disabled or too_many_token_failures")},
            "detail": {"type": "string", "title": "Detail", "description": "Vietnamese, for people"},
        },
        "required": ["code", "detail"],
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/AuthError"}}}
    answers = {
        "401": {"description": (
            "Chưa đăng nhập hoặc mã API không hợp lệ: `unauthenticated` (không có hoặc sai), `token_expired` (hết "
            "hạn), `token_revoked` (đã thu hồi, hoặc mật khẩu đã đổi), `account_disabled` (tài khoản bị khóa). / "
            "Not signed in, or the token does not work; `detail` says why."), "content": content},
        "429": {"description": (
            "Quá nhiều mã API sai từ cùng một địa chỉ: mọi yêu cầu có mã API từ địa chỉ đó bị từ chối đến hết "
            "khoảng thời gian (header `Retry-After`, giây). / Too many wrong tokens from this address."),
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
            "content": content},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and operation.get("security"):
                for status, answer in answers.items():
                    operation.setdefault("responses", {}).setdefault(status, answer)
    return schema
