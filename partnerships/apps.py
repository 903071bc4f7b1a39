from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTNERSHIPS = _("Partnerships")


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Associations and partnerships")
    # Its endpoints under /api/v1/ (hom.api includes this module; docs/api.md).
    api_urls = "partnerships.api.urls"
    # Role values as plain strings: models cannot be imported while apps load.
    navigation = (
        {"label": _("Associations"), "url_name": "partnerships:list", "roles": {"advisor", "admin"}, "group": PARTNERSHIPS},
        {"label": _("My organisation"), "url_name": "partnerships:mine", "roles": {"partner"}},
        {"label": _("Conventions"), "url_name": "partnerships:convention_list", "roles": {"advisor", "admin"},
         "group": PARTNERSHIPS},
        {"label": _("Partnerships dashboard"), "url_name": "partnerships:convention_dashboard", "roles": {"admin"},
         "group": PARTNERSHIPS},
        {"label": _("My conventions"), "url_name": "partnerships:convention_list", "roles": {"partner"}},
        {"label": _("Open actions"), "url_name": "partnerships:action_list", "roles": {"advisor", "admin"},
         "group": PARTNERSHIPS},
        {"label": _("Events"), "url_name": "partnerships:event_list", "roles": {"advisor", "admin"}, "group": PARTNERSHIPS},
        {"label": _("Partner offers"), "url_name": "partnerships:offer_list", "roles": {"advisor", "admin"},
         "group": PARTNERSHIPS},
        {"label": _("Open referrals"), "url_name": "partnerships:referral_list", "roles": {"advisor", "admin"},
         "group": PARTNERSHIPS},
        {"label": _("Trainings"), "url_name": "partnerships:training_list", "roles": {"migrant"}},
        {"label": _("Cooperation"), "url_name": "partnerships:cooperation_list", "roles": {"advisor", "admin"},
         "group": PARTNERSHIPS},
        {"label": _("Cooperation"), "url_name": "partnerships:cooperation_list", "roles": {"authority"}},
    )
    # The person's page shows their introductions and events (docs/migrants.md).
    migrant_page_sections = ("partnerships/_migrant_introductions.html", "partnerships/events/_migrant_events.html",
                             "partnerships/offers/_migrant_referrals.html")
    # Whether the person has rows for each section, read with the person (one EXISTS each, in the
    # person's own query): a section with nothing to show costs no query (migrants.selectors).
    migrant_page_exists = {
        "has_introductions": "partnerships.Introduction",
        "has_event_participations": "partnerships.EventParticipant",
        "has_offer_referrals": "partnerships.OfferReferral",
    }
    # What it holds about a person (migrants.personal_data, docs/migrants.md).
    personal_data = {
        "models": ("partnerships.Introduction", "partnerships.EventParticipant", "partnerships.OfferReferral"),
        "export": "partnerships.personal_data.export_person",
        "erase": "partnerships.personal_data.erase_person",
        "merge": "partnerships.personal_data.merge_persons",
        # Related to accounts of staff or partners only, never to a migrant's.
        "not_personal": {
            "partnerships.Organisation": "its partner accounts are partners",
            "partnerships.OrganisationImport": "a staff upload",
            "partnerships.Convention": "its advisor and author are staff",
            "partnerships.ConventionTransition": "moved by staff",
            "partnerships.ReportItem": "submitted by partners, accepted by staff",
            "partnerships.Meeting": "written by staff about a convention",
            "partnerships.ActionItem": "owned by staff",
            "partnerships.Event": "created by staff; its participants are declared",
            "partnerships.PartnerOffer": "written by staff about a partner's product; its referrals are declared",
            "partnerships.CooperationRequest": "a commune's request, made by its authority account; no migrant in it",
            "partnerships.CooperationIntroduction": "a commune and an organisation, written by staff; no migrant in it",
        },
    }
    # Due items for the reminders (hom.notifications.due), as dotted paths.
    reminder_providers = (
        "partnerships.reminders.introductions_due",
        "partnerships.reminders.convention_reports_due",
        "partnerships.reminders.meeting_actions_due",
        "partnerships.reminders.cooperation_due",
    )
