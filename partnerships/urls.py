"""URLs of the partnerships app (mounted under /partnerships/)."""
from django.urls import include, path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("mine/", views.organisation_mine, name="mine"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/partners/", views.organisation_partners, name="partners"),
    path("<int:pk>/candidates/", views.organisation_candidates, name="candidates"),
    path("migrant/<int:migrant_pk>/matches/", views.migrant_matches, name="migrant_matches"),
    path(
        "migrant/<int:migrant_pk>/introduce/<int:organisation_pk>/",
        views.introduction_create,
        name="introduction_create",
    ),
    path("introductions/<int:pk>/move/", views.introduction_move, name="introduction_move"),
    path("introductions/follow-ups/", views.introduction_follow_ups, name="follow_ups"),
    path("import/", views.import_list, name="import_list"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/start/", views.import_start, name="import_start"),
    path("directory/", views.public_list, name="public_list"),
    path("directory/<int:pk>/", views.public_detail, name="public_detail"),
    # Conventions (budget, parties, reports), then meetings and events: their own modules, same namespace.
    path("", include("partnerships.conventions.urls")),
    path("", include("partnerships.events.urls")),
    # Partner offers and referrals to them.
    path("", include("partnerships.offers.urls")),
    # Cooperation introductions: a commune and a diaspora association or a foreign local authority.
    path("", include("partnerships.cooperation.urls")),
]
