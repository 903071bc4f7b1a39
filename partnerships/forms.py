"""Forms of the partnerships app (validation only; the services write)."""
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Role, User
from hom.forms import HttpsURLField
from hom.territories.models import Department, Sector
from hom.territories.widgets import CommuneMultipleChoiceField
from projects.models import ProjectDossier

from .models import Introduction, IntroductionStatus, Organisation

ORGANISATION_FIELDS = [
    "name", "acronym", "kind", "country", "city", "communes_served", "departments_served", "sectors", "languages",
    "member_count", "year_founded", "registration_number", "registration_country", "contact_name", "contact_role",
    "contact_phone", "contact_whatsapp", "contact_email", "website", "description", "relation", "source",
    "source_url", "last_verified_on", "is_published",
]
# Not ``partner_users``: linking a partner account is an admin's decision (PartnerLinkForm, the service).


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        field_classes = {
            "website": HttpsURLField,
            "source_url": HttpsURLField,
            "communes_served": CommuneMultipleChoiceField,
        }
        widgets = {
            "last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "communes_served": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["departments_served"].queryset = Department.objects.order_by("name")
        self.fields["sectors"].queryset = Sector.objects.active()
        # Publishing a card in the public directory is an administrator's decision.
        if user is None or not user.has_role(Role.ADMIN):
            del self.fields["is_published"]


class PartnerLinkForm(forms.Form):
    """Link or unlink one partner account (partnerships.services.organisation_partner_link)."""

    LINK, UNLINK = "link", "unlink"

    partner = forms.ModelChoiceField(
        label=_("Partner account"), queryset=User.objects.filter(role=Role.PARTNER).order_by("email")
    )
    action = forms.ChoiceField(choices=[(LINK, _("Link")), (UNLINK, _("Unlink"))], initial=LINK, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class IntroductionForm(forms.ModelForm):
    class Meta:
        model = Introduction
        fields = ["dossier", "purpose", "channel", "follow_up_on"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, migrant, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["dossier"].queryset = ProjectDossier.objects.visible_to(user).filter(promoter=migrant)
        self.fields["dossier"].required = False


class IntroductionMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IntroductionStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_on = forms.DateField(
        label=_("Follow-up date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
