"""URLs of cooperation introductions (included by ``partnerships.urls``, same namespace)."""
from django.urls import path

from partnerships.cooperation import views

urlpatterns = [
    path("cooperation/", views.cooperation_list, name="cooperation_list"),
    path("cooperation/request/", views.cooperation_request, name="cooperation_request"),
    path("cooperation/new/", views.cooperation_create, name="cooperation_create"),
    path("cooperation/<int:pk>/", views.cooperation_detail, name="cooperation_detail"),
    path("cooperation/<int:pk>/move/", views.cooperation_move, name="cooperation_move"),
    path("cooperation/requests/<int:pk>/close/", views.cooperation_request_close, name="cooperation_request_close"),
]
