from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=80,
                           help_text=_("What it is for, e.g. “Partner spreadsheet” or “Laptop script”."))
