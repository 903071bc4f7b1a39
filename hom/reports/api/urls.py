"""``/api/v1/reports/<kind>/<code>/``, included by hom.api (see ReportsConfig.api_urls)."""
from django.urls import path

from .views import ReportView

urlpatterns = [
    path("reports/<slug:kind>/<str:code>/", ReportView.as_view(), name="report"),
]
