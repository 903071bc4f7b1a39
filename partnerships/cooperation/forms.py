"""Forms of cooperation requests and introductions (validation only; the services write)."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hom.territories.models import Commune

from . import selectors
from .models import CooperationPurpose, CooperationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def communes_of_staff(user):
    """The communes of the staff member's office region (every covered commune for a national admin)."""
    communes = Commune.objects.filter(department__region__office__isnull=False)
    if not user.is_superuser:
        communes = communes.filter(department__region__office=user.office_id)
    return communes.order_by("name")


class CooperationRequestForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    looking_for = forms.CharField(
        label=_("What the commune looks for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. a twin town for the school canteens, an association of the diaspora to fund a health post."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CooperationPurpose.choices)
    organisation = forms.ModelChoiceField(
        label=_("An organisation you have in mind (optional)"), required=False, queryset=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = user.communes.order_by("name")
        self.fields["organisation"].queryset = selectors.organisations_an_authority_may_name()


class CooperationForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Association or foreign local authority"), queryset=None,
        help_text=_("Diaspora and hometown associations, federations and foreign local authorities of the directory."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CooperationPurpose.choices)
    description = forms.CharField(label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_of_staff(user)
        self.fields["organisation"].queryset = selectors.organisations_for_cooperation()

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The follow-up date cannot be in the past."))
        return value


class CooperationMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CooperationStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_on = forms.DateField(label=_("Next follow-up"), required=False, widget=DATE)

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The follow-up date cannot be in the past."))
        return value


class RequestCloseForm(forms.Form):
    answer = forms.CharField(label=_("Why the request is closed"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
