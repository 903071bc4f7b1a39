"""URLs of transfers, included under /migrants/transfers/ in the registry's namespace."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.transfer_list, name="transfer_list"),
    path("request/", views.transfer_request, name="transfer_request"),
    path("<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
]
