"""Sign-ins, failed sign-ins, sign-outs, password changes and second-factor devices are audited events, whatever the
path; a password never reaches the trail."""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.models import Role, User
from khuyencong.core.audit import AuditContextMiddleware, describe_changes
from khuyencong.core.models import AuditEvent

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Khuyến-công-Lai-Châu-2026"


def auth_events():
    return AuditEvent.objects.filter(action__startswith="auth.").order_by("id")


def nothing_secret_in_the_trail(*secrets):
    stored = json.dumps(list(AuditEvent.objects.values("object_repr", "changes")), ensure_ascii=False)
    for secret in secrets:
        assert secret not in stored


@pytest.fixture
def viewer():
    return make_user(Role.VIEWER, 12, username="xem.laichau", email="xem@laichau.gov.vn")


def test_a_sign_in_is_audited_with_the_address(client, viewer):
    response = client.post("/login/", {"username": "xem.laichau", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    event = auth_events().get()
    assert (event.action, event.actor, event.obj) == ("auth.login", viewer, viewer)
    assert event.changes == {"address": "203.0.113.7"}


def test_a_failed_sign_in_records_the_name_tried_and_the_address_never_the_password(client, viewer):
    wrong = "doan-mo-mat-khau-123"
    response = client.post("/login/", {"username": "xem.laichau", "password": wrong}, REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 200
    event = auth_events().get()
    assert (event.action, event.actor, event.obj) == ("auth.login_failed", None, viewer)
    assert event.changes == {"username": "xem.laichau", "address": "198.51.100.4"}
    nothing_secret_in_the_trail(wrong)


def test_a_failed_sign_in_with_an_unknown_name_names_what_was_tried(client):
    client.post("/login/", {"username": "khong.ton.tai", "password": "bat-ky-123456"})

    event = auth_events().get()
    assert event.action == "auth.login_failed"
    assert (event.content_type, event.object_id, event.object_repr) == (None, "", "khong.ton.tai")


def test_a_sign_out_is_audited(client, viewer):
    client.force_login(viewer)

    client.post("/logout/")

    assert [(e.action, e.actor) for e in auth_events()] == [("auth.login", viewer), ("auth.logout", viewer)]


def test_changing_ones_own_password_on_the_page_is_audited(client, viewer):
    client.force_login(viewer)

    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    event = auth_events().get(action__startswith="auth.password")
    assert (event.action, event.actor, event.obj) == ("auth.password_change", viewer, viewer)
    assert event.changes["password"] == ["••••••", "••••••"]
    nothing_secret_in_the_trail(NEW_PASSWORD, viewer.password, PASSWORD)


def test_a_password_reset_through_the_emailed_link_is_audited(client, viewer, mailoutbox):
    client.post("/password-reset/", {"email": "xem@laichau.gov.vn"})
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    event = auth_events().get()
    assert (event.action, event.actor, event.obj) == ("auth.password_reset", viewer, viewer)
    nothing_secret_in_the_trail(NEW_PASSWORD)


def test_set_password_in_a_shell_is_audited_without_an_actor(viewer):
    viewer.set_password(NEW_PASSWORD)
    viewer.save()

    event = auth_events().get()
    assert (event.action, event.actor, event.obj) == ("auth.password_set", None, viewer)


def test_an_administrator_setting_someone_elses_password_in_the_admin_is_audited(viewer):
    system_admin = make_user(Role.SYSTEM_ADMIN, None, username="quantri")
    request = RequestFactory().post("/admin/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                                "usable_password": "true"})
    request.user, request.session = system_admin, SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    view = admin.site._registry[User].user_change_password

    response = AuditContextMiddleware(lambda r: view(r, str(viewer.pk)))(request)

    assert response.status_code == 302
    event = auth_events().get()
    assert (event.action, event.actor, event.obj) == ("auth.password_set", system_admin, viewer)


def test_an_anonymous_request_saving_a_password_counts_as_a_reset(viewer):
    request = RequestFactory().post("/password-reset/x/set-password/")
    request.user = AnonymousUser()

    def view(_request):
        viewer.set_password(NEW_PASSWORD)
        viewer.save()

    AuditContextMiddleware(view)(request)

    assert [(e.action, e.actor) for e in auth_events()] == [("auth.password_reset", viewer)]


def test_saving_a_user_without_touching_the_password_is_not_a_password_change(viewer):
    viewer.full_name = "Lò Văn Xem"
    viewer.save()
    viewer.save(update_fields=["last_login"])

    assert not auth_events().exists()


def test_the_rehash_of_an_unchanged_password_at_sign_in_is_not_a_change(client, viewer, settings):
    # A hash with a salt too short for today's MD5 hasher: checking the password upgrades it.
    User.objects.filter(pk=viewer.pk).update(password=make_password(PASSWORD, salt="ab", hasher="md5"))
    before = User.objects.get(pk=viewer.pk).password

    client.post("/login/", {"username": "xem.laichau", "password": PASSWORD})

    assert User.objects.get(pk=viewer.pk).password != before  # it was re-hashed
    assert [e.action for e in auth_events()] == ["auth.login"]


def test_second_factor_devices_added_confirmed_and_removed_are_audited(viewer):
    device = TOTPDevice.objects.create(user=viewer, name="authenticator", confirmed=False)
    device = TOTPDevice.objects.get(pk=device.pk)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    device.verify_token("000000")  # a verification saves the device's counters: no event
    device.save()
    recovery = StaticDevice.objects.create(user=viewer, name="recovery codes", confirmed=True)
    recovery.delete()
    device.delete()

    events = list(auth_events())
    assert [(e.action, e.obj, e.changes["device"]) for e in events] == [
        ("auth.otp_device_add", viewer, "otp_totp.totpdevice"),
        ("auth.otp_device_confirm", viewer, "otp_totp.totpdevice"),
        ("auth.otp_device_add", viewer, "otp_static.staticdevice"),
        ("auth.otp_device_delete", viewer, "otp_static.staticdevice"),
        ("auth.otp_device_delete", viewer, "otp_totp.totpdevice"),
    ]
    assert ("thiết bị", None, "ứng dụng xác thực") in [
        (label.lower(), old, new) for label, old, new in describe_changes(events[0])
    ]
