"""The registry in the Django admin: read-only, for the national admin.

Every write goes through the services (file numbers, consent, history author), so the
admin shows persons, visits, link requests and imports without letting anyone edit them.
"""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LinkRequest, Migrant, MigrantImport, Visit


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Migrant)
class MigrantAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["file_number", "last_name", "first_name", "office", "situation", "commune_of_origin", "created_at"]
    list_filter = ["office", "situation"]
    search_fields = ["file_number", "search_name", "phone", "email"]
    list_select_related = ["office", "commune_of_origin"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["occurred_at", "migrant", "office", "channel", "follow_up_on", "follow_up_done"]
    list_filter = ["office", "channel", "follow_up_done"]
    list_select_related = ["migrant", "office"]


@admin.register(LinkRequest)
class LinkRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "migrant", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["user", "migrant"]


@admin.register(MigrantImport)
class MigrantImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "office", "status", "imported_count", "created_at"]
    list_filter = ["status", "office"]
    exclude = ["rows"]
