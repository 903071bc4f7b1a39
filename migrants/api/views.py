"""Persons, their visits and anonymous walk-ins in the API: the registry's scoping, filters and services."""
import uuid

from django.core.exceptions import ValidationError
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
from ..models import AccessAction, AccessTarget, OfflineKind, OfflineReview, Visit
from ..offline import selectors as offline_selectors
from ..offline import services as offline
from .access import api_access, api_filters
from .serializers import (
    DuplicateProblemSerializer,
    DuplicateSerializer,
    MigrantCreateSerializer,
    MigrantReceivedSerializer,
    MigrantSerializer,
    VisitSerializer,
    WalkInSerializer,
)


def _client_id(request):
    """The outbox's client id of a record sent again, when it parses (validation comes later)."""
    try:
        return uuid.UUID(str(request.data.get("client_id"))) if isinstance(request.data, dict) else None
    except ValueError:
        return None


def _offline(request, receive):
    """Run an offline service; a client id of another office answers 409 with nothing of its record."""
    try:
        return receive(), None
    except offline_selectors.ClientIdTaken:
        return None, problem(status.HTTP_409_CONFLICT, _("This client id was already used for another record."))
    except ValidationError as error:
        return None, problem(status.HTTP_400_BAD_REQUEST, " ".join(error.messages))


def _replay(request):
    """The ledger's entry when this client id was received before, or a refusal."""
    client_id = _client_id(request)
    if client_id is None:
        return None, None
    return _offline(request, lambda: offline_selectors.received_item(client_id, request.user))


class ApiMigrantFilter(MigrantFilter):
    """The registry's filters and search; the order is the cursor's (newest first)."""


ApiMigrantFilter.base_filters.pop("sort", None)


def _erased_refusal(migrant):
    refusal = services.erased_record_refusal(migrant)
    return problem(status.HTTP_409_CONFLICT, refusal) if refusal else None


@extend_schema_view(
    create=extend_schema(
        request=MigrantCreateSerializer,
        responses={201: MigrantReceivedSerializer, 200: MigrantReceivedSerializer,
                   409: OpenApiResponse(DuplicateProblemSerializer)},
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
        item, refused = _replay(request)
        if refused or item:
            return refused or self._received(request, item, status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirm = data.pop("confirm", False)
        on_duplicate = data.pop("on_duplicate", "refuse")
        client_id, entered_at = data.pop("client_id", None), data.pop("entered_at", None)

        def duplicates():
            if confirm:
                return []
            return selectors.migrant_duplicates(
                office=office, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                birth_year=data.get("birth_year"), commune=data.get("commune_of_origin"),
                phone=data.get("phone") or "", email=data.get("email") or "",
            )

        if on_duplicate == "refuse" and (candidates := duplicates()):
            return problem(
                status.HTTP_409_CONFLICT,
                _("This person may already be registered. Check the candidates; send again with "
                  "confirm=true to register anyway."),
                candidates=DuplicateSerializer(candidates, many=True).data,
            )
        if client_id is None:
            migrant = services.migrant_register(office=office, recorded_by=request.user, advisor=request.user,
                                                registered_at=entered_at, **data)
            api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk,
                       what="registration")
            migrant = self.get_object_by_pk(migrant.pk)
            migrant.review = False
            return Response(MigrantReceivedSerializer(migrant, context=self.get_serializer_context()).data,
                            status=status.HTTP_201_CREATED)
        received, refused = _offline(request, lambda: offline.offline_registration(
            client_id=client_id, user=request.user, entered_at=offline.check_entered_at(entered_at),
            has_duplicates=lambda: bool(duplicates()), **data,
        ))
        if refused:
            return refused
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON,
                   migrant_id=received.item.migrant_id, what="registration")
        return self._received(request, received.item,
                              status.HTTP_201_CREATED if received.created else status.HTTP_200_OK)

    def _received(self, request, item, code):
        if item.kind != OfflineKind.REGISTRATION or item.migrant_id is None:
            return problem(status.HTTP_409_CONFLICT, _("This client id was already used for another record."))
        migrant = self.get_object_by_pk(item.migrant_id)
        migrant.review = item.review == OfflineReview.PENDING
        return Response(MigrantReceivedSerializer(migrant, context=self.get_serializer_context()).data, status=code)

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
        item, refused = _replay(request)
        if refused or item:
            return refused or self._received(migrant, item, status.HTTP_200_OK)
        if refused := _erased_refusal(migrant):
            return refused
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client_id, entered_at = data.pop("client_id", None), data.pop("entered_at", None)
        api_access(request, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk,
                   what="visit")
        if client_id is None:
            visit = services.visit_record(migrant=migrant, advisor=request.user,
                                          **{"occurred_at": entered_at, **data})
            return self._visit(migrant, visit.pk, status.HTTP_201_CREATED)
        received, refused = _offline(request, lambda: offline.offline_visit(
            client_id=client_id, user=request.user, entered_at=offline.check_entered_at(entered_at),
            migrant=migrant, **data,
        ))
        return refused or self._received(migrant, received.item,
                                         status.HTTP_201_CREATED if received.created else status.HTTP_200_OK)

    def _received(self, migrant, item, code):
        if item.kind != OfflineKind.VISIT or item.visit_id is None:
            return problem(status.HTTP_409_CONFLICT, _("This client id was already used for another record."))
        return self._visit(migrant, item.visit_id, code)

    def _visit(self, migrant, pk, code):
        visit = get_object_or_404(selectors.migrant_visits(migrant), pk=pk)
        return Response(VisitSerializer(visit).data, status=code)


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
        item, refused = _replay(request)
        if refused or item:
            return refused or self._received(item, status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client_id, entered_at = data.pop("client_id", None), data.pop("entered_at", None)
        if client_id is None:
            visit = services.walk_in_record(office=office, advisor=request.user,
                                            **{"occurred_at": entered_at, **data})
            return Response(WalkInSerializer(visit).data, status=status.HTTP_201_CREATED)
        received, refused = _offline(request, lambda: offline.offline_walk_in(
            client_id=client_id, user=request.user, entered_at=offline.check_entered_at(entered_at), **data,
        ))
        return refused or self._received(received.item,
                                         status.HTTP_201_CREATED if received.created else status.HTTP_200_OK)

    def _received(self, item, code):
        if item.kind != OfflineKind.WALK_IN or item.visit_id is None:
            return problem(status.HTTP_409_CONFLICT, _("This client id was already used for another record."))
        return Response(WalkInSerializer(item.visit).data, status=code)
