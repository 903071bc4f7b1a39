from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Associations and partnerships")
    # Role values as plain strings: models cannot be imported while apps load.
    navigation = (
        {"label": _("Associations"), "url_name": "partnerships:list", "roles": {"advisor", "admin"}},
        {"label": _("My organisation"), "url_name": "partnerships:mine", "roles": {"partner"}},
        {"label": _("Conventions"), "url_name": "partnerships:convention_list", "roles": {"advisor", "admin"}},
        {"label": _("My conventions"), "url_name": "partnerships:convention_list", "roles": {"partner"}},
    )
    # The person's page shows their introductions (docs/migrants.md).
    migrant_page_sections = ("partnerships/_migrant_introductions.html",)
    # What an erased person leaves here loses its text (migrants.services.migrant_erase).
    person_erasure_hooks = ("partnerships.services.introductions_erase_person",)
    # Due items for the reminders (hom.notifications.due), as dotted paths.
    reminder_providers = (
        "partnerships.reminders.introductions_due",
        "partnerships.reminders.convention_reports_due",
        "partnerships.reminders.meeting_actions_due",
    )
