"""Organisations and introductions in the API: the directory's scoping, the services for every write."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import STAFF_ROLES, Role
from migrants.api.access import api_access, api_filters
from migrants.models import AccessAction, AccessTarget, Migrant
from projects.models import ProjectDossier

from .. import selectors, services
from ..models import Organisation
from .serializers import IntroductionMoveSerializer, IntroductionSerializer, OrganisationSerializer


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of organisations: staff see all, a partner their own organisation."""

    allowed_roles = (*STAFF_ROLES, Role.PARTNER)
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        queryset = selectors.organisations_for_directory(self.request.user).order_by("pk")
        query = self.request.query_params.get("q", "")
        return selectors.organisation_search(queryset, query) if query else queryset

    def get_object(self):
        return get_visible_or_404(selectors.organisations_for_directory(self.request.user), self.request.user,
                                  pk=self.kwargs["pk"])


def _log_introduction(request, introduction, *, what: str = "") -> None:
    """An introduction tells about its person: read or written, it is in the access log."""
    api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=introduction.migrant_id,
               what=" ".join(part for part in (f"introduction {introduction.pk}", what) if part))


class IntroductionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Introductions of persons to organisations: the office's for staff, a partner's own, a migrant's own."""

    allowed_roles = (*STAFF_ROLES, Role.PARTNER, Role.MIGRANT)
    write_roles = STAFF_ROLES
    serializer_class = IntroductionSerializer

    def get_queryset(self):
        return selectors.introductions_visible_to(self.request.user)

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        api_access(request, action=AccessAction.EXPORT, target=AccessTarget.REGISTRY,
                   what=" ".join(part for part in ("introductions", api_filters(request)) if part))
        return response

    def retrieve(self, request, *args, **kwargs):
        introduction = self.get_object()
        _log_introduction(request, introduction)
        return Response(self.get_serializer(introduction).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        # The ids sent are looked up again within what the caller may see: out of scope is 404.
        migrant = get_visible_or_404(Migrant, user, pk=data.pop("migrant").pk)
        organisation = get_visible_or_404(Organisation, user, pk=data.pop("organisation").pk)
        dossier = data.pop("dossier", None)
        if dossier is not None:
            dossier = get_visible_or_404(ProjectDossier, user, pk=dossier.pk)
        introduction = services.introduction_create(
            migrant=migrant, organisation=organisation, introduced_by=user, dossier=dossier, **data
        )
        _log_introduction(request, introduction)
        return Response(IntroductionSerializer(introduction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IntroductionMoveSerializer, responses=IntroductionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the introduction to its next status (the service refuses the moves it does not allow)."""
        introduction = self.get_object()
        serializer = IntroductionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        introduction = services.introduction_move(introduction=introduction, **serializer.validated_data)
        _log_introduction(request, introduction, what=f"move {introduction.status}")
        return Response(IntroductionSerializer(introduction).data)

