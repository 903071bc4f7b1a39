from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hom.notifications"
    label = "notifications"
    verbose_name = _("Notifications and reminders")
    navigation = ()
    # Providers of due items for what exists today (see providers.py for the slots to fill).
    # Other apps declare theirs on their own AppConfig, as dotted paths.
    reminder_providers = (
        "hom.notifications.providers.visit_follow_ups",
        "hom.notifications.providers.dossiers_waiting",
        "hom.notifications.providers.changes_requested_untouched",
    )
    # What it holds about a person (migrants.personal_data): a migrant's account gets notifications too.
    personal_data = {
        "models": ("notifications.Notification", "notifications.Reminder", "notifications.Digest",
                   "notifications.NotificationPreference"),
        "export": "hom.notifications.personal_data.export_person",
        "erase": "hom.notifications.personal_data.erase_person",
    }
