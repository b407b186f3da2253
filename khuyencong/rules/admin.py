from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from khuyencong.core.admin import AuditedModelAdmin, admin_changes, stored_row

from . import services
from .models import (
    AdvanceRule,
    AuthorityRule,
    ContentGroup,
    ContentItem,
    CostNorm,
    DeadlineRule,
    EligibilityRule,
    Holiday,
    Parameter,
    SupportRate,
)
from .permissions import can_edit_rules


class RuleAdmin(AuditedModelAdmin):
    """Rule rows are edited by system administrators only; every save and delete goes through the services, which
    validate the row (no overlapping validity) and leave an audit event."""

    list_filter = ["mark", "origin"]
    readonly_fields = ["origin", "version", "created_at", "updated_at"]
    common_fields = ["basis", "effective_from", "effective_to", "province_code", "mark", "note", "key"]

    def has_module_permission(self, request):
        return bool(can_edit_rules(request.user))

    def has_view_permission(self, request, obj=None):
        return bool(can_edit_rules(request.user))

    def has_add_permission(self, request):
        return bool(can_edit_rules(request.user))

    def has_change_permission(self, request, obj=None):
        return bool(can_edit_rules(request.user))

    def has_delete_permission(self, request, obj=None):
        return bool(can_edit_rules(request.user))

    def save_model(self, request, obj, form, change):
        # The service records the event (rules.<model>.add/change), with the admin's old and new values.
        changes = admin_changes(form, stored_row(obj) if change else None, obj)
        services.rule_save(actor=request.user, rule=obj, changes=changes)

    def delete_model(self, request, obj):
        services.rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.rule_delete(actor=request.user, rule=obj)


@admin.register(ContentGroup)
class ContentGroupAdmin(RuleAdmin):
    list_display = ["code", "name", "effective_from", "effective_to", "mark"]
    search_fields = ["code", "name"]
    fieldsets = [(None, {"fields": ["code", "name", "sort_order"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(ContentItem)
class ContentItemAdmin(RuleAdmin):
    list_display = ["code", "name", "group", "effective_from", "effective_to", "mark"]
    list_filter = ["group", "version_tag", *RuleAdmin.list_filter]
    search_fields = ["code", "name"]
    fieldsets = [(None, {"fields": ["code", "name", "group", "version_tag", "sort_order"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(SupportRate)
class SupportRateAdmin(RuleAdmin):
    list_display = ["content", "fund", "province_code", "variant", "max_percent", "max_amount_vnd", "unit",
                    "effective_from", "effective_to", "mark"]
    list_filter = ["fund", "province_code", *RuleAdmin.list_filter]
    list_select_related = ["content"]
    search_fields = ["content__code", "content__name", "basis", "variant"]
    autocomplete_fields = ["content"]
    fieldsets = [(None, {"fields": ["content", "fund", "variant", "variant_label", "max_percent", "cost_basis",
                                    "max_amount_vnd", "unit", "priority_multiplier"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(RuleAdmin):
    list_display = ["code", "outcome", "label", "effective_from", "effective_to", "mark"]
    list_filter = ["outcome", *RuleAdmin.list_filter]
    search_fields = ["code", "label", "basis"]
    fieldsets = [(None, {"fields": ["code", "label", "outcome", "priority", "entity_types", "sme_sizes",
                                    "province_kinds", "commune_kinds", "district_kinds", "requires_craft_village",
                                    "requires_cleaner_production", "reason"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(RuleAdmin):
    list_display = ["code", "label", "kind", "fund", "effective_from", "effective_to", "mark"]
    list_filter = ["fund", "kind", *RuleAdmin.list_filter]
    search_fields = ["code", "label", "basis"]
    fieldsets = [(None, {"fields": ["code", "label", "fund", "kind", "month", "day", "year_offset", "days_after",
                                    "event", "before", "rule_text", "sort_order"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(RuleAdmin):
    list_display = ["kind", "content", "percent", "effective_from", "effective_to", "mark"]
    list_filter = ["kind", *RuleAdmin.list_filter]
    list_select_related = ["content"]
    search_fields = ["content__code", "basis"]
    autocomplete_fields = ["content"]
    fieldsets = [(None, {"fields": ["kind", "content", "percent", "condition"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(RuleAdmin):
    list_display = ["decision", "project_kind", "authority", "effective_from", "effective_to", "mark"]
    list_filter = ["decision", "authority", *RuleAdmin.list_filter]
    search_fields = ["decision", "authority_label", "basis"]
    fieldsets = [(None, {"fields": ["decision", "project_kind", "authority", "authority_label"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(CostNorm)
class CostNormAdmin(RuleAdmin):
    list_display = ["item", "variant", "province_code", "amount_vnd", "unit", "effective_from", "effective_to", "mark"]
    list_filter = ["item", "province_code", *RuleAdmin.list_filter]
    search_fields = ["item", "variant", "variant_label", "basis"]
    fieldsets = [(None, {"fields": ["item", "variant", "variant_label", "places", "amount_vnd", "unit"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(Parameter)
class ParameterAdmin(RuleAdmin):
    list_display = ["code", "label", "value", "unit", "province_code", "effective_from", "effective_to", "mark"]
    list_filter = ["unit", "province_code", *RuleAdmin.list_filter]
    search_fields = ["code", "label", "basis"]
    fieldsets = [(None, {"fields": ["code", "label", "value", "unit"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]


@admin.register(Holiday)
class HolidayAdmin(RuleAdmin):
    list_display = ["effective_from", "name", "mark"]
    search_fields = ["name", "basis"]
    fieldsets = [(None, {"fields": ["name"]}),
                 (_("Rule"), {"fields": RuleAdmin.common_fields}),
                 (_("Record"), {"fields": RuleAdmin.readonly_fields})]
