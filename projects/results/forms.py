"""The form of a result check: shape and field validation only (``services.result_check_record`` writes)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from hom.fields import FCFAField

from .models import MAX_JOBS, BusinessState, ResultCheck


class ResultCheckForm(forms.ModelForm):
    state = forms.ChoiceField(
        label=_("State of the business"), choices=BusinessState.choices, widget=forms.RadioSelect
    )
    amount_disbursed = FCFAField.for_model(ResultCheck, "amount_disbursed")
    amount_repaid = FCFAField.for_model(ResultCheck, "amount_repaid")

    class Meta:
        model = ResultCheck
        fields = [
            "state", "jobs_created", "jobs_women", "jobs_youth", "turnover_band", "amount_disbursed", "amount_repaid",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "jobs_created": _("Jobs the business gives today, the promoter's included."),
            "amount_disbursed": _("Everything the funders paid out so far."),
            "amount_repaid": _("What the promoter has paid back of loans so far."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("jobs_created", "jobs_women", "jobs_youth"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "max": MAX_JOBS})
