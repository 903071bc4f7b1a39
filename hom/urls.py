"""Root URLs. No language prefix: the language lives in a cookie set by /i18n/setlang/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.accounts.views import home
from hom.health import healthz
from hom.reports.urls import commune_urlpatterns

admin.site.site_header = format_lazy(_("{name} administration"), name=settings.SITE_NAME)
admin.site.site_title = settings.SITE_SHORT_NAME

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("hom.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("migrants/", include("migrants.urls")),
    path("procedures/", include("migrants.procedures.urls")),
    path("appointments/", include("migrants.appointments.urls")),
    path("projects/", include("projects.urls")),
    path("funding/", include("projects.funding.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("reports/", include("hom.reports.urls")),
    path("communes/", include((commune_urlpatterns, "communes"))),
    path("territories/", include("hom.territories.urls")),
    path("notifications/", include("hom.notifications.urls")),
    path("messaging/", include("hom.messaging.urls")),
    path("api/", include("hom.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("hom.pwa.urls")),
]
