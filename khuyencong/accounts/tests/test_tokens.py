"""API tokens: they expire, they end with the password they were issued under and with the account, their last use
is shown, and an address that sends wrong tokens is refused for a while."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.cache.backends import db as db_cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings

from khuyencong.accounts import services, tokens
from khuyencong.accounts.models import ApiToken, Role, TokenRevocation, User
from khuyencong.core.errors import InvalidInput
from khuyencong.core.models import AuditEvent

from .factories import PASSWORD, UserFactory, make_user

pytestmark = pytest.mark.django_db

LAI_CHAU = 12
NEW_PASSWORD = "Mot-mat-khau-moi-rat-dai-2026"


class FastPBKDF2(PBKDF2PasswordHasher):
    """The default hasher with few iterations, so that a test can upgrade a hash quickly."""

    iterations = 1_000


def _me(client, raw, address="198.51.100.10", **extra):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=address, **extra)


def _officer():
    return make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)


@pytest.fixture
def clock(monkeypatch):
    """Moves the time the code and the database cache read forward, without sleeping."""
    real_now = timezone.now

    def advance(**delta):
        moved = real_now() + datetime.timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moved)
        monkeypatch.setattr(db_cache, "tz_now", lambda: moved)

    return advance


# --- Expiry


def test_a_token_lasts_ninety_days_by_default():
    user = _officer()
    before = timezone.now()
    token, _raw = services.api_token_create(actor=user, user=user)
    assert before + datetime.timedelta(days=90) <= token.expires_at <= timezone.now() + datetime.timedelta(days=90)


@pytest.mark.parametrize("days", [30, 90, 180, 365])
def test_the_lifetime_is_chosen_at_creation(days):
    user = _officer()
    token, _raw = services.api_token_create(actor=user, user=user, days=days)
    assert abs(token.expires_at - token.created_at - datetime.timedelta(days=days)) < datetime.timedelta(minutes=1)


def test_a_lifetime_beyond_the_cap_is_refused(settings):
    settings.KC_API_TOKEN_MAX_DAYS = 100
    user = _officer()
    assert tokens.lifetime_choices() == [30, 90]
    with pytest.raises(InvalidInput) as refused:
        services.api_token_create(actor=user, user=user, days=180)
    assert refused.value.message == tr("A token is valid for %(choices)s days.") % {"choices": "30, 90"}
    assert refused.value.field == "days"
    assert not ApiToken.objects.exists()


def test_a_lifetime_not_offered_is_refused():
    user = _officer()
    with pytest.raises(InvalidInput):
        services.api_token_create(actor=user, user=user, days=7)


def test_a_small_cap_becomes_the_only_lifetime(settings):
    settings.KC_API_TOKEN_MAX_DAYS = 14
    assert tokens.lifetime_choices() == [14]
    assert tokens.default_lifetime() == 14


def test_an_expired_token_is_refused_with_its_date(client):
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user, days=30)
    assert _me(client, raw).status_code == 200
    expired_on = timezone.now() - datetime.timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=expired_on)
    response = _me(client, raw)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "token_expired"
    assert body["detail"] == tr("This API token expired on %(date)s. Create a new one on your account page.") % {
        "date": timezone.localtime(expired_on).strftime("%d/%m/%Y")}
    assert "hết hạn" in body["detail"]


def test_a_token_works_until_its_expiry_and_not_at_it():
    user = _officer()
    token, _raw = services.api_token_create(actor=user, user=user, days=30)
    just_before = token.expires_at - datetime.timedelta(seconds=1)
    assert tokens.token_state(token, user=user, now=just_before) == tokens.TokenState.ACTIVE
    assert tokens.token_state(token, user=user, now=token.expires_at) == tokens.TokenState.EXPIRED


# --- Password changes


def test_a_token_stops_working_after_a_password_change_on_the_account_page(client):
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    program = Client()
    assert _me(program, raw).status_code == 200

    client.force_login(user)
    changed = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert changed.status_code == 302, changed.content.decode()[:2000]

    response = _me(program, raw)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert "mật khẩu" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_reason == TokenRevocation.PASSWORD_CHANGED
    assert token.revoked_at is not None
    revoked = AuditEvent.objects.get(action="api_token.revoke", object_id=str(token.pk))
    assert revoked.changes == {"revoked_reason": [None, "password_changed"]}
    # A token made after the change works.
    _new, fresh = services.api_token_create(actor=user, user=user)
    assert _me(program, fresh).status_code == 200


def test_set_password_anywhere_ends_the_token(client):
    user = _officer()
    _token, raw = services.api_token_create(actor=user, user=user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert _me(client, raw).status_code == 401


def test_a_password_written_without_signals_still_ends_the_token(client):
    """A bulk update sends no signal: the fingerprint check refuses the token all the same."""
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    User.objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))
    response = _me(client, raw)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    token.refresh_from_db()
    assert token.revoked_at is None  # not recorded, but refused


def test_the_same_password_rehashed_at_sign_in_keeps_the_tokens(client, settings):
    """Django re-hashes a correct password when its hasher changes: that is not a password change."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = _officer()
    _token, raw = services.api_token_create(actor=user, user=user)
    settings.PASSWORD_HASHERS = [f"{__name__}.FastPBKDF2", "django.contrib.auth.hashers.MD5PasswordHasher"]
    old_hash = User.objects.get(pk=user.pk).password
    user = User.objects.get(pk=user.pk)
    assert user.check_password(PASSWORD)
    assert User.objects.get(pk=user.pk).password != old_hash  # re-hashed and saved
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    assert _me(client, raw).status_code == 200


