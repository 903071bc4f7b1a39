from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrantsConfig(AppConfig):
    name = "migrants"
    verbose_name = _("Migrants and visits")
    # Entries of the main navigation, by role (see hom.accounts.context_processors).
    navigation = ()
