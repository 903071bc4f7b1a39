"""Forms of the dossier pages: validation only; the services do the writing."""
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import User
from hom.fields import FCFAField, QuantityField
from hom.territories.models import Sector
from hom.territories.widgets import CommuneChoiceField
from hom.uploads import UploadInput, check_upload

from .models import BudgetLine, DocumentType, DossierSection, FinancingLine, ProjectDossier


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IdeaForm(forms.ModelForm):
    class Meta:
        model = ProjectDossier
        fields = ["title", "summary", "kind", "stage", "sector", "commune"]
        field_classes = {"commune": CommuneChoiceField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("A few words, e.g. “Poultry farm in Marsassoum”."),
            "summary": _("What will you do, where, and for whom? Write it as you would say it."),
            "kind": _(
                "Individual: you alone. Family: with your family. Collective: a group or an association. "
                "Community: for the whole village or commune."
            ),
            "stage": _(
                "Idea: you are thinking about it. Study: you are checking prices and customers. "
                "Start-up: you are about to start. Extension: the activity already runs."
            ),
            "sector": _("The field of activity of the project."),
            "commune": _("Where the project will take place."),
        }

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.active()
        if office is not None:
            # The office works for the development of its own region.
            self.fields["commune"].limit_to_region(office.region_id)


class MarketForm(forms.ModelForm):
    class Meta:
        model = ProjectDossier
        fields = ["market", "expected_start"]
        widgets = {"market": forms.Textarea(attrs={"rows": 5}), "expected_start": DateInput()}
        help_texts = {
            "market": _("Who will buy? At what price? Who else sells the same thing nearby?"),
            "expected_start": _("When do you hope to start? An approximate date is fine."),
        }


class TeamForm(forms.ModelForm):
    class Meta:
        model = ProjectDossier
        fields = ["team", "jobs_women", "jobs_men", "jobs_youth"]
        widgets = {"team": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "team": _("Who will work in the project, and what have they already done in this field?"),
            "jobs_women": _("Count yourself if you will work in it."),
        }

    def clean(self):
        cleaned = super().clean()
        women, men, youth = (cleaned.get(name) or 0 for name in ("jobs_women", "jobs_men", "jobs_youth"))
        if youth > women + men:
            self.add_error("jobs_youth", _("Jobs for young people are part of the jobs for women and men."))
        return cleaned


STEP_FORMS = {"idea": IdeaForm, "market": MarketForm, "team": TeamForm}


class BudgetLineForm(forms.ModelForm):
    quantity = QuantityField(label=capfirst(BudgetLine._meta.get_field("quantity").verbose_name), initial=1)
    unit_cost = FCFAField.for_model(BudgetLine, "unit_cost", min_value=1)

    class Meta:
        model = BudgetLine
        fields = ["category", "label", "quantity", "unit_cost", "has_quote"]
        help_texts = {"has_quote": _("Tick if you have a quote for this item; upload it at the Documents step.")}


class FinancingLineForm(forms.ModelForm):
    amount = FCFAField.for_model(FinancingLine, "amount", min_value=1)

    class Meta:
        model = FinancingLine
        fields = ["source", "label", "amount"]


class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(label=_("Document"), queryset=DocumentType.objects.active())
    # Empty files reach check_upload, which says so in the same words as the service.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        help_text=_("PDF, photo (JPEG, PNG), Word or Excel; 10 MB at most."),
        widget=UploadInput(),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded)
        return uploaded


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Action"))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class ReviewCommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=DossierSection.choices)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    advisor = forms.ModelChoiceField(label=_("Advisor"), queryset=None)

    def __init__(self, *args, advisors=None, advisor_choices=None, **kwargs):
        """``advisors`` (a queryset) checks a posted choice; a form only shown may take
        ``advisor_choices`` instead, ``(pk, name)`` pairs from the cache (``caches.advisor_choices``)."""
        super().__init__(*args, **kwargs)
        field = self.fields["advisor"]
        if advisors is not None:
            field.queryset = advisors
        else:
            field.queryset = User.objects.none()
            field.choices = [("", field.empty_label), *advisor_choices]
