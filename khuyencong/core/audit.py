"""The audit trail: every service write records one event."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def field_changes(obj: models.Model, data: dict) -> dict:
    """{field: [old, new]} for the fields in data whose value differs from obj's."""
    changes = {}
    for name, new in data.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def audit_record(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )


def audit_events_for(obj: models.Model):
    """The history shown on an object's page, newest first, with the actor in the same query."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
