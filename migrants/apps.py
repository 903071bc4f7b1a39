from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrantsConfig(AppConfig):
    name = "migrants"
    verbose_name = _("Migrants and visits")
    # Entries of the main navigation, by role (see hom.accounts.context_processors); role keys as
    # strings because models cannot be imported while app configs load.
    navigation = (
        {"label": _("Migrants"), "url_name": "migrants:list", "roles": {"advisor", "admin"}},
        {"label": _("My profile"), "url_name": "migrants:me", "roles": {"migrant"}},
    )
    # Due items for the reminders (hom.notifications.due), as dotted paths.
    reminder_providers = ("migrants.reminders.visit_follow_ups",)
