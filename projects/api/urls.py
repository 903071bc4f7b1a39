"""``/api/v1/dossiers/`` and ``/api/v1/funding/``, included by hom.api (see ProjectsConfig.api_urls)."""
from hom.api.routers import ApiRouter

from .views import DossierViewSet, FundingOpportunityViewSet

router = ApiRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("funding", FundingOpportunityViewSet, basename="funding")

urlpatterns = router.urls
