from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API's wiring: tokens, authentication, throttling, problem details, routes.

    It imports no domain app: each declares ``api_urls = "<app>.api.urls"`` on its AppConfig
    and :mod:`hom.api.urls` includes them under ``/api/v1/``.
    """

    name = "hom.api"
    label = "api"
    verbose_name = _("API")
    navigation = ()
    personal_data = {
        "not_personal": {"api.ApiToken": "a credential of an account, deleted with it; says nothing about a person"},
    }

    def ready(self):
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
