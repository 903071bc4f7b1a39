"""Forms of the person's notices: the channels chosen, the phone's code (shape only; the rules are the services')."""
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class ContactChoiceForm(forms.Form):
    email = forms.BooleanField(label=_("By email"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False, help_text=_("To the phone number, once verified."))
    whatsapp = forms.BooleanField(
        label=_("By WhatsApp"), required=False, help_text=_("To the phone number, once verified.")
    )

    @classmethod
    def for_choice(cls, choice, data=None):
        initial = {"email": choice.email, "sms": choice.sms, "whatsapp": choice.whatsapp} if choice else {"email": True}
        return cls(data, initial=initial)


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by SMS"), max_length=7, strip=True,
        validators=[RegexValidator(r"^\d{6}$", _("Type the 6 digits of the code."))],
        widget=forms.TextInput(attrs={
            "class": "form-control form-control-sm", "inputmode": "numeric", "autocomplete": "one-time-code", "size": 8,
        }),
    )
