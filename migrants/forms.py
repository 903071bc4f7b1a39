"""Forms of the registry: validation only; the views hand cleaned data to the services."""
from datetime import timedelta

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Office, Role, User
from hom.territories.models import NeedCategory
from hom.territories.widgets import CommuneChoiceField

from .choices import show_choices, visit_form_choices
from .models import AgeGroup, Migrant, ProcedureSheet, Sex, Situation, Visit

QUICK_FIELDS = [
    "first_name",
    "last_name",
    "sex",
    "birth_year",
    "phone",
    "phone_is_whatsapp",
    "email",
    "commune_of_origin",
    "situation",
    "country_of_residence",
    "consent_processing",
    "consent_sharing",
    "consent_contact",
]

FULL_FIELDS = [
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year",
    "phone",
    "phone_is_whatsapp",
    "phone_secondary",
    "email",
    "preferred_channel",
    "commune_of_origin",
    "situation",
    "country_of_residence",
    "city_of_residence",
    "departure_year",
    "return_year",
    "education_level",
    "occupation",
    "skills",
    "languages",
    "sectors_of_interest",
    "advisor",
    "consent_processing",
    "consent_sharing",
    "consent_contact",
]

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year",
    "phone",
    "phone_is_whatsapp",
    "email",
    "preferred_channel",
    "situation",
    "country_of_residence",
    "city_of_residence",
    "occupation",
    "skills",
    "languages",
    "sectors_of_interest",
    "consent_processing",
    "consent_sharing",
    "consent_contact",
]


def _year_bounds(form, *names):
    this_year = timezone.localdate().year
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs.update({"min": 1900, "max": this_year})


def office_staff(office):
    return User.objects.filter(office=office, role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)


class MigrantQuickForm(forms.ModelForm):
    """The desk's one-minute registration; details come later on the edit page."""

    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person, register anyway"), required=False
    )

    class Meta:
        model = Migrant
        fields = QUICK_FIELDS
        field_classes = {"commune_of_origin": CommuneChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autofocus"] = True
        _year_bounds(self, "birth_year")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a year between 1900 and this year."))
        return year


class MigrantForm(forms.ModelForm):
    class Meta:
        model = Migrant
        fields = FULL_FIELDS
        field_classes = {"commune_of_origin": CommuneChoiceField}
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sectors_of_interest": forms.CheckboxSelectMultiple,
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = office_staff(self.instance.office)
        _year_bounds(self, "birth_year", "departure_year", "return_year")

    def clean(self):
        cleaned = super().clean()
        departure, back = cleaned.get("departure_year"), cleaned.get("return_year")
        if departure and back and back < departure:
            # On the field, rather than the model constraint's message above the form.
            self.add_error("return_year", _("The year of return cannot be before the year of departure."))
        return cleaned


class ProfileForm(forms.ModelForm):
    """What a migrant corrects on their own record, consent included."""

    class Meta:
        model = Migrant
        fields = PROFILE_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sectors_of_interest": forms.CheckboxSelectMultiple,
            "skills": forms.Textarea(attrs={"rows": 3}),
        }


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "occurred_at",
            "channel",
            "place",
            "needs",
            "services_given",
            "notes",
            "referral_to",
            "referral_organisation",
            "outcome",
            "procedures",
            "follow_up_on",
            "follow_up_advisor",
        ]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "needs": forms.CheckboxSelectMultiple,
            "procedures": forms.CheckboxSelectMultiple,
            "services_given": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = NeedCategory.objects.active()
        self.fields["follow_up_advisor"].queryset = office_staff(office)
        self.fields["referral_organisation"].queryset = self.fields["referral_organisation"].queryset.order_by("name")
        # The lists shown come from the cache (migrants/choices.py); what is sent is checked with the querysets.
        lists = visit_form_choices(office.pk if office else None)
        self.fields["procedures"].queryset = ProcedureSheet.objects.published().filter(office=office)
        for name, list_name in (("needs", "needs"), ("follow_up_advisor", "staff"), ("referral_organisation", "organisations"),
                                ("procedures", "procedures")):
            show_choices(self.fields[name], lists[list_name])
        if not lists["procedures"]:  # an office without sheets: nothing to tick
            del self.fields["procedures"]
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_follow_up_on(self):
        follow_up_on = self.cleaned_data.get("follow_up_on")
        if follow_up_on and follow_up_on < timezone.localdate():
            raise forms.ValidationError(_("A follow-up date cannot be in the past."))
        return follow_up_on


