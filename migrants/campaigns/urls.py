"""URLs of campaigns, included under /migrants/campaigns/ in the registry's namespace."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("preview/", views.campaign_preview, name="campaign_preview"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/progress/", views.campaign_progress, name="campaign_progress"),
    path("<int:pk>/send/", views.campaign_send, name="campaign_send"),
    path("<int:pk>/schedule/", views.campaign_schedule, name="campaign_schedule"),
    path("<int:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
]
