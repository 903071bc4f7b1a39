"""``/api/``: the schema, its docs, the token pages and ``/api/v1/`` gathered from the apps.

An app publishes its endpoints by naming a URL module on its AppConfig
(``api_urls = "migrants.api.urls"``); this module imports none of them itself.
"""
from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


def v1_patterns() -> list:
    return [
        path("", include(config.api_urls))
        for config in apps.get_app_configs()
        if getattr(config, "api_urls", None)
    ]


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/", include(v1_patterns())),
]
