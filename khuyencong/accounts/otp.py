"""The second factor: a TOTP authenticator app (django-otp), with ten single-use recovery codes.

Who must use it: a user holding one of `KC_2FA_REQUIRED_ROLES` (by default the system administrators, ministry
officers, DoIT managers and finance officers: those who approve and pay), and every staff user on the administration
site.
A user who added a device without having to is asked for it too. Until the session is verified,
`SecondFactorMiddleware` sends such a user to enrol (no device yet) or to type a code, before any other page.

Whether the user has a device and must use one is worked out when the user signs in and kept in the session, so the
pages of a signed-in session cost no query for it. The device's changes are audited by accounts/signals.py."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.core.audit import audit_record, register_action_labels
from khuyencong.core.errors import InvalidInput

from .middleware import session_seen
from .scope import holds_role

SESSION_KEY = "kc_2fa"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"

register_action_labels({"auth.otp_recovery_code_use": gettext_lazy("Signed in with a recovery code")})


def must_use_second_factor(user) -> bool:
    roles = settings.KC_2FA_REQUIRED_ROLES
    return bool(roles) and holds_role(user, *roles)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remember_state(request, user) -> dict:
    state = {"user": user.pk, "device": confirmed_device(user) is not None, "required": must_use_second_factor(user)}
    request.session[SESSION_KEY] = state
    return state


def on_login(sender, request, user, **kwargs):
    """Connected to user_logged_in (AccountsConfig.ready): the state is worked out once per sign-in (and the
    session's idle clock starts)."""
    if request is not None and hasattr(request, "session"):
        remember_state(request, user)
        session_seen(request.session)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="kc_second_factor_state")


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def pending_step(request) -> str | None:
    """"verify", "enrol" or None: what the signed-in user must do before seeing the page asked for."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return None
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("user") != user.pk:
        state = remember_state(request, user)  # a session opened before this check existed
    if state["device"]:
        return "verify"
    if state["required"] or (settings.KC_2FA_ADMIN_SITE and user.is_staff
                             and request.path.startswith(reverse("admin:index"))):
        return "enrol"
    return None


class SecondFactorMiddleware:
    """After OTPMiddleware: a user who must give a second factor and has not sees only the second-factor pages (and
    can sign out). The JSON API answers 403 to such a session; a bearer token is not a session and is not asked."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def open_prefixes(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (reverse("second_factor"), reverse("logout"), "/i18n/", settings.STATIC_URL,
                          settings.MEDIA_URL)
        return self._open

    def __call__(self, request):
        if not request.path.startswith(self.open_prefixes()):
            step = pending_step(request)
            if step is not None:
                return self.refuse(request, step)
        return self.get_response(request)

    def refuse(self, request, step: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "second_factor_required",
                                 "detail": _("Confirm your sign-in with the code of your authenticator app first.")},
                                status=403)
        url = reverse("second_factor_verify" if step == "verify" else "second_factor_enrol")
        if request.method == "GET":
            url = f"{url}?next={quote(request.get_full_path())}"
        if request.headers.get("HX-Request") == "true":  # an htmx swap: the browser itself must go there
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


# --- services


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


TOO_MANY = gettext_lazy("Too many wrong codes. Wait a minute, then type the newest code of your app.")


def _check(model, device, code: str) -> tuple[bool, bool]:
    """(accepted, throttled): django-otp refuses every code for a while after a wrong one, longer after each; the
    device row is locked so two tries at once cannot both pass."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_is_allowed()[0]:
            return False, True
        return locked.verify_token(code), False


def totp_device_start(*, user) -> TOTPDevice:
    """The device being enrolled: the one not yet confirmed, or a new one with a fresh secret."""
    if confirmed_device(user) is not None:
        raise InvalidInput(_("You already have an authenticator app. Remove it first to add another."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def totp_device_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """The user proves the app works by typing its code: the device is confirmed, the session counts as verified,
    and ten new recovery codes are made (returned to be shown once)."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise InvalidInput(_("This enrolment is no longer open. Start again."))
    code = _clean(code)
    if not (code.isdigit() and len(code) == device.digits):
        raise InvalidInput(_("Type the 6-digit code your app shows."), field="code")
    accepted, throttled = _check(TOTPDevice, device, code)
    if not accepted:
        raise InvalidInput(TOO_MANY if throttled else _("This code is not right. Check the time on your phone and "
                                                        "type the newest code."), field="code")
    device.refresh_from_db()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
    otp_login(request, device)
    remember_state(request, user)
    return codes


def _verify(user, code: str):
    """The device that accepts the code: the app for a 6-digit code, the recovery codes otherwise."""
    code = _clean(code)
    if not code:
        raise InvalidInput(_("Type the code."), field="code")
    device = confirmed_device(user)
    if device is None:
        raise InvalidInput(_("You have no authenticator app yet."))
    if code.isdigit():
        accepted, throttled = _check(TOTPDevice, device, code)
        if accepted:
            device.refresh_from_db()
            return device
        raise InvalidInput(TOO_MANY if throttled else _("This code is not right. Type the newest code of your app, "
                                                        "or a recovery code."), field="code")
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None:
        accepted, throttled = _check(StaticDevice, static, code)
        if accepted:
            static.refresh_from_db()
            audit_record(actor=user, action="auth.otp_recovery_code_use", obj=user,
                         changes={"left": recovery_codes_left(user)})
            return static
        if throttled:
            raise InvalidInput(TOO_MANY, field="code")
    raise InvalidInput(_("This recovery code is not right or has been used."), field="code")


def second_factor_verify(*, request, code: str):
    """The second step of signing in: a code of the app, or one recovery code (used up)."""
    device = _verify(request.user, code)
    otp_login(request, device)
    remember_state(request, request.user)
    return device


def second_factor_remove(*, request, code: str) -> None:
    """Removes the app and the recovery codes, proven by a code of either. A user who must use a second factor is
    then sent to enrol a new app."""
    user = request.user
    _verify(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    request.session.pop("otp_device_id", None)
    remember_state(request, user)


def recovery_codes_renew(*, request, code: str) -> list[str]:
    """Ten new recovery codes in place of the old ones, proven by a code."""
    user = request.user
    _verify(user, code)
    with transaction.atomic():
        return _new_recovery_codes(user)
