from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Message, OptOut


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Read only: what was sent to whom, and what the gateway said."""

    list_display = ("queued_at", "channel", "masked_to", "status", "attempts", "segments", "source", "error")
    list_filter = ("status", "channel", "office")
    search_fields = ("=to", "=key", "=source", "=person_key", "=provider_id")
    date_hierarchy = "queued_at"
    list_select_related = ("office",)
    readonly_fields = [field.name for field in Message._meta.fields]


@admin.register(OptOut)
class OptOutAdmin(ReadOnlyAdmin):
    list_display = ("phone", "source", "created_at")
    search_fields = ("=phone",)
    readonly_fields = ("phone", "source", "created_at")
