from django.contrib import admin

from khuyencong.core.admin import AuditedModelAdmin

from .models import AdminUnit, AdminUnitPeriod, Succession


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditedModelAdmin):
    list_display = ["name", "scheme", "level", "code", "kind", "parent"]
    list_filter = ["scheme", "level", "kind"]
    search_fields = ["name", "name_folded", "code"]
    raw_id_fields = ["parent", "province"]


@admin.register(AdminUnitPeriod)
class AdminUnitPeriodAdmin(AuditedModelAdmin):
    list_display = ["unit", "kind", "name", "valid_from", "valid_to", "basis"]
    raw_id_fields = ["unit"]


@admin.register(Succession)
class SuccessionAdmin(AuditedModelAdmin):
    list_display = ["legacy", "current", "partial"]
    raw_id_fields = ["legacy", "current"]
    list_select_related = ["legacy", "current"]
