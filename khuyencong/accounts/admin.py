from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from khuyencong.core.admin import AuditedModelAdmin

from .models import ApiToken, Organisation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["organisation", "role", "scope_level", "province", "communes", "is_active"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["communes"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Contact"), {"fields": ["full_name", "phone"]})]
    inlines = [RoleAssignmentInline]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_folded", "short_name"]
    raw_id_fields = ["province", "commune", "parent"]

    def save_model(self, request, obj, form, change):
        from khuyencong.core.text import fold

        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["prefix", "user__username"]


# Django's own group admin, audited like ours: a group grants permissions.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    pass
