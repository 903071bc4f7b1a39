"""Forms of campaigns: shape only (the rules are the services'); the group's fields are the registry's
FilterSet's form (selectors.group_filter)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import CampaignChannel


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("For the office only: the persons do not see it."))
    message = forms.CharField(
        label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 2 SMS: 306 characters, or 134 if the text has a character outside the SMS alphabet "
                    "(ê, ô, ç, emoji…)."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=CampaignChannel.choices, initial=CampaignChannel.SMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not selectors.whatsapp_available():
            self.fields["channel"].choices = [(CampaignChannel.SMS, CampaignChannel.SMS.label)]


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at (Dakar time)"), input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
