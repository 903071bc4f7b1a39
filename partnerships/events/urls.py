"""URLs of meetings (with their action items) and events (forums, missions, trainings, exchange visits)."""
from django.urls import path

from partnerships.events import views

urlpatterns = [
    path("conventions/<int:convention_pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("conventions/<int:convention_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/toggle/", views.action_toggle, name="action_toggle"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/trainings/", views.training_list, name="training_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/participants/new/", views.participant_add, name="participant_add"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("participants/<int:pk>/attendance/", views.participant_attendance, name="participant_attendance"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
]
