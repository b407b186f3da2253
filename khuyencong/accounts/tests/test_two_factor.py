"""The second factor: who is asked, enrolment, the code after the password, recovery codes, removal, the admin."""

import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import Role

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

REQUIRED = ["system_admin", "ministry_officer", "doit_manager", "finance_officer"]
two_factor_on = override_settings(KC_2FA_REQUIRED_ROLES=REQUIRED)


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the user's app shows now (or `steps_ahead` periods of 30 s later, within the accepted drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def recovery_codes_for(user, codes=("aaaabbbb", "ccccdddd")) -> None:
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def sign_in(client, username):
    response = client.post("/login/", {"username": username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def finance(admin_units):
    return make_user(role=Role.FINANCE_OFFICER, province_code=12, username="ketoan.2fa")


@two_factor_on
def test_a_required_role_without_a_device_is_sent_to_enrol_before_any_page(client, finance):
    client.force_login(finance)
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response.url == "/account/2fa/enrol/?next=/projects/"
    assert client.get("/account/").url.startswith("/account/2fa/enrol/")
    # the API answers in JSON for a session that still owes its second factor
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    # signing out stays open
    assert client.post("/logout/").status_code == 302


@two_factor_on
def test_enrolment_shows_the_qr_code_and_the_key_and_confirms_with_a_first_code(client, finance):
    client.force_login(finance)
    page = client.get("/account/2fa/enrol/?next=/projects/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Thiết lập ứng dụng xác thực" in html
    device = TOTPDevice.objects.get(user=finance, confirmed=False)
    secret = b32decode(page.context["secret"].replace(" ", ""))
    assert secret == device.bin_key
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post("/account/2fa/enrol/", {"code": "000000", "next": "/projects/"})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post("/account/2fa/enrol/", {"code": code_of(device), "next": "/projects/"})
    assert response.url == "/account/2fa/recovery/"
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get("/account/2fa/recovery/")
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert 'href="/projects/"' in codes_page.content.decode()
    # shown once
    assert client.get("/account/2fa/recovery/").url == "/account/2fa/"
    # verified: the pages open
    assert client.get("/projects/").status_code == 200


@two_factor_on
def test_the_code_is_asked_after_the_password_and_a_wrong_one_is_refused(client, finance):
    device = device_for(finance)
    assert sign_in(client, "ketoan.2fa").url == "/"
    response = client.get("/")
    assert response.url == "/account/2fa/verify/?next=/"

    wrong = client.post("/account/2fa/verify/", {"code": "123456", "next": "/"})
    assert wrong.status_code == 200
    assert "Mã không đúng" in wrong.content.decode()
    assert client.get("/").status_code == 302

    # right after a wrong code the app is throttled: even the right code waits
    throttled = client.post("/account/2fa/verify/", {"code": code_of(device), "next": "/"})
    assert "Nhập sai mã quá nhiều lần" in throttled.content.decode()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post("/account/2fa/verify/", {"code": code_of(device), "next": "/"})
    assert right.status_code == 302 and right.url == "/"
    assert client.get("/").status_code == 200


@two_factor_on
def test_a_code_is_not_accepted_twice(client, finance):
    device = device_for(finance)
    code = code_of(device)
    sign_in(client, "ketoan.2fa")
    assert client.post("/account/2fa/verify/", {"code": code}).status_code == 302
    client.post("/logout/")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    sign_in(client, "ketoan.2fa")
    assert client.post("/account/2fa/verify/", {"code": code}).status_code == 200


@two_factor_on
def test_a_recovery_code_works_once(client, finance):
    device_for(finance)
    recovery_codes_for(finance)
    sign_in(client, "ketoan.2fa")
    response = client.post("/account/2fa/verify/", {"code": "AAAA-BBBB", "next": "/"}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "còn 1 mã" in response.content.decode()
    assert StaticToken.objects.filter(device__user=finance).count() == 1

    client.post("/logout/")
    sign_in(client, "ketoan.2fa")
    again = client.post("/account/2fa/verify/", {"code": "aaaabbbb", "next": "/"})
    assert again.status_code == 200
    assert "Mã khôi phục không đúng hoặc đã được dùng" in again.content.decode()


@two_factor_on
def test_a_role_not_required_is_not_asked(client, admin_units):
    make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.2fa")
    sign_in(client, "ttkc.2fa")
    assert client.get("/").status_code == 200
    assert client.get("/account/2fa/").status_code == 200


@two_factor_on
def test_a_user_who_chose_a_device_is_asked_for_it(client, admin_units):
    staff = make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.2fa")
    device_for(staff)
    sign_in(client, "ttkc.2fa")
    assert client.get("/").url == "/account/2fa/verify/?next=/"


@override_settings(KC_2FA_REQUIRED_ROLES=[], KC_2FA_ADMIN_SITE=True)
def test_the_admin_site_needs_a_second_factor_from_everyone(client, admin_units):
    admin = make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.2fa")
    sign_in(client, "quantri.2fa")
    assert client.get("/").status_code == 200  # no role requires it here
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/account/2fa/enrol/?next=/admin/"
    assert client.get("/admin/accounts/user/").url.startswith("/account/2fa/enrol/")

    device = device_for(admin)
    client.post("/logout/")
    sign_in(client, "quantri.2fa")
    assert client.get("/admin/").url.startswith("/account/2fa/verify/")
    client.post("/account/2fa/verify/", {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


@two_factor_on
def test_removing_or_replacing_the_app_needs_a_code(client, finance):
    device = device_for(finance)
    recovery_codes_for(finance)
    sign_in(client, "ketoan.2fa")
    client.post("/account/2fa/verify/", {"code": code_of(device)})

    page = client.get("/account/2fa/").content.decode()
    assert "Chuyển sang điện thoại mới" in page and "Tắt xác thực hai bước" not in page  # a required role

    refused = client.post("/account/2fa/remove/", {"code": "999999", "action": "replace"}, follow=True)
    assert "Mã không đúng" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post("/account/2fa/remove/", {"code": code_of(device, steps_ahead=1), "action": "replace"})
    assert response.url == "/account/2fa/enrol/"
    assert not TOTPDevice.objects.filter(user=finance, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=finance).exists()
    # no longer verified: every page leads to the enrolment again
    assert client.get("/").url.startswith("/account/2fa/enrol/")


def test_new_recovery_codes_replace_the_old_ones(client, finance):
    device = device_for(finance)
    recovery_codes_for(finance)
    client.force_login(finance)
    response = client.post("/account/2fa/recovery/renew/", {"code": code_of(device)})
    assert response.url == "/account/2fa/recovery/"
    assert not StaticToken.objects.filter(token__in=["aaaabbbb", "ccccdddd"]).exists()
    assert StaticToken.objects.filter(device__user=finance).count() == 10


@two_factor_on
def test_the_demo_users_of_required_roles_get_the_published_key(admin_units):
    accounts_demo.seed()
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert {d.user.username for d in devices} == {
        "admin", "cuc.dck", "ld.sct.laichau", "ketoan.laichau", "ld.sct.tayninh", "ketoan.tayninh"}
    assert all(d.bin_key == b32decode(accounts_demo.DEMO_TOTP_SECRET) for d in devices)
    accounts_demo.seed()  # idempotent
    assert TOTPDevice.objects.count() == 6


@two_factor_on
def test_an_htmx_request_sends_the_browser_itself_to_the_second_factor(client, finance):
    client.force_login(finance)
    response = client.get("/projects/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/account/2fa/enrol/?next=/projects/"


@override_settings(KC_2FA_REQUIRED_ROLES=[])
def test_a_user_who_is_not_staff_is_not_asked_on_the_admin_site(client, admin_units):
    make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.2fa")
    sign_in(client, "ttkc.2fa")
    assert client.get("/admin/").url.startswith("/admin/login/")
