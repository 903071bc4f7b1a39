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
