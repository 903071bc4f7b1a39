"""The directory's filters; every value is a code in the URL, so a search can be shared."""
import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hom.territories.models import Commune, Sector

from . import selectors
from .models import Organisation, OrganisationKind


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, acronym or city"), "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=list(countries))
    city = django_filters.CharFilter(label=_("City"), lookup_expr="icontains")
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune of origin"), queryset=Commune.objects.order_by("name"), to_field_name="code",
        method="filter_commune",
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.active(), to_field_name="code", field_name="sectors",
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_search(self, queryset, name, value):
        return selectors.organisation_search(queryset, value)

    def filter_commune(self, queryset, name, value):
        # An organisation serving the commune's department serves the commune too.
        organisation = OuterRef("pk")
        return queryset.filter(
            Exists(selectors.CommunesServed.objects.filter(organisation_id=organisation, commune_id=value.pk))
            | Exists(selectors.DepartmentsServed.objects.filter(
                organisation_id=organisation, department_id=value.department_id
            ))
        )
