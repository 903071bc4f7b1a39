"""Forms of partner offers and referrals (validation only; the services write)."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.territories.widgets import CommuneMultipleChoiceField
from partnerships.models import Organisation

from . import selectors
from .models import OfferKind, OfferTargetGroup, PartnerOffer, ReferralStatus

OFFER_FIELDS = [
    "organisation", "kind", "title", "description", "conditions", "amount_min_xof", "amount_max_xof",
    "regions_served", "communes_served", "contact_instructions", "is_published", "valid_until",
]


class PartnerOfferForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=OfferTargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PartnerOffer
        fields = OFFER_FIELDS
        field_classes = {"communes_served": CommuneMultipleChoiceField}
        widgets = {
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "contact_instructions": forms.Textarea(attrs={"rows": 3}),
            "regions_served": forms.SelectMultiple(attrs={"size": 6}),
            "communes_served": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        if self.instance.pk:
            self.initial["target_groups"] = self.instance.target_group_codes

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("amount_min_xof"), cleaned.get("amount_max_xof")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max_xof", _("The minimum amount cannot be above the maximum."))
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*OFFER_FIELDS, "target_groups"]}


class PartnerOfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. crédit retour"), "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of offer"), choices=OfferKind.choices, method="filter_kind")
    target_group = django_filters.ChoiceFilter(
        label=_("For"), choices=OfferTargetGroup.choices, method="filter_target_group"
    )

    class Meta:
        model = PartnerOffer
        fields = []

    def filter_search(self, queryset, name, value):
        return selectors.offers_search(queryset, value)

    def filter_kind(self, queryset, name, value):
        return selectors.offers_of_kind(queryset, value)

    def filter_target_group(self, queryset, name, value):
        return selectors.offers_for_target_group(queryset, value)


class ReferralForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=PartnerOffer.objects.none())
    note = forms.CharField(label=_("Why this offer"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = selectors.offers_for_referral(user)


class FindPersonForm(forms.Form):
    file_number = forms.CharField(label=_("File number of the person"), max_length=24)


class ReferralMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
