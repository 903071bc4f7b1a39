"""The migrant list's filters (django-filter): every filter of the registry, plus search and sort."""
import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hom.accounts.models import Role, User
from hom.territories.models import Commune, Department, NeedCategory, Sector
from hom.text import normalise

from .choices import registry_filter_choices, show_choices
from .models import PersonAccess, Situation, Visit
from .selectors import migrant_search, overdue_follow_up_exists


def _communes(request):
    communes = Commune.objects.order_by("name")
    if request and not request.user.is_superuser and request.user.office_id:
        communes = communes.filter(department__region__office=request.user.office_id)
    return communes


def _departments(request):
    departments = Department.objects.order_by("name")
    if request and not request.user.is_superuser and request.user.office_id:
        departments = departments.filter(region__office=request.user.office_id)
    return departments


def _advisors(request):
    staff = User.objects.filter(role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)
    if request and not request.user.is_superuser:
        staff = staff.filter(office=request.user.office_id)
    return staff


# The filters whose choices are rows, and the cached list each shows (migrants/choices.py).
CACHED_CHOICES = {"commune": "communes", "department": "departments", "sector": "sectors", "need": "needs",
                  "advisor": "staff"}


class MigrantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name, phone or file number"))
    commune = django_filters.ModelChoiceFilter(
        field_name="commune_of_origin", queryset=_communes, label=_("Commune of origin")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="commune_of_origin__department", queryset=_departments, label=_("Department")
    )
    situation = django_filters.ChoiceFilter(choices=Situation.choices, label=_("Situation"))
    country = django_filters.ChoiceFilter(
        field_name="country_of_residence", choices=lambda: list(countries), label=_("Country of residence")
    )
    sector = django_filters.ModelChoiceFilter(
        method="filter_sector", queryset=Sector.objects.active(), label=_("Sector of interest")
    )
    need = django_filters.ModelChoiceFilter(
        method="filter_need", queryset=NeedCategory.objects.active(), label=_("Need expressed")
    )
    advisor = django_filters.ModelChoiceFilter(queryset=_advisors, label=_("Assigned advisor"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Follow-up overdue"), widget=forms.CheckboxInput
    )
    erasure_requested = django_filters.BooleanFilter(
        method="filter_erasure_requested", label=_("Erasure requested"), widget=forms.CheckboxInput
    )
    registered_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Registered from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    registered_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Registered until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        fields=(("last_name", "name"), ("created_at", "registered"), ("file_number", "file_number")),
        field_labels={"last_name": _("Name"), "created_at": _("Registration date"), "file_number": _("File number")},
        label=_("Sort by"),
    )

    @property
    def form(self):
        """The filters' form, its lists of rows read from the cache (a chosen value is still checked in the database)."""
        if not hasattr(self, "_form"):
            form = super().form
            if self.request is not None:
                lists = registry_filter_choices(self.request.user)
                for name, list_name in CACHED_CHOICES.items():
                    show_choices(form.fields[name], lists[list_name])
        return self._form

    def filter_search(self, queryset, name, value):
        return migrant_search(queryset, value)

    def filter_sector(self, queryset, name, value):
        through = queryset.model.sectors_of_interest.through
        return queryset.filter(Exists(through.objects.filter(migrant=OuterRef("pk"), sector=value)))

    def filter_need(self, queryset, name, value):
        return queryset.filter(Exists(Visit.objects.filter(migrant=OuterRef("pk"), needs=value)))

    def filter_erasure_requested(self, queryset, name, value):
        return queryset.filter(erasure_requested_at__isnull=False, erased_at__isnull=True) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_follow_up_exists()) if value else queryset


class AccessLogFilter(django_filters.FilterSet):
    """The access log's filters: the person (file number or name) and the staff member."""

    person = django_filters.CharFilter(method="filter_person", label=_("Person (name or file number)"))
    migrant = django_filters.NumberFilter(field_name="migrant", widget=forms.HiddenInput)
    user = django_filters.ModelChoiceFilter(queryset=_advisors, label=_("Staff member"))

    class Meta:
        model = PersonAccess
        fields = ["person", "migrant", "user"]

    def filter_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(migrant__file_number__iexact=value) | Q(migrant__search_name__contains=normalise(value))
        )
