"""URLs of the reports (/reports/)."""
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:kind>/<str:code>/", views.report, name="report"),
    path("<slug:kind>/<str:code>/print/", views.report_print, name="print"),
    path("<slug:kind>/<str:code>/export.<slug:extension>", views.report_export, name="export"),
]
