"""The visit form of a person registered on the device: what the API's visit endpoint takes."""
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.territories.models import NeedCategory

from ..forms import VisitForm

OFFLINE_VISIT_FIELDS = [
    "occurred_at", "channel", "place", "needs", "services_given", "notes", "referral_to", "outcome", "follow_up_on",
]


class OfflineVisitForm(forms.ModelForm):
    """Filled in the browser and kept in the outbox: never posted to this page, sent through the API."""

    class Meta(VisitForm.Meta):
        fields = OFFLINE_VISIT_FIELDS

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = NeedCategory.objects.active()
        # The page is kept by the device for days: a time written into it would be stale. Empty
        # means "when it is entered", which the outbox records.
        self.initial["occurred_at"] = ""
        self.fields["occurred_at"].required = False
        self.fields["occurred_at"].help_text = _("Leave empty for now: the time it is saved on this device.")


class ReviewDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("keep", "keep"), ("merge", "merge")])
    into = forms.IntegerField(required=False)
