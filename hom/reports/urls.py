"""URLs of the reports (/reports/, namespace ``reports``) and of the public commune profiles
(/communes/, namespace ``communes``: the profiles and their editing by staff)."""
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:kind>/<str:code>/", views.report, name="report"),
    path("<slug:kind>/<str:code>/print/", views.report_print, name="print"),
    path("<slug:kind>/<str:code>/export.<slug:extension>", views.report_export, name="export"),
]

# Included by hom/urls.py as ``include((commune_urlpatterns, "communes"))``.
commune_urlpatterns = [
    path("<str:code>/", views.commune_profile, name="profile"),
    path("<str:code>/plan/", views.commune_plan, name="plan"),
    path("<str:code>/edit/", views.commune_profile_edit, name="edit"),
]
