"""Forms of meetings, action items and events (validation only; ``partnerships.events.services`` writes)."""
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.territories.widgets import CommuneChoiceField
from partnerships.conventions.models import Convention
from partnerships.events import selectors as meeting_selectors
from partnerships.events.models import Event, EventKind, Meeting
from partnerships.models import Organisation

DATE = {"type": "date"}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_at", "place", "is_remote", "organisations", "attendees", "agenda", "minutes", "decisions"]
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "organisations": forms.CheckboxSelectMultiple,
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisations"].queryset = meeting_selectors.party_organisations(convention)
        self.fields["held_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def clean(self):
        data = super().clean()
        if not data.get("is_remote") and not (data.get("place") or "").strip():
            self.add_error("place", _("Give the place, or say the meeting is remote."))
        return data


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    owner_organisation = forms.ModelChoiceField(label=_("Owner's organisation"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["owner"].queryset = meeting_selectors.action_owner_choices(convention)
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.fields["owner_organisation"].queryset = meeting_selectors.party_organisations(convention)


class OpenActionFilterForm(forms.Form):
    convention = forms.ModelChoiceField(label=_("Convention"), queryset=None, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = meeting_selectors.conventions_with_actions(user)
        self.fields["owner"].queryset = meeting_selectors.action_owners(user)
        self.fields["owner"].label_from_instance = lambda owner: owner.get_full_name() or owner.email


EVENT_FORM_FIELDS = [
    "kind", "title", "starts_on", "ends_on", "place", "country", "commune", "organisers", "convention",
    "description", "outcomes", "capacity", "registration_open",
]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = EVENT_FORM_FIELDS
        field_classes = {"commune": CommuneChoiceField}
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "organisers": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisers"].queryset = Organisation.objects.order_by("name")
        self.fields["convention"].queryset = Convention.objects.filter(office=office).order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("registration_open") and data.get("kind") != EventKind.TRAINING:
            self.add_error("registration_open", _("Only trainings take online registrations."))
        return data


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(year, year) for year in years]]


class ParticipantAddForm(forms.Form):
    """A person of the office's registry (by file number or name) or an organisation."""

    person = forms.CharField(
        label=_("Person"), required=False, max_length=120,
        help_text=_("File number, or first and last name, of a person registered at the office."),
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.helper = _helper()
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean_person(self):
        text = self.cleaned_data["person"].strip()
        if not text:
            return None
        return meeting_selectors.participant_person_find(office_id=self.event.office_id, text=text)

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("person")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Give either a person or an organisation."))
        return data


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=[("", "?"), ("yes", "yes"), ("no", "no")], required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value), empty_value=None,
    )
