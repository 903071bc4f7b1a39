"""URLs of the administrative map (/territories/): the commune picker's search."""

from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("communes/search/", views.commune_search_view, name="commune_search"),
]
