"""Sign-in throttling, password reset, password policy and session length."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from khuyencong.accounts import throttling
from khuyencong.accounts.middleware import SEEN_KEY
from khuyencong.accounts.models import Role
from khuyencong.core.models import AuditEvent

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(client, username, password, address=HOME):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_time(minutes: int) -> None:
    """Moves every stored sign-in failure `minutes` into the past, as if that time had gone by."""
    delta = datetime.timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)


@pytest.fixture
def officer(admin_units):
    return make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.khoa")


@pytest.fixture
def other(admin_units):
    return make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.khac")


def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_the_wait_is_over(client, officer):
    for _i in range(30):
        assert sign_in(client, "ttkc.khoa", "sai-mat-khau").status_code in (200, 429)
    response = sign_in(client, "ttkc.khoa", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "Hãy thử lại sau 1 giờ." in page  # 30 failures: 15 minutes doubled twice

    pass_time(50)  # not long enough: still refused, and this try starts the wait again
    assert sign_in(client, "ttkc.khoa", PASSWORD).status_code == 429
    assert not signed_in(client)

    pass_time(61)
    response = sign_in(client, "ttkc.khoa", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_limit_locks_for_15_minutes_and_the_wait_grows_with_failures(client, officer):
    limit = settings.AXES_FAILURE_LIMIT
    for _i in range(limit - 1):
        assert sign_in(client, "ttkc.khoa", "sai-mat-khau").status_code == 200  # the form, with its error
    assert sign_in(client, "ttkc.khoa", "sai-mat-khau").status_code == 429
    response = sign_in(client, "ttkc.khoa", PASSWORD)
    assert "Hãy thử lại sau 15 phút." in response.content.decode()

    assert throttling.cool_off_for(limit) == datetime.timedelta(minutes=15)
    assert throttling.cool_off_for(2 * limit) == datetime.timedelta(minutes=30)
    assert throttling.cool_off_for(3 * limit) == datetime.timedelta(hours=1)
    assert throttling.cool_off_for(100 * limit) == datetime.timedelta(hours=24)


def test_failures_spaced_out_still_grow_the_wait(client, officer):
    """Waiting out each lock does not reset the count of the last 24 hours."""
    limit = settings.AXES_FAILURE_LIMIT
    for _round in range(2):
        for _i in range(limit):
            sign_in(client, "ttkc.khoa", "sai-mat-khau")
        pass_time(16)
    for _i in range(limit):
        sign_in(client, "ttkc.khoa", "sai-mat-khau")
    response = sign_in(client, "ttkc.khoa", PASSWORD)
    assert response.status_code == 429
    assert "Hãy thử lại sau 1 giờ." in response.content.decode()


def test_the_account_and_the_address_are_locked_each_on_its_own(client, officer, other):
    for _i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ttkc.khoa", "sai-mat-khau", address=HOME)

    # another account from another address: not touched
    assert sign_in(client, "ttkc.khac", PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    # the locked account from another address: refused (per account)
    assert sign_in(client, "ttkc.khoa", PASSWORD, address=ELSEWHERE).status_code == 429
    # another account from the locked address: refused (per address)
    assert sign_in(client, "ttkc.khac", PASSWORD, address=HOME).status_code == 429
    assert not signed_in(client)


def test_a_sign_in_without_a_request_cannot_open_a_locked_account(client, officer):
    for _i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ttkc.khoa", "sai-mat-khau")
    assert not client.login(username="ttkc.khoa", password=PASSWORD)
    make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.moi")
    assert client.login(username="ttkc.moi", password=PASSWORD)  # an account that is not locked


def test_a_system_administrator_lifts_a_lock(client, officer, django_user_model):
    from django.test import Client

    for _i in range(12):
        sign_in(client, "ttkc.khoa", "sai-mat-khau")
    assert sign_in(client, "ttkc.khoa", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="ttkc.khoa")

    # a DoIT manager is not a system administrator: the page and the button are refused, the lock stays
    manager = Client()
    manager.force_login(make_user(role=Role.DOIT_MANAGER, username="ld.khac"))
    assert manager.get("/account/lockouts/").status_code == 302
    manager.post(f"/account/lockouts/{attempt.pk}/lift/")
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()

    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri")
    administrator = Client()
    administrator.force_login(admin)
    page = administrator.get("/account/lockouts/").content.decode()
    assert "ttkc.khoa" in page and "bị khóa" in page
    response = administrator.post(f"/account/lockouts/{attempt.pk}/lift/", follow=True)
    assert "Đã mở khóa" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="ttkc.khoa").exists()
    event = AuditEvent.objects.get(action="auth.lockout_lift")
    assert event.actor == admin and event.object_id == str(officer.pk)
    assert event.changes == {"username": "ttkc.khoa", "address": HOME}

    assert sign_in(client, "ttkc.khoa", PASSWORD).status_code == 302
    assert signed_in(client)


@override_settings(KC_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(rf):
    request = rf.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert throttling.client_ip(request) == "203.0.113.7"
    request = rf.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="không phải địa chỉ")
    assert throttling.client_ip(request) == "127.0.0.1"


def test_without_a_proxy_forwarded_headers_are_ignored(rf):
    request = rf.post("/login/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert throttling.client_ip(request) == "198.51.100.4"


# --- password reset and policy


def test_the_sign_in_page_links_to_the_password_reset(client, db):
    page = client.get("/login/").content.decode()
    assert "Quên mật khẩu?" in page
    assert 'href="/password-reset/"' in page


def _reset_link(client, email) -> str:
    response = client.post("/password-reset/", {"email": email})
    assert response.status_code == 302 and response.url == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert "Đặt lại mật khẩu" in message.subject
    match = re.search(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_password_reset_by_e_mail_sets_a_new_password(client, officer):
    link = _reset_link(client, officer.email)
    assert "ttkc.khoa" in mail.outbox[0].body  # the username is reminded
    form_url = client.get(link).url  # Django swaps the token into the session and redirects
    page = client.get(form_url)
    assert page.status_code == 200 and "Chọn mật khẩu mới" in page.content.decode()
    response = client.post(form_url, {"new_password1": "Cay-Luc-Binh-2026", "new_password2": "Cay-Luc-Binh-2026"})
    assert response.status_code == 302 and response.url == "/password-reset/done/"
    officer.refresh_from_db()
    assert officer.check_password("Cay-Luc-Binh-2026")
    assert sign_in(client, "ttkc.khoa", "Cay-Luc-Binh-2026").status_code == 302
    # the link worked once
    client.logout()
    assert "Đường dẫn này không dùng được" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, officer):
    response = client.post("/password-reset/", {"email": "khong-ai@example.vn"})
    assert response.status_code == 302 and response.url == "/password-reset/sent/"
    assert mail.outbox == []


@pytest.mark.parametrize(("password", "message"), [
    ("Ngan-1", "Mật khẩu quá ngắn: phải có ít nhất 10 ký tự."),
    ("1234509876", "Mật khẩu này hoàn toàn là số."),
    ("password123", "Mật khẩu này quá phổ biến."),
    ("ttkc.khoa1", "Mật khẩu quá giống với"),
])
def test_weak_passwords_are_refused_in_vietnamese(client, officer, password, message):
    link = _reset_link(client, officer.email)
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_the_policy_is_ten_characters_common_numeric_and_similarity():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}


# --- sessions


def test_a_session_ends_after_eight_hours_without_a_request(client, officer):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(officer)
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    assert session.expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)

    # a request within a minute of the last write does not write the session again
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    client.get("/account/")
    assert Session.objects.get(pk=key).expire_date < timezone.now() + datetime.timedelta(hours=2)

    # once that minute has passed, a request moves the end eight hours ahead, and the cookie's too
    stored = client.session
    stored[SEEN_KEY] -= settings.KC_SESSION_REFRESH_SECONDS
    stored.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    response = client.get("/account/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    assert Session.objects.get(pk=key).expire_date > timezone.now() + datetime.timedelta(hours=7, minutes=59)

    # idle past the end: signed out
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/account/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_changing_the_password_keeps_the_session(client, officer):
    client.force_login(officer)
    response = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "Cay-Luc-Binh-2026", "new_password2": "Cay-Luc-Binh-2026",
    })
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
