from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hom.reports"
    label = "reports"
    verbose_name = _("Reports")
    # Role keys as strings: models cannot be imported while app configs load.
    navigation = ({"label": _("Reports"), "url_name": "reports:index", "roles": {"admin", "advisor", "authority"}},)