def test_a_rehash_does_not_revive_a_token_already_ended(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = _officer()
    _token, raw = services.api_token_create(actor=user, user=user)
    User.objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))  # no signal
    settings.PASSWORD_HASHERS = [f"{__name__}.FastPBKDF2", "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert _me(client, raw).status_code == 401


def test_a_secret_key_rotation_keeps_the_tokens_while_the_old_key_is_a_fallback(client, settings):
    user = _officer()
    _token, raw = services.api_token_create(actor=user, user=user)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert _me(client, raw).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert _me(client, raw).status_code == 401


# --- Deactivation


def test_a_token_stops_working_when_the_account_is_disabled_and_stays_revoked(client):
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    user.is_active = False
    user.save()
    response = _me(client, raw)
    assert response.status_code == 401
    assert response.json()["code"] == "account_disabled"
    token.refresh_from_db()
    assert token.revoked_reason == TokenRevocation.ACCOUNT_DISABLED
    user.is_active = True
    user.save()
    assert _me(client, raw).status_code == 401  # enabling the account again does not bring the token back


def test_a_disabled_account_is_refused_even_without_signals(client):
    user = _officer()
    _token, raw = services.api_token_create(actor=user, user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _me(client, raw).json()["code"] == "account_disabled"


def test_signing_in_and_out_does_not_touch_the_tokens(client):
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    client.force_login(user)
    client.post("/logout/")
    assert _me(Client(), raw).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Last use


def test_last_use_is_recorded_at_most_once_a_minute(client):
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    assert token.last_used_at is None
    assert _me(client, raw).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    with CaptureQueriesContext(connection) as queries:
        assert _me(client, raw).status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "accounts_apitoken" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    assert _me(client, raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(seconds=1)


# --- The account page


def _page(client, user):
    client.force_login(user)
    return client.get("/account/").content.decode()


def test_the_account_page_shows_each_token_with_its_dates_and_state(client):
    user = _officer()
    used, raw = services.api_token_create(actor=user, user=user, name="Phần mềm kế toán", days=180)
    _me(Client(), raw)
    used.refresh_from_db()
    revoked, _raw = services.api_token_create(actor=user, user=user, name="Cũ")
    services.api_token_revoke(actor=user, token_id=revoked.pk)
    expired, _raw = services.api_token_create(actor=user, user=user, name="Hết hạn", days=30)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=3))

    html = _page(client, user)
    rows = re.findall(r'<tr data-testid="token-row">(.*?)</tr>', html, re.S)
    assert len(rows) == 3
    [used_row] = [row for row in rows if "Phần mềm kế toán" in row]
    assert timezone.localtime(used.created_at).strftime("%d/%m/%Y") in used_row
    assert timezone.localtime(used.expires_at).strftime("%d/%m/%Y") in used_row
    assert timezone.localtime(used.last_used_at).strftime("%H:%M %d/%m/%Y") in used_row
    assert escape(tr("in use")) in used_row
    assert f'action="/account/tokens/{used.pk}/revoke/"' in used_row
    [revoked_row] = [row for row in rows if "Cũ" in row]
    assert escape(tr("revoked")) in revoked_row and "/revoke/" not in revoked_row
    [expired_row] = [row for row in rows if "Hết hạn" in row]
    assert escape(tr("expired")) in expired_row and "/revoke/" not in expired_row
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html)  # no ISO date on the page


