"""The admin site leaves the same audit trail as the services: every admin of the project derives from
AuditedModelAdmin (core/tests/test_admin_audit.py walks the registry)."""

from django.contrib import admin
from django.db import models

from .audit import REDACTED, SECRET_FIELDS, _plain, audit_record
from .models import AuditEvent


def stored_row(obj: models.Model) -> models.Model | None:
    """The row as the database holds it, before the admin's save."""
    if obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def _field_value(obj: models.Model | None, field):
    if obj is None:
        return [] if field.many_to_many else None
    if field.many_to_many:
        return [str(v) for v in getattr(obj, field.name).all()] if obj.pk else []
    if field.is_relation:
        return getattr(obj, field.name)
    return field.value_from_object(obj)


def admin_changes(form, before: models.Model | None, after: models.Model) -> dict:
    """{field: [old, new]} for the model fields the admin form changed, JSON-safe; secrets (password hashes, token
    digests, device keys) are marked changed without their values."""
    changes = {}
    model_fields = {f.name: f for f in after._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many}
    for name in form.changed_data:
        field = model_fields.get(name)
        if field is None:  # a form-only field (the two passwords of the user form)
            continue
        if name in SECRET_FIELDS:
            changes[name] = [REDACTED, REDACTED]
            continue
        old = _field_value(before, field)
        new = [str(v) for v in form.cleaned_data.get(name) or []] if field.many_to_many else _field_value(after, field)
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
    return changes


class AuditedModelAdmin(admin.ModelAdmin):
    """Each save, inline row and deletion made in the admin records one audit event (admin.add, admin.change,
    admin.delete) with the changed fields' old and new values."""

    def save_model(self, request, obj, form, change):
        before = stored_row(obj) if change else None
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="admin.change" if change else "admin.add", obj=obj,
                     changes=admin_changes(form, before, obj))

    def save_related(self, request, form, formsets, change):
        # Inline rows: the stored rows are read before the formsets save them; each added, changed or deleted row
        # gets its own event on its own record.
        stored = {}
        for formset in formsets:
            for inline_form in formset.initial_forms:
                instance = inline_form.instance
                if instance.pk is None:
                    continue
                if formset.can_delete and getattr(inline_form, "cleaned_data", {}).get("DELETE"):
                    audit_record(actor=request.user, action="admin.delete", obj=instance)
                elif inline_form.has_changed():
                    stored[(type(instance), instance.pk)] = stored_row(instance)
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for instance in getattr(formset, "new_objects", []):
                added = next(f for f in formset.forms if f.instance is instance)
                audit_record(actor=request.user, action="admin.add", obj=instance,
                             changes=admin_changes(added, None, instance))
            for instance, _names in getattr(formset, "changed_objects", []):
                changed = next(f for f in formset.forms if f.instance is instance)
                audit_record(actor=request.user, action="admin.change", obj=instance,
                             changes=admin_changes(changed, stored.get((type(instance), instance.pk)), instance))

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one event per deleted record.
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
    """Read only: the trail cannot be changed, through the admin or otherwise."""

    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action", "actor__username"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
