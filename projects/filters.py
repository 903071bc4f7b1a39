"""Filters of the staff's dossier list (django-filter)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Role, User
from hom.territories.models import Commune, Sector

from .models import DossierKind, DossierStatus

READINESS_CHOICES = [
    ("complete", _("Complete (100 %)")),
    ("half", _("Half done or more")),
    ("low", _("Less than half")),
]


def _communes(request):
    user = request.user if request else None
    if user is None or user.is_superuser or not user.office_id:
        return Commune.objects.all()
    return Commune.objects.filter(department__region_id=user.office.region_id)


def _advisors(request):
    user = request.user if request else None
    advisors = User.objects.filter(role__in=[Role.ADVISOR, Role.ADMIN])
    if user is None or user.is_superuser:
        return advisors
    return advisors.filter(office_id=user.office_id)


class DossierFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DossierStatus.choices)
    sector = django_filters.ModelChoiceFilter(label=_("Sector"), queryset=Sector.objects.all())
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_communes)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DossierKind.choices)
    advisor = django_filters.ModelChoiceFilter(label=_("Advisor"), queryset=_advisors)
    readiness = django_filters.ChoiceFilter(label=_("Readiness"), choices=READINESS_CHOICES, method="filter_readiness")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["data-autosubmit"] = ""

    def filter_readiness(self, queryset, name, value):
        return {
            "complete": queryset.filter(readiness=100),
            "half": queryset.filter(readiness__gte=50),
            "low": queryset.filter(readiness__lt=50),
        }[value]
