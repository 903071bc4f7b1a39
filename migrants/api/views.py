"""Persons, their visits and anonymous walk-ins in the API: the registry's scoping, filters and services."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import STAFF_ROLES, Role
from hom.api.problems import problem

from .. import selectors, services
from ..filters import MigrantFilter
from ..models import AccessAction, AccessTarget, Visit
from .access import api_access, api_filters
from .serializers import (
    DuplicateProblemSerializer,
    DuplicateSerializer,
    MigrantCreateSerializer,
    MigrantSerializer,
    VisitSerializer,
    WalkInSerializer,
)


class ApiMigrantFilter(MigrantFilter):
    """The registry's filters and search; the order is the cursor's (newest first)."""


ApiMigrantFilter.base_filters.pop("sort", None)


def _erased_refusal(migrant):
    refusal = services.erased_record_refusal(migrant)
    return problem(status.HTTP_409_CONFLICT, refusal) if refusal else None


@extend_schema_view(
    create=extend_schema(
        request=MigrantCreateSerializer,
        responses={201: MigrantSerializer, 409: OpenApiResponse(DuplicateProblemSerializer)},
    ),
)
class MigrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Persons of the registry: staff see their office's, a migrant only their own record."""

    allowed_roles = (*STAFF_ROLES, Role.MIGRANT)
    write_roles = STAFF_ROLES
    serializer_class = MigrantSerializer
    filterset_class = ApiMigrantFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.migrants_visible_to(self.request.user).prefetch_related("sectors_of_interest")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return MigrantCreateSerializer if self.action == "create" else MigrantSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        api_access(request, action=AccessAction.EXPORT, target=AccessTarget.REGISTRY, what=api_filters(request))
        return response

    def retrieve(self, request, *args, **kwargs):
        migrant = self.get_object()
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk)
        return Response(self.get_serializer(migrant).data)

    def create(self, request, *args, **kwargs):
        office = request.user.office
        if office is None:
            return problem(status.HTTP_403_FORBIDDEN, _("Only the staff of an office can register a person."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm = data.pop("confirm", False)
        if not confirm:
            duplicates = selectors.migrant_duplicates(
                office=office, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                birth_year=data.get("birth_year"), commune=data.get("commune_of_origin"),
                phone=data.get("phone") or "", email=data.get("email") or "",
            )
            if duplicates:
                return problem(
                    status.HTTP_409_CONFLICT,
                    _("This person may already be registered. Check the candidates; send again with "
                      "confirm=true to register anyway."),
                    candidates=DuplicateSerializer(duplicates, many=True).data,
                )
        migrant = services.migrant_register(office=office, recorded_by=request.user, advisor=request.user, **data)
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk,
                   what="registration")
        migrant = self.get_object_by_pk(migrant.pk)
        return Response(MigrantSerializer(migrant, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def get_object_by_pk(self, pk):
        self.kwargs["pk"] = pk
        return self.get_object()

    def partial_update(self, request, *args, **kwargs):
        migrant = self.get_object()
        if refused := _erased_refusal(migrant):
            return refused
        serializer = self.get_serializer(migrant, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors_of_interest", None)
        services.migrant_update(migrant=migrant, changed_by=request.user, sectors_of_interest=sectors, **data)
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk,
                   what="update")
        return Response(MigrantSerializer(self.get_object(), context=self.get_serializer_context()).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class VisitViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The visits of one person, newest first; staff log new ones."""

    allowed_roles = (*STAFF_ROLES, Role.MIGRANT)
    write_roles = STAFF_ROLES
    serializer_class = VisitSerializer

    def _migrant(self):
        if not hasattr(self, "_person"):
            self._person = get_visible_or_404(selectors.migrants_visible_to(self.request.user), self.request.user,
                                              pk=self.kwargs["migrant_pk"])
        return self._person

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        return selectors.migrant_visits(self._migrant()).filter(
            pk__in=Visit.objects.visible_to(self.request.user).values("pk"))

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=self._migrant().pk,
                   what="visits")
        return response

    def create(self, request, *args, **kwargs):
        migrant = self._migrant()
        if refused := _erased_refusal(migrant):
            return refused
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_record(migrant=migrant, advisor=request.user, **serializer.validated_data)
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk,
                   what="visit")
        visit = get_object_or_404(selectors.migrant_visits(migrant), pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class WalkInViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Anonymous walk-ins, counted for the statistics of the caller's office."""

    allowed_roles = STAFF_ROLES
    serializer_class = WalkInSerializer

    def get_queryset(self):
        return Visit.objects.visible_to(self.request.user).filter(migrant__isnull=True)

    def create(self, request, *args, **kwargs):
        office = request.user.office
        if office is None:
            return problem(status.HTTP_403_FORBIDDEN, _("Only the staff of an office can count a walk-in."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.walk_in_record(office=office, advisor=request.user, **serializer.validated_data)
        return Response(WalkInSerializer(visit).data, status=status.HTTP_201_CREATED)
