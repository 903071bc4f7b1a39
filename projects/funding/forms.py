"""The form admins use to maintain the catalogue (validation only; the service writes)."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hom.fields import FCFAField
from hom.territories.models import Sector
from hom.territories.widgets import CommuneChoiceField, CommuneMultipleChoiceField
from projects.funding.eligibility import DossierFacts, PromoterKind, PromoterSituation
from projects.funding.models import FundingOpportunity, RequiredDocument
from projects.funding.services import funding_sectors_check


def check_sectors(form: forms.BaseForm) -> None:
    """The catalogue's rule on eligible and excluded sectors (``services.funding_sectors_check``), onto the form."""
    cleaned = form.cleaned_data
    try:
        funding_sectors_check(
            eligible_sectors=cleaned.get("eligible_sectors"), excluded_sectors=cleaned.get("excluded_sectors")
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field, messages)


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
        field_classes = {"eligible_communes": CommuneMultipleChoiceField}
        fields = [
            "name",
            "name_en",
            "funder_name",
            "funder_name_en",
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
            "description_en",
            "keywords",
            "notes",
            "notes_en",
            "source_url",
            "last_verified_on",
        ]
        widgets = {
            "types": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "eligible_sectors": forms.CheckboxSelectMultiple,
            "excluded_sectors": forms.CheckboxSelectMultiple,
            "eligible_regions": forms.CheckboxSelectMultiple,
            "eligible_communes": forms.SelectMultiple(attrs={"size": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_communes"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Programme"), "name", "funder_name", "types", "description", "keywords"),
            Fieldset(
                _("Who and what"),
                "target_groups",
                "youth_min_age",
                "youth_max_age",
                "eligible_sectors",
                "excluded_sectors",
            ),
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
            Fieldset(
                _("Calendar and sources"), "status", "deadline", "is_rolling", "source_url", "notes", "last_verified_on"
            ),
            Submit("save", _("Save")),
        )

    def clean(self):
        cleaned = super().clean()
        check_sectors(self)
        return cleaned


class FundingOpportunityAdminForm(forms.ModelForm):
    """The admin's form: the admin builds its fields (no ``Meta`` here), the catalogue's rules apply."""

    def clean(self):
        cleaned = super().clean()
        check_sectors(self)
        return cleaned


class EligibilityCheckForm(forms.Form):
    """What a visitor or an advisor knows of a project idea, to check it against the catalogue.

    Nothing is stored: the answers only build a ``DossierFacts``. Every field is optional;
    what is left empty shows as "unknown" in the results.
    """

    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.active(), to_field_name="code", required=False
    )
    commune = CommuneChoiceField(label=_("Commune of the project"), to_field_name="code", required=False)
    amount_sought = FCFAField(label=_("Amount sought (FCFA)"), required=False)
    own_contribution_percent = forms.IntegerField(
        label=_("Own contribution (% of the project's cost)"), min_value=0, max_value=100, required=False
    )
    promoter_situation = forms.ChoiceField(
        label=_("The promoter is"), choices=[("", "---------"), *PromoterSituation.choices], required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "---------"), ("F", _("Female")), ("M", _("Male"))], required=False
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    promoter_kind = forms.ChoiceField(
        label=_("Kind of promoter"), choices=[("", "---------"), *PromoterKind.choices], required=False
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents already available"),
        choices=RequiredDocument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("check", _("Check"), css_class="btn-primary"))

    def to_facts(self, *, today) -> DossierFacts:
        data = self.cleaned_data
        commune = data.get("commune")
        return DossierFacts(
            sector_code=data["sector"].code if data.get("sector") else None,
            commune_code=commune.code if commune else None,
            region_code=commune.department.region.code if commune else None,
            amount_sought=data.get("amount_sought"),
            own_contribution_percent=data.get("own_contribution_percent"),
            promoter_situation=data.get("promoter_situation") or None,
            sex=data.get("sex") or None,
            age=data.get("age"),
            promoter_kind=data.get("promoter_kind") or None,
            document_codes=frozenset(data.get("documents") or ()),
            today=today,
        )


class ApplicationCreateForm(forms.Form):
    """Shortlist a programme for a dossier (the button on each match of the dossier's page)."""

    opportunity = forms.ModelChoiceField(queryset=FundingOpportunity.objects.all(), widget=forms.HiddenInput)


class ApplicationMoveForm(forms.Form):
    """Record the next step of an application. The choices are the moves the user may make."""

    to_status = forms.ChoiceField(label=_("Record"))
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today when left empty."),
    )
    amount = FCFAField(
        label=_("Amount (FCFA)"), required=False,
        help_text=_("Requested, granted or disbursed, as recorded."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices
