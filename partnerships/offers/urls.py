"""URLs of partner offers and referrals (included by ``partnerships.urls``, same namespace)."""
from django.urls import path

from partnerships.offers import views

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/refer/", views.offer_find_person, name="offer_find_person"),
    path("offers/referrals/", views.referral_list, name="referral_list"),
    path("offers/referrals/<int:pk>/move/", views.referral_move, name="referral_move"),
    path("migrant/<int:migrant_pk>/refer/", views.referral_create, name="referral_create"),
]
