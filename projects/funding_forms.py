"""The form admins use to maintain the catalogue (validation only; the service writes)."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.territories.models import Commune

from .funding_models import FundingOpportunity, RequiredDocument


class FundingOpportunityForm(forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=RequiredDocument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    source_url = forms.URLField(label=_("Source"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = FundingOpportunity
        fields = [
            "name",
            "funder_name",
            "types",
            "target_groups",
            "youth_min_age",
            "youth_max_age",
            "eligible_sectors",
            "excluded_sectors",
            "eligible_regions",
            "eligible_communes",
            "amount_min",
            "amount_max",
            "currency",
            "max_share_funded_percent",
            "min_own_contribution_percent",
            "required_documents",
            "status",
            "deadline",
            "is_rolling",
            "description",
            "keywords",
            "notes",
            "source_url",
            "last_verified_on",
        ]
        widgets = {
            "types": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "eligible_sectors": forms.CheckboxSelectMultiple,
            "excluded_sectors": forms.CheckboxSelectMultiple,
            "eligible_regions": forms.CheckboxSelectMultiple,
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_communes"].queryset = Commune.objects.select_related("department").order_by("name")
        self.fields["eligible_communes"].label_from_instance = lambda commune: f"{commune.name} ({commune.department.name})"
        self.fields["eligible_communes"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Programme"), "name", "funder_name", "types", "description", "keywords"),
            Fieldset(_("Who and what"), "target_groups", "youth_min_age", "youth_max_age", "eligible_sectors", "excluded_sectors"),
            Fieldset(_("Where"), "eligible_regions", "eligible_communes"),
            Fieldset(
                _("Amounts and rules"),
                "amount_min",
                "amount_max",
                "currency",
                "max_share_funded_percent",
                "min_own_contribution_percent",
                "required_documents",
            ),
            Fieldset(_("Calendar and sources"), "status", "deadline", "is_rolling", "source_url", "notes", "last_verified_on"),
            Submit("save", _("Save")),
        )

    def clean(self):
        cleaned = super().clean()
        eligible, excluded = set(cleaned.get("eligible_sectors") or ()), set(cleaned.get("excluded_sectors") or ())
        if eligible & excluded:
            self.add_error("excluded_sectors", _("A sector cannot be both eligible and excluded."))
        return cleaned
