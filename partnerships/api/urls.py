"""``/api/v1/organisations/`` and ``/api/v1/introductions/``, included by hom.api (PartnershipsConfig.api_urls)."""
from rest_framework.routers import SimpleRouter

from .views import IntroductionViewSet, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("introductions", IntroductionViewSet, basename="introduction")

urlpatterns = router.urls
