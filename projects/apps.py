from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PROJECTS = _("Projects")


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project dossiers and funding")
    # Office admins edit the document checklist and the funding catalogue in the Django admin
    # (hom.accounts.backends).
    reference_data_models = ("DocumentType", "DocumentRequirement", "FundingOpportunity")
    # Role values as plain strings: models cannot be imported while apps load.
    navigation = (
        {"label": _("My projects"), "url_name": "projects:list", "roles": {"migrant"}},
        {"label": _("Dossiers"), "group": PROJECTS, "url_name": "projects:list", "roles": {"advisor", "admin"}},
        {"label": _("Review queue"), "group": PROJECTS, "url_name": "projects:queue", "roles": {"advisor", "admin"}},
        {"label": _("Funding applications"), "group": PROJECTS, "url_name": "projects:applications", "roles": {"advisor", "admin"}},
        # The catalogue is public; logged-in users of every role find it in the menu too.
        {
            "label": _("Funding"), "group": PROJECTS, "url_name": "funding:list",
            "roles": {"admin", "advisor", "migrant", "authority", "partner"},
        },
    )
    # Due items for the reminders (hom.notifications.due), as dotted paths.
    # Its endpoints under /api/v1/ (hom.api includes this module; docs/api.md).
    api_urls = "projects.api.urls"
    reminder_providers = (
        "projects.reminders.funding_deadlines",
        "projects.reminders.dossiers_waiting",
        "projects.reminders.changes_requested_untouched",
    )
    # What a dossier holds about its promoter (migrants.personal_data, docs/migrants.md).
    personal_data = {
        "models": ("projects.ProjectDossier", "projects.BudgetLine", "projects.FinancingLine",
                   "projects.DossierDocument", "projects.DossierTransition", "projects.ReviewComment",
                   "projects.FundingApplication", "projects.ResultCheck"),
        "files": ("projects.DossierDocument.file",),
        "documents": "projects.personal_data.person_documents",
        "export": "projects.personal_data.export_person",
        "erase": "projects.personal_data.erase_person",
        "retention_hold": "projects.personal_data.retention_hold",
    }

    # What moves with a person transferred to another office (migrants.transfers, docs/migrants.md).
    transfer_hooks = ("projects.transfers.move_open_dossiers",)

    def ready(self):
        # The reference lists the dossier pages cache forget themselves when their rows change.
        from . import caches

        caches.connect()
