from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hom.http import normalise_email, normalise_login
from hom.links import recipient_language

from .models import Office, Role


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, for an email address or a phone number (migrants who signed up with one).

    The login name reaches the backend normalised, as django-axes counts it (``hom.http``).
    """

    username = forms.CharField(
        label=_("Email address or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct email address or phone number, and password."),
    }

    def clean_username(self):
        return normalise_login(self.cleaned_data.get("username"))


class LocalisedPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email reads in its recipient's language: their saved choice,
    else the language of the page the reset was asked from."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        with translation.override(recipient_language(context.get("user"), default=translation.get_language())):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none(), required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = staff_role_choices()
        if manager.is_superuser:
            self.fields["office"].queryset = Office.objects.all()
            self.fields["office"].required = True
        else:
            del self.fields["office"]

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = staff_role_choices()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("The 6 digits shown by your authenticator app, or one of your recovery codes."),
    )


class PasskeyNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)


def staff_role_choices():
    return [(role.value, role.label) for role in (Role.ADVISOR, Role.ADMIN)]
