"""URLs of the project dossiers (/projects/)."""
from django.urls import path

from projects import views
from projects.funding import views as funding_views
from projects.results.urls import urlpatterns as results_urls

app_name = "projects"

urlpatterns = [
    path("", views.dossier_list_view, name="list"),
    path("queue/", views.review_queue_view, name="queue"),
    path("applications/", funding_views.application_list, name="applications"),
    path("applications/<int:pk>/move/", funding_views.application_move, name="application_move"),
    path("new/", views.dossier_create_view, name="create"),
    path("<int:pk>/", views.dossier_detail_view, name="detail"),
    path("<int:pk>/print/", views.dossier_print_view, name="print"),
    path("<int:pk>/funding/", views.dossier_funding_view, name="funding"),
    path("<int:pk>/edit/<slug:step>/", views.dossier_step_view, name="step"),
    path("<int:pk>/budget-lines/", views.budget_line_add_view, name="budget_line_add"),
    path("<int:pk>/budget-lines/<int:line_pk>/delete/", views.budget_line_delete_view, name="budget_line_delete"),
    path("<int:pk>/financing-lines/", views.financing_line_add_view, name="financing_line_add"),
    path(
        "<int:pk>/financing-lines/<int:line_pk>/delete/", views.financing_line_delete_view, name="financing_line_delete"
    ),
    path("<int:pk>/documents/", views.document_upload_view, name="document_upload"),
    path("<int:pk>/transition/", views.dossier_transition_view, name="transition"),
    path("<int:pk>/comments/", views.review_comment_add_view, name="comment_add"),
    path("<int:pk>/assign/", views.dossier_assign_view, name="assign"),
    path("<int:pk>/applications/", funding_views.application_create, name="application_create"),
    path("documents/<int:pk>/", views.document_download_view, name="document"),
    *results_urls,
]
