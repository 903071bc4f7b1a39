from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project dossiers and funding")
    navigation = (
        # The catalogue is public; logged-in users of every role find it in the menu too.
        {
            "label": _("Funding"),
            "url_name": "funding:list",
            # Role values as strings: models cannot be imported while apps load.
            "roles": {"admin", "advisor", "migrant", "authority", "partner"},
        },
    )
    # Office admins maintain the national catalogue in the Django admin too.
    reference_data_models = ("FundingOpportunity",)
