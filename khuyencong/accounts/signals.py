"""Sign-ins, failed sign-ins, sign-outs, password changes and second-factor devices leave audit events, whatever the
path that caused them (the pages, the admin site, a management command, `set_password` anywhere).

A password is never recorded; a failed sign-in records the user name tried and the address it came from."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from khuyencong.core.audit import REDACTED, audit_record, client_address, current_actor, current_request

OTP_DEVICE_MODELS = [
    ("django_otp.plugins.otp_totp", "otp_totp", "TOTPDevice"),
    ("django_otp.plugins.otp_static", "otp_static", "StaticDevice"),
]


def _where(request) -> dict:
    address = client_address(request)
    return {"address": address} if address else {}


def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, changes=_where(request))


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the secrets in `credentials`; only the user name is kept.
    User = get_user_model()
    tried = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    user = User._default_manager.filter(**{User.USERNAME_FIELD: tried}).first() if tried else None
    audit_record(actor=None, action="auth.login_failed", obj=user, object_repr=tried,
                 changes={"username": tried, **_where(request)})


def _logged_out(sender, request, user, **kwargs):
    if user is not None and user.pk:
        audit_record(actor=user, action="auth.logout", obj=user, changes=_where(request))


def _password_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Compares the hash about to be saved with the stored one. Django re-hashes a password at sign-in when its
    hasher's parameters change (`check_password` saves only the password, having forgotten the raw one): that is
    the same password, not a change."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if update_fields is not None and set(update_fields) == {"password"} and instance._password is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        instance._kc_password_changed = True


def _password_after_save(sender, instance, created=False, raw=False, **kwargs):
    if not instance.__dict__.pop("_kc_password_changed", False):
        return
    request = current_request()
    actor = current_actor()
    if request is None:  # a management command or the shell: no one signed in
        action = "auth.password_set"
    elif actor is None:  # an anonymous visitor holding the e-mailed link
        action, actor = "auth.password_reset", instance
    elif actor.pk == instance.pk:
        action = "auth.password_change"
    else:
        action = "auth.password_set"
    audit_record(actor=actor, action=action, obj=instance,
                 changes={"password": [REDACTED, REDACTED], **_where(request)})


def _device_text(device) -> str:
    # The kind, read in words on the audit page (core/audit.py DETAIL_VALUES).
    return device._meta.label_lower


def _device_loaded(sender, instance, **kwargs):
    instance._kc_confirmed = instance.__dict__.get("confirmed") if instance.pk else None


def _device_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    was_confirmed = instance.__dict__.get("_kc_confirmed")
    if created:
        action = "auth.otp_device_add"
    elif instance.confirmed and was_confirmed is False:
        action = "auth.otp_device_confirm"
    else:
        return  # a verification saves the device's counters: not a change of the user's security
    instance._kc_confirmed = instance.confirmed
    audit_record(actor=current_actor() or instance.user, action=action, obj=instance.user,
                 changes={"device": _device_text(instance), **_where(current_request())})


def _device_deleted(sender, instance, **kwargs):
    user = get_user_model()._default_manager.filter(pk=instance.user_id).first()
    audit_record(actor=current_actor() or user, action="auth.otp_device_delete", obj=user,
                 changes={"device": _device_text(instance), **_where(current_request())})


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    User = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="kc_audit_logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="kc_audit_login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="kc_audit_logged_out")
    pre_save.connect(_password_before_save, sender=User, dispatch_uid="kc_audit_password_before")
    post_save.connect(_password_after_save, sender=User, dispatch_uid="kc_audit_password_after")
    for app, label, model_name in OTP_DEVICE_MODELS:
        if not apps.is_installed(app):
            continue
        model = apps.get_model(label, model_name)
        post_init.connect(_device_loaded, sender=model, dispatch_uid=f"kc_audit_{label}_loaded")
        post_save.connect(_device_saved, sender=model, dispatch_uid=f"kc_audit_{label}_saved")
        post_delete.connect(_device_deleted, sender=model, dispatch_uid=f"kc_audit_{label}_deleted")
