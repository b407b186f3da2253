"""The audit trail: every service write records one event, and so do the admin site (core/admin.py) and the
authentication signals (accounts/signals.py).

Besides recording, this module says how an event reads on a page: the action's label (`register_action_labels`),
the changed fields by their verbose names with choices, dates and yes/no in words, and the object's page
(`register_object_page`)."""

import datetime
import uuid
from contextvars import ContextVar
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

# What is never written to the trail, whatever the path: a field with one of these names is recorded as changed,
# without its values.
SECRET_FIELDS = frozenset({"password", "password1", "password2", "digest", "token", "secret"})
REDACTED = "••••••"


def _plain(value):
    """A value as JSON can store it: records by their text, dates in ISO form, amounts as exact strings."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (models.QuerySet, models.Manager)):
        return [str(v) for v in value.all()]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID, datetime.timedelta)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return REDACTED
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def field_changes(obj: models.Model, data: dict) -> dict:
    """{field: [old, new]} for the fields in data whose value differs from obj's."""
    changes = {}
    for name, new in data.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def audit_record(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
                 object_repr: str = "") -> AuditEvent:
    """`object_repr` names what was acted on when there is no record (a sign-in attempt with an unknown name)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(str(obj) if obj is not None else object_repr)[:300],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )


def audit_events_for(obj: models.Model):
    """The history shown on an object's page, newest first, with the actor in the same query."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


# --- who acts: signals (a password saved, a second-factor device added) have no request; the middleware keeps the
# request being served so they can name the user who acted and the address.