def test_the_account_page_says_why_a_token_ended(client):
    user = _officer()
    services.api_token_create(actor=user, user=user, name="Trước khi đổi mật khẩu")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD))  # no signal: computed on the page
    user.refresh_from_db()
    html = _page(client, user)
    assert escape(tr("revoked: the password was changed")) in html


def test_the_account_page_explains_that_signing_out_does_not_revoke(client):
    html = _page(client, _officer())
    help_text = re.search(r'data-testid="token-help">(.*?)</p>', html, re.S).group(1)
    assert help_text == escape(tr(
        "A token is for a program, not for a browser: signing out does not revoke it. It stops working on its expiry "
        "date, when you revoke it, when your password is changed and when your account is disabled."))
    assert "đăng xuất" in help_text.lower()


def test_the_account_page_offers_the_lifetimes_within_the_cap(client, settings):
    settings.KC_API_TOKEN_MAX_DAYS = 180
    html = _page(client, _officer())
    assert re.findall(r'<option value="(\d+)"', html) == ["30", "90", "180"]
    assert re.search(r'<option value="90" selected>', html)


def test_a_token_created_on_the_account_page_has_the_chosen_lifetime(client):
    user = _officer()
    client.force_login(user)
    assert client.post("/account/tokens/", {"name": "Báo cáo", "days": "365"}).status_code == 302
    token = ApiToken.objects.get(user=user)
    assert (token.expires_at - token.created_at) >= datetime.timedelta(days=364)


def test_a_lifetime_not_offered_on_the_page_is_refused_with_a_message(client, settings):
    settings.KC_API_TOKEN_MAX_DAYS = 90
    user = _officer()
    client.force_login(user)
    response = client.post("/account/tokens/", {"days": "365"}, follow=True)
    assert not ApiToken.objects.exists()
    assert 'class="alert' in response.content.decode()


# --- Audit


def test_creation_and_revocation_are_audited_without_the_secret():
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user, name="Kế toán", days=30)
    services.api_token_revoke(actor=user, token_id=token.pk)
    events = AuditEvent.objects.filter(object_id=str(token.pk), action__startswith="api_token.").order_by("pk")
    assert [e.action for e in events] == ["api_token.create", "api_token.revoke"]
    created = events[0]
    assert created.actor == user
    assert created.changes["name"] == [None, "Kế toán"]
    assert created.changes["user"] == [None, user.username]
    assert "expires_at" in created.changes
    for event in events:
        text = f"{event.changes} {event.object_repr}"
        assert raw not in text
        assert token.digest not in text
        assert token.password_fingerprint not in text


# --- Wrong tokens per address


def test_wrong_tokens_from_one_address_are_refused_then_every_token_from_it_until_the_window_passes(client, clock):
    user = _officer()
    _token, good = services.api_token_create(actor=user, user=user)
    guesser, neighbour = "203.0.113.5", "203.0.113.6"

    statuses = [_me(client, f"kc_guess{n}", address=guesser).status_code for n in range(25)]
    assert statuses == [401] * 19 + [429] * 6

    refused = _me(client, good, address=guesser)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_token_failures"
    assert refused.json()["detail"] == tr(
        "Too many wrong API tokens were sent from your address. Try again in %(minutes)s minutes.") % {"minutes": 10}
    assert 590 <= int(refused["Retry-After"]) <= 600
    # Another address is not affected, and the good token is not slowed there.
    assert _me(client, good, address=neighbour).status_code == 200
    assert AuditEvent.objects.filter(action="api_token.guessing_blocked").count() == 1
    assert AuditEvent.objects.get(action="api_token.guessing_blocked").changes == {"address": guesser}

    clock(seconds=601)
    assert _me(client, good, address=guesser).status_code == 200


