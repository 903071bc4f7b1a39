"""The catalogue's filters. Every value is a code in the URL, so a search can be shared."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.territories.models import Region, Sector
from projects.funding import selectors
from projects.funding.models import ApplicationStatus, FundingOpportunity, FundingTypeCode, TargetGroupCode


class FundingOpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. élevage volaille"), "autocomplete": "off"}
        ),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type of support"), choices=FundingTypeCode.choices, method="filter_type"
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.active(), to_field_name="code", method="filter_sector"
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Open to"), choices=TargetGroupCode.choices, method="filter_target_group"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region of the project"), queryset=Region.objects.all(), to_field_name="code", method="filter_region"
    )
    amount = django_filters.NumberFilter(
        label=_("Amount sought (FCFA)"), method="filter_amount", min_value=0, max_value=10**12
    )
    open_now = django_filters.BooleanFilter(
        label=_("Open now"), method="filter_open_now", widget=forms.CheckboxInput
    )

    class Meta:
        model = FundingOpportunity
        fields = []

    def filter_search(self, queryset, name, value):
        return selectors.opportunities_search(queryset, value)

    def filter_type(self, queryset, name, value):
        return selectors.opportunities_of_type(queryset, value)

    def filter_sector(self, queryset, name, value):
        return selectors.opportunities_for_sector(queryset, value.code)

    def filter_target_group(self, queryset, name, value):
        return selectors.opportunities_for_target_group(queryset, value)

    def filter_region(self, queryset, name, value):
        return selectors.opportunities_for_region(queryset, value.code)

    def filter_amount(self, queryset, name, value):
        return selectors.opportunities_for_amount(queryset, int(value))

    def filter_open_now(self, queryset, name, value):
        return selectors.opportunities_open_on(queryset) if value else queryset

    def filter_queryset(self, queryset):
        # The search orders by relevance: run it last so that no other filter reorders.
        cleaned = dict(self.form.cleaned_data)
        query = cleaned.pop("q", None)
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        if query:
            queryset = self.filters["q"].filter(queryset, query)
        return queryset


class FundingApplicationFilter(django_filters.FilterSet):
    """The office's applications: by status, by programme, those whose programme closes soon."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    opportunity = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=FundingOpportunity.objects.order_by("name")
    )
    closing_soon = django_filters.BooleanFilter(
        label=_("Programme closing within 14 days"),
        method="filter_closing_soon",
        widget=forms.CheckboxInput,
    )

    def filter_closing_soon(self, queryset, name, value):
        return selectors.applications_closing_soon(queryset=queryset) if value else queryset
