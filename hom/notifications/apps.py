from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hom.notifications"
    label = "notifications"
    verbose_name = _("Notifications and reminders")
    navigation = ()
    # Due items come from the domain apps, each declaring its providers on its own AppConfig
    # (``reminder_providers``, dotted paths, read by ``due.provider_paths``): this app imports none of them.
    # What it holds about a person (migrants.personal_data): a migrant's account gets notifications too.
    personal_data = {
        "models": ("notifications.Notification", "notifications.Reminder", "notifications.Digest",
                   "notifications.NotificationPreference"),
        "export": "hom.notifications.personal_data.export_person",
        "erase": "hom.notifications.personal_data.erase_person",
    }

    def ready(self):
        # The `check --deploy` warning about a missing SITE_URL, which every emailed link needs,
        # and the receivers that forget a person's cached unread count when their notifications change.
        from hom import links  # noqa: F401
        from hom.notifications import counts  # noqa: F401
