"""``/api/v1/reports/<kind>/<code>/`` and ``/api/v1/communes/<code>/``, included by hom.api (see ReportsConfig.api_urls)."""
from django.urls import path

from .views import CommuneProfileView, ReportView

urlpatterns = [
    path("reports/<slug:kind>/<str:code>/", ReportView.as_view(), name="report"),
    path("communes/<str:code>/", CommuneProfileView.as_view(), name="commune-profile"),
]
