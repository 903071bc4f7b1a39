"""Forms of appointments: a slot to publish, the day of the advisor's view."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SlotKind


class SlotForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SlotKind.choices, initial=SlotKind.OFFICE)
    starts_at = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and a time.")},
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480, initial=30)
    place = forms.CharField(label=_("Place"), max_length=160, required=False,
                            help_text=_("Where to meet, for an appointment at a place."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name == "kind" else "form-control")


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False,
                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
                          error_messages={"invalid": _("Enter a valid date.")})
