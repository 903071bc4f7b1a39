"""The commune picker: a <select> grouped by region and department that works without
JavaScript, with a search box (htmx, ``static/js/communes.js``) shown when scripts run.

Use :class:`CommuneChoiceField` (or ``Meta.field_classes = {"commune": CommuneChoiceField}``
on a ModelForm) wherever one commune is chosen, :class:`CommuneMultipleChoiceField` where
several are. Options read "Commune — Department (Region)", so homonyms (two "Dinguiraye")
can be told apart.
"""

from itertools import groupby

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from .models import Commune
from .selectors import commune_label


class GroupedCommuneIterator(ModelChoiceIterator):
    """The communes as <optgroup>s, one per region and department, in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        communes = self.queryset.select_related("department__region").order_by(
            "department__region__name", "department__name", "name", "pk"
        )
        for (region, department), group in groupby(
            communes, key=lambda commune: (commune.department.region.name, commune.department.name)
        ):
            yield (f"{region} — {department}", [self.choice(commune) for commune in group])


class CommunePicker(forms.Select):
    """A grouped <select>, with a search box above it that scripts reveal."""

    template_name = "territories/widgets/commune_picker.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.region_id = None
        self.value_key = "pk"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {
            "search_url": reverse("territories:commune_search"),
            "region_id": self.region_id,
            "value_key": self.value_key,
        }
        return context


def _label(commune: Commune) -> str:
    return commune_label(commune.name, commune.department.name, commune.department.region.name)


class CommuneChoiceField(forms.ModelChoiceField):
    iterator = GroupedCommuneIterator
    widget = CommunePicker

    def __init__(self, queryset=None, **kwargs):
        super().__init__(Commune.objects.all() if queryset is None else queryset, **kwargs)
        if isinstance(self.widget, CommunePicker):
            self.widget.value_key = "code" if self.to_field_name == "code" else "pk"

    def label_from_instance(self, obj):
        return _label(obj)

    def limit_to_region(self, region_id: int) -> None:
        """Offer, and search, only the communes of one region."""
        self.queryset = self.queryset.filter(department__region_id=region_id)
        if isinstance(self.widget, CommunePicker):
            self.widget.region_id = region_id


class CommuneMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several communes: the same grouped, labelled list (a multiple <select>)."""

    iterator = GroupedCommuneIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(Commune.objects.all() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj):
        return _label(obj)
