"""URLs of appointments, under /appointments/ (namespace ``appointments``)."""
from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("slots/new/", views.slot_create, name="slot_create"),
    path("slots/<int:pk>/cancel/", views.slot_cancel, name="slot_cancel"),
    path("book/", views.book, name="book"),
    path("person/<int:pk>/", views.book_for_person, name="book_for_person"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/no-show/", views.booking_no_show, name="booking_no_show"),
    path("bookings/<int:pk>/visit/", views.booking_to_visit, name="booking_to_visit"),
]