def test_the_limit_and_window_are_settings(client, settings):
    settings.KC_API_TOKEN_FAILURE_LIMIT = (3, 60)
    statuses = [_me(client, f"kc_guess{n}", address="203.0.113.7").status_code for n in range(4)]
    assert statuses == [401, 401, 429, 429]


def test_a_known_token_that_no_longer_works_does_not_count_as_a_guess(client, settings):
    settings.KC_API_TOKEN_FAILURE_LIMIT = (3, 600)
    user = _officer()
    token, raw = services.api_token_create(actor=user, user=user)
    services.api_token_revoke(actor=user, token_id=token.pk)
    assert {_me(client, raw, address="203.0.113.8").status_code for _n in range(5)} == {401}


def test_sessions_are_not_throttled(client, settings):
    settings.KC_API_TOKEN_FAILURE_LIMIT = (1, 600)
    user = _officer()
    _me(client, "kc_guess", address="203.0.113.9")
    client.force_login(user)
    assert client.get("/api/v1/me", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_behind_a_proxy_each_client_has_its_own_budget(client, settings):
    """Every request reaches the app from the proxy's address; the client's is the one the proxy appended."""
    settings.KC_API_TOKEN_FAILURE_LIMIT = (2, 600)
    settings.KC_PROXY_COUNT = 1
    user = _officer()
    _token, good = services.api_token_create(actor=user, user=user)
    proxy = "127.0.0.1"
    # The guesser writes its own X-Forwarded-For; the proxy appends the address it saw.
    for n in range(3):
        _me(client, f"kc_guess{n}", address=proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.20")
    assert _me(client, good, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 429
    assert _me(client, good, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.21").status_code == 200


def test_the_count_is_shared_by_server_processes(settings):
    """Each process builds its own cache object; the database table behind them is one."""
    settings.KC_API_TOKEN_FAILURE_LIMIT = (4, 600)
    first, second = (db_cache.DatabaseCache("kc_shared_cache", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
                     for _n in range(2))
    outcomes = [tokens.guessing_record_failure("203.0.113.30", store=store) for store in (first, second) * 2]
    assert outcomes == [False, False, False, True]
    assert tokens.guessing_blocked("203.0.113.30", store=first) > 0
    assert tokens.guessing_blocked("203.0.113.31", store=second) == 0


# --- The API document


def test_the_api_document_describes_the_401_and_429(client):
    document = client.get("/api/v1/openapi.json").json()
    me = document["paths"]["/api/v1/me"]["get"]
    for status in ("401", "429"):
        assert me["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/AuthError"}
    assert "Retry-After" in me["responses"]["429"]["headers"]
    assert "token_expired" in me["responses"]["401"]["description"]
    assert document["components"]["schemas"]["AuthError"]["required"] == ["code", "detail"]
    assert "429" in document["info"]["description"]
    assert "đăng xuất không thu hồi" in document["info"]["description"]


# --- The command


def test_the_command_takes_a_lifetime():
    user = UserFactory(username="ketoan.laichau")
    call_command("create_api_token", "ketoan.laichau", "--days", "30", stdout=StringIO(), stderr=StringIO())
    token = ApiToken.objects.get(user=user)
    assert datetime.timedelta(days=29) < token.expires_at - token.created_at <= datetime.timedelta(days=30)


def test_the_command_refuses_a_lifetime_not_offered():
    UserFactory(username="ketoan.tayninh")
    with pytest.raises(CommandError, match="30, 90, 180, 365"):
        call_command("create_api_token", "ketoan.tayninh", "--days", "1000", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
