"""URLs of conventions: list, dashboard, a convention's page, parties, budget and reports."""
from django.urls import path

from partnerships.conventions import views

urlpatterns = [
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/dashboard/", views.convention_dashboard, name="convention_dashboard"),
    path("conventions/new/", views.convention_create, name="convention_create"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention_detail"),
    path("conventions/<int:pk>/edit/", views.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/move/", views.convention_move, name="convention_move"),
    path("conventions/<int:pk>/document/", views.convention_document, name="convention_document"),
    path("conventions/<int:pk>/document/upload/", views.convention_document_upload,
         name="convention_document_upload"),
    path("conventions/<int:pk>/parties/new/", views.party_add, name="convention_party_add"),
    path("conventions/<int:pk>/parties/<int:party_pk>/edit/", views.party_edit, name="convention_party_edit"),
    path("conventions/<int:pk>/parties/<int:party_pk>/remove/", views.party_remove, name="convention_party_remove"),
    path("conventions/<int:pk>/budget/new/", views.budget_line_add, name="convention_budget_line_add"),
    path("conventions/<int:pk>/budget/<int:line_pk>/edit/", views.budget_line_edit,
         name="convention_budget_line_edit"),
    path("conventions/<int:pk>/budget/<int:line_pk>/remove/", views.budget_line_remove,
         name="convention_budget_line_remove"),
    path("conventions/<int:pk>/budget/<int:line_pk>/contributions/new/", views.contribution_add,
         name="convention_contribution_add"),
    path("conventions/<int:pk>/contributions/<int:contribution_pk>/remove/", views.contribution_remove,
         name="convention_contribution_remove"),
    path("conventions/<int:pk>/contributions/<int:contribution_pk>/payment/", views.contribution_payment,
         name="convention_contribution_payment"),
    path("conventions/<int:pk>/reports/new/", views.obligation_add, name="convention_obligation_add"),
    path("conventions/reports/<int:item_pk>/upload/", views.report_upload, name="convention_report_upload"),
    path("conventions/reports/<int:item_pk>/file/", views.report_file, name="convention_report_file"),
    path("conventions/reports/<int:item_pk>/accept/", views.report_accept, name="convention_report_accept"),
    path("conventions/reports/<int:item_pk>/send-back/", views.report_send_back, name="convention_report_send_back"),
]
