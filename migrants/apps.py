from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OFFICE = _("Office")


class MigrantsConfig(AppConfig):
    name = "migrants"
    verbose_name = _("Migrants and visits")
    # Entries of the main navigation, by role (see hom.accounts.context_processors); role keys as
    # strings because models cannot be imported while app configs load.
    navigation = (
        {"label": _("Migrants"), "url_name": "migrants:list", "roles": {"advisor", "admin"}},
        {"label": _("Appointments"), "url_name": "appointments:day", "roles": {"advisor", "admin"}},
        {"label": _("My profile"), "url_name": "migrants:me", "roles": {"migrant"}},
        {"label": _("Book an appointment"), "url_name": "appointments:book", "roles": {"migrant"}},
        # The office admin's registry tools, folded into one menu (the bar must fit a laptop).
        {"label": _("Access log"), "url_name": "migrants:access_log", "roles": {"admin"}, "group": OFFICE},
        {"label": _("Retention"), "url_name": "migrants:retention", "roles": {"admin"}, "group": OFFICE},
        {"label": _("Campaigns"), "url_name": "migrants:campaign_list", "roles": {"admin"}, "group": OFFICE},
        {"label": _("Transfers"), "url_name": "migrants:transfer_list", "roles": {"admin"}, "group": OFFICE},
        # Staff reach the sheets from the registry's page (the bar is full for them).
        {"label": _("Procedures"), "url_name": "procedures:list", "roles": {"migrant"}},
    )
    # Pages the service worker keeps for staff to use without a network (hom.pwa, docs/offline.md); each
    # with a form marked data-offline-form that the outbox (static/js/offline.js) saves on the device.
    offline_pages = (
        ("migrants:walk_in_create", _("Count a walk-in")),
        ("migrants:create", _("Register a person")),
        ("migrants:offline_visit", _("Visit of a person registered on this device")),
    )
    # The person's page shows their appointments (migrants/appointments), read only when they have some.
    migrant_page_sections = ("migrants/appointments/_migrant_appointments.html",)
    migrant_page_exists = {"has_appointments": "migrants.Booking"}
    # A person transferred to another office: their future appointments here are cancelled.
    transfer_hooks = ("migrants.appointments.services.appointments_on_transfer",)
    # Its endpoints under /api/v1/ (hom.api includes this module; docs/api.md).
    api_urls = "migrants.api.urls"
    # Due items for the reminders (hom.notifications.due), as dotted paths.
    reminder_providers = ("migrants.reminders.visit_follow_ups",)
    # What the apps hold about a person: see migrants/personal_data.py (the registry) and docs/migrants.md.
    personal_data = {
        "models": (
            "migrants.Migrant", "migrants.Visit", "migrants.LinkRequest",
            "migrants.ContactChoice", "migrants.PhoneCode", "migrants.NoticeSent", "migrants.Transfer",
            "migrants.Booking",
        ),
        "export": "migrants.selectors.migrant_personal_data",
        "erase": "migrants.services.migrant_erase_related",
        "merge": "migrants.notices.personal_data.merge_persons",
        "not_personal": {
            # An import is a staff member's spreadsheet as uploaded; its rows become records, each erasable.
            "migrants.MigrantImport": "a staff upload, not about one person",
            # Before the email is confirmed there is no person in the registry to export or erase; the row
            # becomes the person (and is deleted) at confirmation, and is purged when its link expires.
            "migrants.PendingSignUp": "an unconfirmed sign-up: not yet a person of the registry",
            # The log of staff reads: ids only, no name nor text; kept after an erasure as the record of who read.
            "migrants.PersonAccess": "the staff's access log, ids only",
            # Which device record became which person or visit: ids and times, so that a record sent twice
            # is created once; it follows the person through a merge.
            "migrants.OfflineItem": "the offline sync ledger, ids and times only",
            # The office's guidance sheets on procedures: general texts, about no one.
            "migrants.ProcedureSheet": "the office's guidance sheets, about no one",
            # A message to a group (the registry's filters) and the staff who wrote and sent it; who received
            # it is in hom.messaging's ledger (its messages, with the person's key).
            "migrants.Campaign": "a message to a group, no person in it",
            # An SMS code of an account made with a phone number: a hash, counters and times; deleted at erasure.
            "migrants.AccountCode": "a hashed SMS code of an account, no personal data",
            # An advisor's published time (kind, start, place); who booked it is the Booking, declared above.
            "migrants.Slot": "an advisor's open time, about no migrant",
        },
    }

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import choices, selectors

        choices.connect()
        # The registry search's threshold, set once per database connection (migrants/selectors.py).
        connection_created.connect(selectors.search_threshold_set, dispatch_uid="migrants.search_threshold")
