"""Root URLs. No language prefix: the language lives in a cookie set by /i18n/setlang/."""
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from hom.accounts.views import home
from hom.health import healthz
from hom.reports.urls import commune_urlpatterns

admin.site.site_header = _("HOM administration")
admin.site.site_title = _("HOM")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("hom.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("migrants/", include("migrants.urls")),
    path("projects/", include("projects.urls")),
    path("funding/", include("projects.funding.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("reports/", include("hom.reports.urls")),
    path("communes/", include((commune_urlpatterns, "communes"))),
    path("notifications/", include("hom.notifications.urls")),
    path("admin/", admin.site.urls),
]
