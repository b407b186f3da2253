"""Read-only admin views: plans, projects and the ledger change only through the services (audited, checked)."""

from django.contrib import admin

from khuyencong.core.admin import AuditedModelAdmin

from .models import AnnualPlan, LedgerEntry, PlanAdjustment, Programme, Project


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "fund", "province", "start_year", "end_year", "decision_number")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "fund", "province", "envelope_vnd", "decision_number")
    list_filter = ("fund", "year")


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("plan", "decision_number", "decision_date", "previous_envelope_vnd", "envelope_vnd")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "status", "province", "due_date")
    list_filter = ("status", "kind", "plan__fund", "plan__year")
    search_fields = ("code", "title_folded")
    list_select_related = ("province",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("project", "kind", "amount_vnd", "on_date", "reference", "reverses")
    list_filter = ("kind",)
    list_select_related = ("project", "reverses")