class WalkInForm(forms.Form):
    commune = CommuneChoiceField(label=_("Commune of origin"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "---------"), *Sex.choices], required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", "---------"), *AgeGroup.choices], required=False)
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs expressed"), queryset=NeedCategory.objects.active(), widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class MergeForm(forms.Form):
    """Which record to fold into this one: any of the office's (``queryset``), offered likely duplicates first.

    The list shows ``proposals`` (the likely duplicates) then ``found`` (the search's results), not
    the whole office: the choice is checked against ``queryset`` all the same.
    """

    duplicate = forms.ModelChoiceField(label=_("Record to merge into this one"), queryset=Migrant.objects.none())

    def __init__(self, *args, queryset, proposals=(), found=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate"]
        field.queryset = queryset

        def option(migrant):
            born = migrant.year_of_birth or "—"
            return migrant.pk, f"{migrant.full_name} ({migrant.file_number}) · {born}"

        choices = [("", "---------")]
        if proposals:
            choices.append((_("Likely duplicates"), [option(migrant) for migrant in proposals]))
        if found:
            choices.append((_("Search results"), [option(migrant) for migrant in found]))
        field.widget.choices = choices


class SignUpForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.order_by("name"))
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    email = forms.EmailField(
        label=_("Email address"), required=False,
        help_text=_("An email address or a phone number, at least one. With an email address, the confirmation comes by email."),
    )
    phone = Migrant._meta.get_field("phone").formfield(
        required=False,
        help_text=_("Without an email address, you confirm your account with a code sent by SMS to this number, and log in with it."),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, required=False)
    commune_of_origin = CommuneChoiceField(label=_("Commune of origin"), required=False)
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    country_of_residence = Migrant._meta.get_field("country_of_residence").formfield(required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent_processing = forms.BooleanField(
        label=_("I agree that the office processes my data to guide me"),
        error_messages={"required": _("Your consent is needed to register.")},
    )
    consent_sharing = forms.BooleanField(label=_("I agree that my data is shared with partner organisations"), required=False)
    consent_contact = forms.BooleanField(label=_("I agree to be contacted about opportunities"), required=False)

    def clean_email(self):
        # A known address is not refused here: that would tell anyone which addresses have an
        # account. The view answers the same and emails the owner (services.sign_up_known_address).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", _("Give an email address or a phone number."))
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            try:
                validate_password(cleaned["password1"], User(email=cleaned.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    # What ``services.migrant_sign_up`` takes from the form besides the email (the two ways of
    # signing up, by email and by phone, give it the same profile).
    PROFILE_FIELDS = ("office", "first_name", "last_name", "phone", "birth_year", "commune_of_origin", "situation",
                      "country_of_residence", "consent_processing", "consent_sharing", "consent_contact")

    def sign_up_fields(self) -> dict:
        data = self.cleaned_data
        return {"password": data["password1"], **{name: data[name] for name in self.PROFILE_FIELDS}}


class VisitCorrectionForm(forms.ModelForm):
    """Correcting a visit logged wrong: its date, person (by file number), needs and text, with the reason."""

    move_to = forms.CharField(
        label=_("Move to the person with file number"), required=False, max_length=32,
        help_text=_("Only if the visit was logged on the wrong person: the file number of the right one."),
    )
    reason = forms.CharField(label=_("Why this correction"), max_length=80)

    class Meta:
        model = Visit
        fields = ["occurred_at", "channel", "place", "needs", "services_given", "notes", "referral_to", "outcome"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "needs": forms.CheckboxSelectMultiple,
            "services_given": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = NeedCategory.objects.active()
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at and occurred_at > timezone.now() + timedelta(minutes=10):
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return occurred_at


class VisitRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why remove this visit"), max_length=80)
