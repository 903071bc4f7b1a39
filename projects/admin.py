"""Admin: office admins edit the document checklist; national admins see the dossiers read-only."""
from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from projects.models import DocumentRequirement, DocumentType, ProjectDossier
from projects.tasks import readiness_refresh_open_dossiers


class ChecklistAdmin(admin.ModelAdmin):
    """A change of the checklist changes what open dossiers miss: their readiness is recomputed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(readiness_refresh_open_dossiers.delay)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(readiness_refresh_open_dossiers.delay)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(readiness_refresh_open_dossiers.delay)


@admin.register(DocumentType)
class DocumentTypeAdmin(ChecklistAdmin):
    list_display = ["code", "label_fr", "label_en", "position", "is_active"]
    list_editable = ["label_fr", "label_en", "position", "is_active"]
    search_fields = ["code", "label_fr", "label_en"]


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(ChecklistAdmin):
    list_display = ["document_type", "kind", "sector", "stage", "is_active"]
    list_filter = ["document_type", "kind", "stage", "is_active"]
    list_editable = ["is_active"]
    list_select_related = ["document_type", "sector"]


@admin.register(ProjectDossier)
class ProjectDossierAdmin(SimpleHistoryAdmin):
    """Read-only: dossiers change through the services (workflow, readiness), never here."""

    list_display = ["reference", "title", "office", "status", "readiness", "updated_at"]
    list_filter = ["office", "status", "kind"]
    search_fields = ["reference", "title"]
    list_select_related = ["office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

# The funding catalogue registers its own admin classes.
import projects.funding.admin  # noqa: E402,F401
