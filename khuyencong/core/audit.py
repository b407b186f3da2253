"""The audit trail: every service write records one event, and so do the admin site (core/admin.py) and the
authentication signals (accounts/signals.py).

Besides recording, this module says how an event reads on a page: the action's label (`register_action_labels`),
the changed fields by their verbose names with choices, dates and yes/no in words, and the object's page
(`register_object_page`)."""

import datetime
import re
import uuid
from contextvars import ContextVar
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InvalidInput
from .models import AuditEvent
from .money import format_vnd
from .periods import Period

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
    ).select_related("actor", "content_type")


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
    return str(VERB_LABELS.get(verb, _("Recorded")))  # never the code itself


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


# Change keys that are not a field of the record (a line added to an event, a council's average), in words. A module
# adds its own with register_change_labels; a key that names a field of a model of the record's app reads by that
# field's verbose name without being listed.
DETAIL_LABELS: dict[str, object] = {
    "address": gettext_lazy("address"),
    "username": gettext_lazy("user name tried"),
    "device": gettext_lazy("device"),
}
# Details stored as codes, in words: a dict of code → words, or a function of the code (None when it does not know).
DETAIL_VALUES: dict[str, object] = {
    "device": {"otp_totp.totpdevice": gettext_lazy("authenticator app"),
               "otp_static.staticdevice": gettext_lazy("recovery codes")},
}

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_PERIOD = re.compile(r"^\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}))?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_CODE = re.compile(r"^[A-Za-z]+(?:_[A-Za-z0-9]+)*$")
_CODED_TEXT = re.compile(r"^[a-z]+(?:_[a-z0-9]+)*: ")  # "tasks_on_time: Tỷ lệ …", a label stored after its code


def register_change_labels(labels: dict) -> None:
    """A module names the change keys that are not fields of its records: {"line": _("budget line"), …}."""
    DETAIL_LABELS.update(labels)


def register_change_values(values: dict) -> None:
    """A module words the codes a change key holds: {"content": {"machinery": _("…")}} or {"content": function}."""
    DETAIL_VALUES.update(values)


def _app_fields(app_label: str) -> dict[str, models.Field]:
    """The concrete fields of an app's models by name (the first model declaring a name wins)."""
    if app_label not in _FIELD_INDEX:
        index: dict[str, models.Field] = {}
        try:
            app_models = django_apps.get_app_config(app_label).get_models()
        except LookupError:
            app_models = []
        for model in app_models:
            for field in model._meta.get_fields():
                if getattr(field, "concrete", False) and not field.auto_created:
                    index.setdefault(field.name, field)
        _FIELD_INDEX[app_label] = index
    return _FIELD_INDEX[app_label]


def _app_choices(app_label: str) -> dict[str, str]:
    """Every stored code of a choice field of an app's models, with its label (a code means one thing in an app)."""
    if app_label not in _CHOICE_INDEX:
        choices: dict[str, object] = {}
        for field in _app_fields(app_label).values():
            if field.choices:
                for value, label in field.flatchoices:
                    choices.setdefault(str(value), label)
        # Choices a service stores without a field that declares them (a ledger entry's kind, a council's conclusion).
        try:
            module = django_apps.get_app_config(app_label).models_module
        except LookupError:
            module = None
        for member in vars(module).values() if module else ():
            if isinstance(member, type) and issubclass(member, models.Choices) and member.__module__ == module.__name__:
                for value, label in member.choices:
                    choices.setdefault(str(value), label)
        _CHOICE_INDEX[app_label] = choices
    return _CHOICE_INDEX[app_label]


_FIELD_INDEX: dict[str, dict[str, models.Field]] = {}
_CHOICE_INDEX: dict[str, dict[str, object]] = {}


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _number_text(value) -> str:
    if isinstance(value, float) or (isinstance(value, str) and _DECIMAL.match(value)):
        whole, _sep, frac = f"{Decimal(str(value)):f}".partition(".")
        whole = f"{int(whole):,}".replace(",", ".")
        frac = frac.rstrip("0")
        return f"{whole},{frac}" if frac else whole
    return f"{int(value):,}".replace(",", ".")


def _value_text(field, value, *, name: str = "", app_label: str = "", related: dict | None = None) -> str:
    """One stored value in words: a choice by its label, a date dd/mm/yyyy, money 1.234.567 ₫, Có/Không, a related
    record by its name, a number with Vietnamese separators."""
    if value is None or value == "" or value == [] or value == {}:
        return "∅"
    if value == REDACTED:
        return _("(hidden)")
    if isinstance(value, list):
        return "; ".join(_value_text(field, v, name=name, app_label=app_label, related=related) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key_label(_key_field(None, str(k), app_label), str(k))}: "
                         f"{_value_text(None, v, name=str(k), app_label=app_label, related=related)}"
                         for k, v in value.items())
    if isinstance(value, bool):
        return _yes_no(value)
    words = DETAIL_VALUES.get(name)
    if words is not None:
        said = words(value) if callable(words) else words.get(value)
        if said:
            return str(said)
    if field is not None and getattr(field, "choices", None):
        choices = dict(field.flatchoices)
        if value in choices:
            return str(choices[value])
    if field is not None and field.is_relation and field.many_to_one and (
            isinstance(value, int) or (isinstance(value, str) and _CODE.match(value))):
        return _related_text(field, value, related if related is not None else {})
    if name.endswith("_vnd") and isinstance(value, (int, str)) and str(value).lstrip("-").isdigit():
        return format_vnd(int(value))
    if isinstance(value, str):
        if _ISO_MOMENT.match(value) and (when := parse_datetime(value)):
            if timezone.is_aware(when):
                when = timezone.localtime(when)
            return formats.date_format(when, "H:i d/m/Y")
        if _ISO_DAY.match(value):
            try:
                day = parse_date(value)
            except ValueError:
                day = None
            if day:
                return formats.date_format(day, "d/m/Y")
        if _PERIOD.match(value) and "-" in value:
            try:
                return Period.parse(value).label
            except (InvalidInput, ValueError):
                pass
        if _DECIMAL.match(value):
            return _number_text(value)
        if _CODE.match(value) and app_label and (label := _app_choices(app_label).get(value)):
            return str(label)
        return _CODED_TEXT.sub("", value)
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value)


