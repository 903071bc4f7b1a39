from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("hooks/<slug:backend>/status/", views.status_hook, name="status_hook"),
    path("hooks/<slug:backend>/inbound/", views.inbound_hook, name="inbound_hook"),
]
