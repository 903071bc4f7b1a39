from django import forms
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Office


class TransferForm(forms.Form):
    to_office = forms.ModelChoiceField(label=_("To office"), queryset=Office.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = Office.objects.exclude(pk=office.pk).order_by("name")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ModelChoiceField)
                                          else "form-control")
