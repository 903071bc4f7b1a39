"""Dossiers (list, detail with readiness and budget, workflow moves) and the public funding catalogue."""
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from hom.accounts.models import STAFF_ROLES, Role
from hom.api.problems import problem
from hom.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from migrants.api.access import api_access, api_filters
from migrants.models import AccessAction, AccessTarget

from .. import selectors, services
from ..filters import DossierFilter
from ..funding import selectors as funding_selectors
from ..funding.filters import FundingOpportunityFilter
from .serializers import (
    DossierDetailSerializer,
    DossierSerializer,
    FundingMatchSerializer,
    FundingOpportunitySerializer,
    MoveSerializer,
)

DOSSIER_ROLES = (*STAFF_ROLES, Role.MIGRANT)


def _log_dossier(request, dossier, *, what: str = "") -> None:
    api_access(request, action=AccessAction.VIEW, target=AccessTarget.DOSSIER, migrant_id=dossier.promoter_id,
               object_id=dossier.pk, what=what)


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Project dossiers: staff see their office's, a migrant their own."""

    allowed_roles = DOSSIER_ROLES
    serializer_class = DossierSerializer
    filterset_class = DossierFilter

    def get_queryset(self):
        return selectors.dossier_list(user=self.request.user)

    def get_object(self):
        return selectors.dossier_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        api_access(request, action=AccessAction.EXPORT, target=AccessTarget.DOSSIER, what=api_filters(request))
        return response

    @extend_schema(responses=DossierDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        _log_dossier(request, dossier)
        return Response(self._detail(dossier))

    def _detail(self, dossier):
        context = {
            **self.get_serializer_context(),
            "readiness": selectors.dossier_readiness(dossier),
            "allowed_moves": selectors.allowed_transitions(dossier, self.request.user),
        }
        return DossierDetailSerializer(dossier, context=context).data

    @extend_schema(request=MoveSerializer, responses={200: DossierDetailSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the dossier along the workflow: only the moves in ``allowed_moves`` are accepted (403 otherwise)."""
        dossier = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.dossier_transition(dossier=dossier, actor=request.user, **serializer.validated_data)
        except PermissionDenied as refusal:
            return problem(status.HTTP_403_FORBIDDEN, str(refusal))
        _log_dossier(request, dossier, what=f"move {serializer.validated_data['to_status']}")
        return Response(self._detail(self.get_object()))

    @extend_schema(responses=FundingMatchSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="funding-matches", pagination_class=None, filterset_class=None)
    def funding_matches(self, request, pk=None):
        """The catalogue's programmes with the dossier's eligibility for each, as on the dossier page."""
        dossier = self.get_object()
        _log_dossier(request, dossier, what="funding matches")
        matches = funding_selectors.funding_matches(funding_selectors.dossier_facts(dossier))
        return Response(FundingMatchSerializer(matches, many=True).data)


class CataloguePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class FundingOpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    """The funding catalogue: public, read-only, with the catalogue page's search and filters."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = viewsets.ReadOnlyModelViewSet.authentication_classes
    throttle_classes = [TokenRateThrottle, AnonymousRateThrottle]
    serializer_class = FundingOpportunitySerializer
    filterset_class = FundingOpportunityFilter
    pagination_class = CataloguePagination

    def get_queryset(self):
        return funding_selectors.opportunities_for_list(self.request.user)

    def get_object(self):
        return funding_selectors.opportunity_for_detail(self.request.user, self.kwargs["pk"])
