"""Public commune profiles (/communes/<code>/) and their editing by staff."""
from django.urls import path

from . import views

app_name = "communes"

urlpatterns = [
    path("<str:code>/", views.commune_profile, name="profile"),
    path("<str:code>/plan/", views.commune_plan, name="plan"),
    path("<str:code>/edit/", views.commune_profile_edit, name="edit"),
]
