from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from hom.http import normalise_email


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for an email address.

    The address reaches the backend normalised, as django-axes counts it (``hom.http``).
    """

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username"))
