"""URLs of the results after funding, under the dossier (/projects/<pk>/results/); included by projects.urls."""
from django.urls import path

from projects.results import views

urlpatterns = [
    path("<int:pk>/results/", views.schedule_view, name="results"),
    path("<int:pk>/results/<int:check_pk>/record/", views.record_view, name="result_record"),
]
