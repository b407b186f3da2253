"""The second-factor pages: enrol an authenticator app, type a code after the password, see the recovery codes
once, remove or replace the app. The rules are in otp.py."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError

from . import otp
from .forms import SecondFactorCodeForm

RECOVERY_SESSION_KEY = "kc_recovery_codes"


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _show_codes(request, codes: list[str]):
    request.session[RECOVERY_SESSION_KEY] = codes
    return redirect("second_factor_recovery_codes")


def _spaced(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def second_factor(request):
    """The user's second factor: the app, the recovery codes left, and the forms to change them."""
    device = otp.confirmed_device(request.user)
    context = {
        "device": device,
        "codes_left": otp.recovery_codes_left(request.user) if device else 0,
        "required": otp.must_use_second_factor(request.user),
        "form": SecondFactorCodeForm(),
    }
    return render(request, "accounts/second_factor.html", context)


@never_cache
@login_required
def second_factor_enrol(request):
    if otp.confirmed_device(request.user) is not None:
        return redirect("second_factor" if otp.is_verified(request.user) else "second_factor_verify")
    device = otp.totp_device_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.totp_device_confirm(request=request, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
        else:
            messages.success(request, _("Your authenticator app is set up. Keep the recovery codes below."))
            request.session["kc_after_codes"] = _next(request)
            return _show_codes(request, codes)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        # segno draws the SVG from the device's own URL (a percent-encoded otpauth: address): no markup of ours in it
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)),
        "secret": _spaced(secret),
        "next": _next(request, ""),
        "required": otp.must_use_second_factor(request.user),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@never_cache
@login_required
def second_factor_verify(request):
    if otp.is_verified(request.user):
        return redirect(_next(request))
    if otp.confirmed_device(request.user) is None:
        otp.remember_state(request, request.user)
        return redirect("second_factor_enrol")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
        else:
            if device.persistent_id.startswith("otp_static"):
                left = otp.recovery_codes_left(request.user)
                messages.warning(request, _("You signed in with a recovery code; %(left)d left. Make new ones on "
                                            "your second-factor page.") % {"left": left})
            return redirect(_next(request))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request, "")})


@never_cache
@login_required
def second_factor_recovery_codes(request):
    """The recovery codes just made, shown once."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect("second_factor")
    after = request.session.pop("kc_after_codes", "") or "second_factor"
    shown = [f"{code[:4]}-{code[4:]}" for code in codes]
    return render(request, "accounts/second_factor_codes.html", {"codes": shown, "after": after})


@login_required
@require_POST
def second_factor_remove(request):
    """Removes the app (action "remove") or removes it to add another (action "replace")."""
    form = SecondFactorCodeForm(request.POST)
    replace = request.POST.get("action") == "replace"
    if form.is_valid():
        try:
            otp.second_factor_remove(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if replace:
                return redirect("second_factor_enrol")
            messages.success(request, _("Your authenticator app and recovery codes are removed."))
    else:
        messages.error(request, _("Type a code of your app, or a recovery code."))
    return redirect("second_factor")


@login_required
@require_POST
def recovery_codes_renew(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = otp.recovery_codes_renew(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return _show_codes(request, codes)
    else:
        messages.error(request, _("Type a code of your app, or a recovery code."))
    return redirect("second_factor")
