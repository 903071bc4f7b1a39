"""URLs of the funding catalogue (/funding/): public search and detail, admin editing."""
from django.urls import path

from projects.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_create, name="create"),
    path("check/", views.eligibility_check, name="check"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_update, name="update"),
]