def _related_text(field, value: int | str, cache: dict) -> str:
    """A related record by its name: stored by id, or by its code (a report type, a content of the catalogue)."""
    key = (field.related_model, value)
    if key not in cache:
        manager = field.related_model._default_manager
        if isinstance(value, int):
            found = manager.filter(pk=value).first()
        elif any(f.name == "code" for f in field.related_model._meta.concrete_fields):
            found = manager.filter(code=value).first()
        else:
            found = None
        cache[key] = str(found) if found is not None else (
            _("no. %(number)s") % {"number": value} if isinstance(value, int) else value)
    return cache[key]


def _key_field(model, name: str, app_label: str):
    """The field a change key names, unless a registered detail label names it first: the record's own field, a
    registered label, a field of a model of the record's app."""
    if model is not None and _own_field(model, name):
        return model._meta.get_field(name)
    if name in DETAIL_LABELS:
        return None
    return _app_fields(app_label).get(name) if app_label else None


def _key_label(field, name: str) -> str:
    verbose = getattr(field, "verbose_name", "") if field is not None else ""
    # Django names a field without a verbose name after its attribute ("report"): that is code, not words.
    if verbose and str(verbose) != name.replace("_", " "):
        return str(verbose)
    if name in DETAIL_LABELS:
        return str(DETAIL_LABELS[name])
    model = next((m for m in django_apps.get_models() if m._meta.model_name == name), None)
    return str(model._meta.verbose_name) if model is not None else name


def _own_field(model, name: str) -> bool:
    """Whether the record's model has a field of that name (not a reverse relation: "members" of a council)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "concrete", False) or (field.many_to_many and not field.auto_created))


def describe_changes(event: AuditEvent, related: dict | None = None) -> list[tuple[str, str, str | None]]:
    """(field in words, old value, new value) for each change; the old value is None for a detail that is not a
    change (the address of a sign-in). A key "<who>.<field>" (a trainee's result) reads "<who> — <field in words>".
    `related` keeps the names of related records already read, across the events of one page."""
    model = event.content_type.model_class() if event.content_type_id else None
    app_label = model._meta.app_label if model else ""
    related = {} if related is None else related
    rows = []
    for key, value in (event.changes or {}).items():
        who, _dot, name = key.rpartition(".") if "." in key and not key.endswith(".") else ("", "", key)
        field = _key_field(model, name, app_label)
        label = capfirst(_key_label(field, name))
        if who:
            label = f"{who} — {label}"
        pair = isinstance(value, list) and len(value) == 2 and not (field and field.many_to_many and
                                                                     not isinstance(value[0], list))
        texts = [_value_text(field, v, name=name, app_label=app_label, related=related)
                 for v in (value if pair else [value])]
        if pair and texts[0] == texts[1] == "∅":  # nothing on either side (no file attached): not a change
            continue
        if pair:
            rows.append((label, texts[0], texts[1]))
        else:
            rows.append((label, None, texts[0]))
    return rows


def history_rows(events) -> list[dict]:
    """An object's history as its page shows it, with the same words as the audit search: when, who, the action in
    words and each change described."""
    related: dict = {}
    return [{"event": event, "label": action_label(event.action), "changes": describe_changes(event, related)}
            for event in events]


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