_current_request: ContextVar = ContextVar("kc_audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def current_actor():
    """The signed-in user of the request being served, or None (a command, a task, an anonymous visitor)."""
    user = getattr(current_request(), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def client_address(request) -> str:
    """The address the request came from, as the server saw it (behind a proxy, the proxy sets REMOTE_ADDR through
    the deployment's configuration)."""
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "")[:64] if request is not None else ""


# --- how an event reads

ACTION_LABELS: dict[str, object] = {
    "admin.add": gettext_lazy("Added in the administration site"),
    "admin.change": gettext_lazy("Changed in the administration site"),
    "admin.delete": gettext_lazy("Deleted in the administration site"),
    "auth.login": gettext_lazy("Signed in"),
    "auth.login_failed": gettext_lazy("Failed sign-in"),
    "auth.logout": gettext_lazy("Signed out"),
    "auth.password_change": gettext_lazy("Changed own password"),
    "auth.password_reset": gettext_lazy("Password reset through the e-mailed link"),
    "auth.password_set": gettext_lazy("Password set by another user"),
    "auth.otp_device_add": gettext_lazy("Second-factor device added"),
    "auth.otp_device_confirm": gettext_lazy("Second-factor device confirmed"),
    "auth.otp_device_delete": gettext_lazy("Second-factor device removed"),
}

# Words for the last part of an action code that no module has labelled ("event.participant_add" → "add").
VERB_LABELS: dict[str, object] = {
    "add": gettext_lazy("Added"),
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "change": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
    "remove": gettext_lazy("Removed"),
    "submit": gettext_lazy("Submitted"),
    "approve": gettext_lazy("Approved"),
    "cancel": gettext_lazy("Cancelled"),
    "lock": gettext_lazy("Locked"),
    "unlock": gettext_lazy("Unlocked"),
    "revoke": gettext_lazy("Revoked"),
    "merge": gettext_lazy("Merged"),
    "sign": gettext_lazy("Signed"),
    "paid": gettext_lazy("Marked as paid"),
    "return": gettext_lazy("Returned"),
    "accept": gettext_lazy("Accepted"),
    "refuse": gettext_lazy("Refused"),
}

ACTION_PREFIXES: dict[str, object] = {
    "admin.": gettext_lazy("Administration site"),
    "auth.": gettext_lazy("Sign-in and security"),
}

# Model label ("network.feesheet") → the URL name of its page, which takes the record's id.
OBJECT_PAGES: dict[str, str] = {}


def register_action_labels(labels: dict) -> None:
    """A module names its actions in words: {"project.submit": _("Submitted the project"), …}."""
    ACTION_LABELS.update(labels)


def register_object_page(model_label: str, url_name: str) -> None:
    OBJECT_PAGES[model_label.lower()] = url_name


def action_label(code: str) -> str:
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    verb = code.rsplit(".", 1)[-1].rsplit("_", 1)[-1]
    return str(VERB_LABELS.get(verb, code))


def object_url(event: AuditEvent) -> str:
    """The page of the event's record, read from the event alone (no query per row); "" when it has none."""
    content_type = event.content_type
    url_name = OBJECT_PAGES.get(f"{content_type.app_label}.{content_type.model}") if content_type else None
    if not url_name or not event.object_id.isdigit() or event.action.endswith(".delete"):
        return ""
    try:
        return reverse(url_name, args=[int(event.object_id)])
    except NoReverseMatch:
        return ""


def _value_text(field, value) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if value == REDACTED:
        return _("(hidden)")
    if isinstance(value, list):
        return ", ".join(_value_text(field, v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None:
        choices = dict(field.flatchoices) if field.choices else {}
        if value in choices:
            return str(choices[value])
        if isinstance(field, models.DateTimeField) and isinstance(value, str) and (when := parse_datetime(value)):
            if timezone.is_aware(when):
                when = timezone.localtime(when)
            return formats.date_format(when, "H:i d/m/Y")
        if isinstance(field, models.DateField) and isinstance(value, str):
            try:
                day = parse_date(value[:10])
            except ValueError:
                day = None
            if day:
                return formats.date_format(day, "d/m/Y")
    return str(value)


DETAIL_LABELS: dict[str, object] = {
    "address": gettext_lazy("address"),
    "username": gettext_lazy("user name tried"),
    "device": gettext_lazy("device"),
}
# Details stored as codes, in words.
DETAIL_VALUES: dict[str, dict[str, object]] = {
    "device": {"otp_totp.totpdevice": gettext_lazy("authenticator app"),
               "otp_static.staticdevice": gettext_lazy("recovery codes")},
}


def describe_changes(event: AuditEvent) -> list[tuple[str, str, str | None]]:
    """(field in words, old value, new value) for each change; the old value is None for a detail that is not a
    change (the address of a sign-in)."""
    model = event.content_type.model_class() if event.content_type else None
    rows = []
    for name, value in (event.changes or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # a detail (the address), or a field removed since: shown as stored
            field = None
        label = str(getattr(field, "verbose_name", "") or DETAIL_LABELS.get(name, name))
        if isinstance(value, list) and len(value) == 2 and not (field and field.many_to_many and
                                                                 not isinstance(value[0], list)):
            rows.append((label, _value_text(field, value[0]), _value_text(field, value[1])))
        elif name in DETAIL_VALUES and value in DETAIL_VALUES[name]:
            rows.append((label, None, str(DETAIL_VALUES[name][value])))
        else:
            rows.append((label, None, _value_text(field, value)))
    return rows


def audit_search(*, actor: str = "", action: str = "", content_type_id: int | None = None,
                 date_from: datetime.date | None = None, date_to: datetime.date | None = None, text: str = ""):
    """The whole trail for the system administrator, newest first: by the actor's user name or name, an action code
    prefix ("admin.", "auth.login"), a record type, the days (in Vietnam's time), a text of the record's name."""
    qs = AuditEvent.objects.select_related("actor", "content_type")
    if actor := actor.strip():
        qs = qs.filter(models.Q(actor__username__icontains=actor) | models.Q(actor__full_name__icontains=actor))
    if action := action.strip():
        qs = qs.filter(action__startswith=action)
    if content_type_id:
        qs = qs.filter(content_type_id=content_type_id)
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if text := text.strip():
        qs = qs.filter(object_repr__icontains=text)
    return qs


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def can_search_audit(user) -> bool:
    """The whole trail crosses every province: the national system administrator only. A system administrator is a
    superuser (accounts: Role.SYSTEM_ADMIN assignments come with is_superuser), as for the rule tables."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))
