"""``/api/v1/organisations/``, ``introductions/``, ``conventions/`` and ``convention-reports/``.

Included by hom.api (see PartnershipsConfig.api_urls).
"""
from hom.api.routers import ApiRouter

from .views import ConventionReportViewSet, ConventionViewSet, IntroductionViewSet, OrganisationViewSet

router = ApiRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("introductions", IntroductionViewSet, basename="introduction")
router.register("conventions", ConventionViewSet, basename="convention")
router.register("convention-reports", ConventionReportViewSet, basename="convention-report")

urlpatterns = router.urls
