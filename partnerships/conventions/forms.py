"""Forms of conventions (validation only; ``partnerships.conventions.services`` writes)."""
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Office, Role, User
from hom.fields import FCFAField
from hom.territories.models import Commune
from hom.territories.widgets import CommuneMultipleChoiceField
from hom.uploads import UploadInput
from partnerships.conventions.models import (
    Contribution,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionStatus,
    ReportingObligation,
)
from partnerships.models import Introduction, Organisation
from projects.models import ProjectDossier

DATE = {"type": "date"}
CONVENTION_FIELDS = ["title", "objectives", "starts_on", "ends_on", "advisor", "communes", "dossiers", "introductions"]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ConventionFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *ConventionStatus.choices])
    organisation = forms.ModelChoiceField(label=_("Party"), required=False, queryset=Organisation.objects.none())
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("-starts_on", _("Newest start first")), ("starts_on", _("Oldest start first")), ("title", _("Title")),
        ("status", _("Status")),
    ])

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = _helper()


class ConventionForm(forms.ModelForm):
    class Meta:
        model = Convention
        fields = CONVENTION_FIELDS
        field_classes = {"communes": CommuneMultipleChoiceField}
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "communes": forms.SelectMultiple(attrs={"size": 6}),
            "dossiers": forms.SelectMultiple(attrs={"size": 4}),
            "introductions": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        office = office or user.office
        if office is None:
            # A national admin belongs to no office: they say which office runs the convention.
            self.fields["office"] = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.order_by("name"))
        staff = User.objects.filter(role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)
        communes = Commune.objects.all()
        dossiers = ProjectDossier.objects.visible_to(user)
        introductions = Introduction.objects.visible_to(user)
        if office is not None:
            staff = staff.filter(office=office)
            communes = communes.filter(department__region=office.region_id)
            dossiers = dossiers.filter(office=office)
            introductions = introductions.filter(office=office)
        self.fields["advisor"].queryset = staff.order_by("last_name", "first_name")
        self.fields["communes"].queryset = communes
        self.fields["dossiers"].queryset = dossiers.order_by("-pk")
        self.fields["introductions"].queryset = introductions.select_related("migrant", "organisation").order_by("-pk")


class DocumentForm(forms.Form):
    signed_document = forms.FileField(label=_("Signed convention"), widget=UploadInput())


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=ConventionStatus.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PartyForm(forms.ModelForm):
    class Meta:
        model = ConventionParty
        fields = ["organisation", "role", "responsibilities", "signatory_name", "signatory_title", "signed_on",
                  "position"]
        widgets = {
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "signed_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user).order_by("name", "pk")
        self.fields["position"].required = False


class BudgetLineForm(forms.ModelForm):
    amount = FCFAField.for_model(ConventionBudgetLine, "amount", min_value=1)

    class Meta:
        model = ConventionBudgetLine
        fields = ["activity", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ContributionForm(forms.ModelForm):
    committed = FCFAField.for_model(Contribution, "committed", min_value=1)

    class Meta:
        model = Contribution
        fields = ["party", "kind", "committed"]

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["party"].queryset = convention.parties.select_related("organisation").order_by("position", "pk")


class PaymentForm(forms.Form):
    paid = FCFAField(label=_("Paid so far (FCFA)"))
    recorded_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs=DATE))


class ObligationForm(forms.ModelForm):
    class Meta:
        model = ReportingObligation
        fields = ["party", "title", "periodicity", "first_due_on", "last_due_on"]
        widgets = {
            "first_due_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "last_due_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }
        help_texts = {"last_due_on": _("Empty: the convention's end.")}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["party"].queryset = convention.parties.select_related("organisation").order_by("position", "pk")


class ReportUploadForm(forms.Form):
    file = forms.FileField(label=_("Report file"), widget=UploadInput())


class SendBackForm(forms.Form):
    comment = forms.CharField(label=_("What to change"), widget=forms.Textarea(attrs={"rows": 2}))
