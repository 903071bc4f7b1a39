from django import forms
from django.utils.translation import gettext_lazy as _

from hom.forms import HttpsURLField

from ..models import ProcedureSheet, ProcedureTopic
from .services import FIELDS


class ProcedureSheetForm(forms.ModelForm):
    class Meta:
        model = ProcedureSheet
        fields = list(FIELDS)
        field_classes = {"source_url": HttpsURLField}
        widgets = {
            "body_fr": forms.Textarea(attrs={"rows": 10}),
            "body_en": forms.Textarea(attrs={"rows": 10}),
        }


class TopicFilterForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *ProcedureTopic.choices]
    )
