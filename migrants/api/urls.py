"""``/api/v1/migrants/`` and ``/api/v1/walk-ins/``, included by hom.api (see MigrantsConfig.api_urls)."""
from django.urls import path

from hom.api.routers import ApiRouter

from .views import MigrantViewSet, VisitViewSet, WalkInViewSet

router = ApiRouter()
router.register("migrants", MigrantViewSet, basename="migrant")
router.register("walk-ins", WalkInViewSet, basename="walk-in")

urlpatterns = [
    *router.urls,
    path("migrants/<int:migrant_pk>/visits/", VisitViewSet.as_view({"get": "list", "post": "create"}),
         name="migrant-visits"),
]
