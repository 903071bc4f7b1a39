from django.contrib import admin

from .models import Digest, Notification, NotificationPreference, OfficeReminderSettings, Reminder


@admin.register(OfficeReminderSettings)
class OfficeReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["office", "waiting_days"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["recipient", "email_enabled", "language"]
    raw_id_fields = ["recipient"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "recipient", "state", "attempts", "item_count", "new_count", "sent_at"]
    list_filter = ["state", "day"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Digest._meta.fields]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["due_on", "recipient", "kind", "object_key", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Reminder._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "reminder"]
