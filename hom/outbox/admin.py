from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read only: what waits for the broker, and why (``last_error``)."""

    list_display = ("task", "args", "created_at", "published_at", "attempts", "last_error")
    list_filter = ("published_at",)
    readonly_fields = ("task", "args", "created_at", "claimed_at", "published_at", "attempts", "last_error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
