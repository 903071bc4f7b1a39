"""The reports' aggregates in the API: the very tables of the pages, protected the same way.

An authority's report comes from the page's own chain (``territory_for``, ``period_form``,
``report_scope``, ``report_sections``), a public commune profile from the profile page's
selector (``commune_profile_figures``: counts perturbed by their cell keys); both go out
through ``Table.rows`` (hidden figures as "<5"), so what the API gives equals what the page shows.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hom.accounts.models import STAFF_ROLES, Role
from hom.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from hom.replica import reads_from_replica

from ..forms import period_form
from ..scope import reads_perturbed, report_scope, territory_for
from ..sections import report_sections
from ..selectors.public import commune_profile_figures


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(), help_text='[label, [figure, ...]]: a figure is a number, "<5" or null.'
    )


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    tables = TableSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    territory = serializers.DictField()
    period = serializers.DictField()
    sections = SectionSerializer(many=True)


def _table(table) -> dict:
    return {
        "key": table.key,
        "title": str(table.title),
        "header": [str(cell) for cell in table.header],
        "rows": [[str(label), values] for label, values in table.rows],
    }


class ReportView(APIView):
    """One territory's report for a period (``start``/``end`` as YYYY-MM, the page's default otherwise).

    Perturbed figures (an authority's, the national admin's) only for the periods the page accepts:
    a calendar month, quarter or half-year, or one to five whole calendar years; any other is a 400.
    """

    allowed_roles = (*STAFF_ROLES, Role.AUTHORITY)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.STR,
                description="First month of the period, YYYY-MM. Perturbed reports (authorities, national admin): "
                "a calendar month, quarter, half-year or one to five whole years only.",
            ),
            OpenApiParameter("end", OpenApiTypes.STR, description="Last month of the period, YYYY-MM."),
        ],
        responses=ReportSerializer,
    )
    @reads_from_replica
    def get(self, request, kind, code):
        territory = territory_for(request.user, kind, code)
        form = period_form(request.query_params, aligned=reads_perturbed(request.user))
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        period = form.period()
        sections = report_sections(report_scope(request.user, territory, period))
        return Response(
            {
                "territory": {"kind": territory.kind, "code": territory.code, "name": str(territory.name)},
                "period": {"first": period.first.isoformat(), "last": period.last.isoformat()},
                "sections": [
                    {
                        "key": section.key,
                        "title": str(section.title),
                        "tables": [_table(table) for table in section.tables],
                    }
                    for section in sections
                ],
            }
        )


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField()
    region = serializers.CharField()


class CommuneProfileSerializer(serializers.Serializer):
    commune = CommuneSerializer()
    tables = TableSerializer(many=True)


class CommuneProfileView(APIView):
    """The public figures of a commune's migration profile: no token needed, the page's published figures."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenRateThrottle, AnonymousRateThrottle]

    @extend_schema(responses=CommuneProfileSerializer)
    @reads_from_replica
    def get(self, request, code):
        figures = commune_profile_figures(code)
        commune = figures["commune"]
        return Response(
            {
                "commune": {
                    "code": commune.code,
                    "name": commune.name,
                    "department": commune.department.name,
                    "region": commune.department.region.name,
                },
                "tables": [_table(table) for table in figures["tables"]],
            }
        )
