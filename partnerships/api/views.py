"""Organisations, introductions and conventions in the API: the pages' scoping, the services for every write."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import STAFF_ROLES, Role
from migrants.api.access import api_access, api_filters
from migrants.models import AccessAction, AccessTarget, Migrant
from projects.models import ProjectDossier

from .. import selectors, services
from ..conventions import selectors as convention_selectors
from ..conventions import services as convention_services
from ..conventions.forms import ConventionFilterForm
from ..conventions.models import Convention, ConventionStatus, ReportItem
from ..models import Organisation
from .serializers import (
    ConventionDetailSerializer,
    ConventionSerializer,
    IntroductionMoveSerializer,
    IntroductionSerializer,
    OrganisationSerializer,
    ReportItemSerializer,
    ReportUploadSerializer,
)


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


# --- Conventions ---------------------------------------------------------------------------

CONVENTION_ROLES = (*STAFF_ROLES, Role.PARTNER)
# Ids are digits (hom.api.routers: anything else is 404), documented as integers.
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Title contains."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=ConventionStatus.values),
        OpenApiParameter("organisation", OpenApiTypes.INT, description="Id of an organisation party to it."),
    ]),
    retrieve=extend_schema(parameters=[ID], responses=ConventionDetailSerializer),
)
class ConventionViewSet(viewsets.ReadOnlyModelViewSet):
    """Conventions with their parties (the register's filters); the detail adds the budget table and the reports.

    Staff see their office's, a partner the conventions its organisation is party to (404 otherwise).
    """

    allowed_roles = CONVENTION_ROLES
    serializer_class = ConventionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Convention.objects.none()
        user = self.request.user
        form = ConventionFilterForm(self.request.query_params,
                                    organisations=convention_selectors.organisations_in_conventions(user))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        filters = form.cleaned_data
        return convention_selectors.conventions_for_register(
            user, status=filters.get("status", ""), organisation=filters.get("organisation"),
            search=filters.get("q", ""),
        )

    def retrieve(self, request, *args, **kwargs):
        convention = convention_selectors.convention_for_page(request.user, self.kwargs["pk"])
        context = {
            **self.get_serializer_context(),
            "budget": convention_selectors.convention_budget(convention),
            "reports": convention_selectors.convention_reports(convention),
            "uploadable": convention_selectors.uploadable_report_ids(request.user, convention),
        }
        convention.parties_in_order = context["budget"].parties
        return Response(ConventionDetailSerializer(convention, context=context).data)


@extend_schema(parameters=[ID])
class ConventionReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A report a convention's party owes; the party (or the office) sends its file with ``upload``."""

    allowed_roles = CONVENTION_ROLES
    serializer_class = ReportItemSerializer

    def get_queryset(self):
        return ReportItem.objects.visible_to(self.request.user).select_related(
            "convention", "obligation", "party__organisation")

    def _answer(self, pk):
        item = get_visible_or_404(self.get_queryset(), self.request.user, pk=pk)
        context = {**self.get_serializer_context(),
                   "uploadable": convention_selectors.uploadable_report_ids(self.request.user, item.convention)}
        return Response(ReportItemSerializer(item, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": ReportUploadSerializer}, responses=ReportItemSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request, pk=None):
        """Send the report's file (multipart, field ``file``): the page's checks (size, real type), then submitted.

        A partner sends only the reports its own organisation owes: another's answers 404.
        """
        item = convention_selectors.reports_owed_by(request.user, pk)
        serializer = ReportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        convention_services.report_submit(item=item, uploaded=serializer.validated_data["file"], actor=request.user)
        return self._answer(item.pk)
