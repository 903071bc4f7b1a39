"""Admin: office admins edit the document checklist; national admins see the dossiers read-only."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentRequirement, DocumentType, ProjectDossier


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "position", "is_active"]
    list_editable = ["label_fr", "label_en", "position", "is_active"]
    search_fields = ["code", "label_fr", "label_en"]


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
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
