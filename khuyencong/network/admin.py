"""Administration of the network's reference data. Regulations are edited here or on the Regulation page (both
through the same service on the page; the admin is for system administrators fixing data)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from khuyencong.core.admin import AuditedModelAdmin

from .models import (
    Collaborator,
    CollaboratorApplication,
    Coverage,
    EvaluationCriterion,
    FeeSheet,
    JoiningStandard,
    Regulation,
    SyncReceipt,
)


class StandardInline(admin.TabularInline):
    model = JoiningStandard
    extra = 0


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 0


@admin.register(Regulation)
class RegulationAdmin(AuditedModelAdmin):
    list_display = ("number", "province", "effective_from", "effective_to", "term_months", "monthly_base_vnd")
    list_filter = ("province",)
    inlines = [StandardInline, CriterionInline]


class CoverageInline(admin.TabularInline):
    model = Coverage
    fk_name = "collaborator"
    extra = 0
    raw_id_fields = ("unit", "province", "moved_from")
    readonly_fields = ("ended_by", "created_by_move")

    def has_delete_permission(self, request, obj=None):
        return False  # the coverage history is never deleted


@admin.register(Collaborator)
class CollaboratorAdmin(AuditedModelAdmin):
    list_display = ("code", "full_name", "province", "status", "term_end")
    list_filter = ("status", "province")
    search_fields = ("code", "name_folded", "phone")
    raw_id_fields = ("residence_commune", "user", "province", "regulation")
    inlines = [CoverageInline]


@admin.register(CollaboratorApplication)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ("reference", "full_name", "province", "status", "submitted_at")
    list_filter = ("status", "province")
    raw_id_fields = ("residence_commune", "province", "communes", "collaborator", "regulation")


@admin.register(FeeSheet)
class FeeSheetAdmin(AuditedModelAdmin):
    list_display = ("province", "period_kind", "year", "number", "status", "total_vnd")
    list_filter = ("status", "province")
    readonly_fields = ("scheme", "total_vnd", "signed_by", "signed_at")


@admin.register(SyncReceipt)
class SyncReceiptAdmin(AuditedModelAdmin):
    """What collaborators' phones sent and the server accepted, for support staff answering "did my survey arrive?"
    (a refused item leaves no row: it stays on the phone with its reason). Read-only: the receipts are the record
    that makes a retry harmless."""

    list_display = ("received_at", "user", "kind", "object_label", "conflict", "message")
    list_filter = ("kind", "conflict")
    search_fields = ("user__username", "client_id", "object_label")
    date_hierarchy = "received_at"
    list_select_related = ("user",)
    readonly_fields = ("user", "client_id", "kind", "object_label", "record_link", "conflict", "message",
                       "received_at")

    @admin.display(description=_("record made from it"))
    def record_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.object_url, obj.object_label) if obj.object_url else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
