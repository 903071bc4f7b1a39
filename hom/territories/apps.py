from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "hom.territories"
    label = "territories"
    verbose_name = _("Territories and reference data")
    # Office admins may edit these in the Django admin (hom.accounts.backends).
    reference_data_models = ("Sector", "NeedCategory")
