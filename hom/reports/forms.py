"""The report's period filter and the commune profile's form: validation only."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hom.uploads import ACCEPT, check_upload

from .models import CommuneProfile
from .scope import Period

MAX_MONTHS = 60


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class PeriodForm(forms.Form):
    """A report's period; ``aligned`` (a perturbed report: an authority's, the national admin's)
    accepts only a calendar month, quarter or half-year, or one to five whole calendar years."""

    start = forms.DateField(label=_("From (month)"), input_formats=["%Y-%m"], widget=MonthInput())
    end = forms.DateField(label=_("To (month)"), input_formats=["%Y-%m"], widget=MonthInput())

    def __init__(self, *args, aligned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.aligned = aligned
        if aligned:
            self.fields["end"].help_text = ALIGNED_HELP

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value and not 2000 <= value.year <= 2100:
                self.add_error(name, forms.ValidationError(_("Choose a month between 2000 and 2100."), code="range"))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end month comes before the start month."), code="reversed")
            if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                raise forms.ValidationError(
                    _("A report covers at most %(months)s months."), code="too_long", params={"months": MAX_MONTHS}
                )
            if self.aligned and not Period(first=start, last=end).is_aligned:
                raise forms.ValidationError(ALIGNED_ERROR, code="not_aligned")
        return cleaned

    def default(self) -> Period:
        return Period.current_year() if self.aligned else Period.last_twelve_months()

    def period(self) -> Period:
        """The period asked for, or the default one (see :func:`period_form`) when nothing valid was asked."""
        if self.is_bound and self.is_valid():
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            return Period(first=date(start.year, start.month, 1), last=date(end.year, end.month, 1))
        return self.default()


ALIGNED_HELP = _(
    "Published figures cover one month, a quarter (January–March, April–June, July–September, October–December), "
    "a half-year (January–June, July–December) or whole years (January to December, at most five)."
)
ALIGNED_ERROR = _(
    "Published figures cover only one month, a quarter, a half-year or whole years (January to December, at most "
    "five): choose such a period, so that comparing periods reveals no one."
)


def aligned_shortcuts(year: int) -> list[tuple[str, Period]]:
    """The periods offered in one click on a perturbed report: the year, its half-years and
    quarters, and the year before (each gives the report's usual ``?start=YYYY-MM&end=YYYY-MM``)."""
    halves = [_("1st half-year %(year)s"), _("2nd half-year %(year)s")]
    quarters = [_("Q1 %(year)s"), _("Q2 %(year)s"), _("Q3 %(year)s"), _("Q4 %(year)s")]
    return [
        (_("Year %(year)s") % {"year": year}, Period.calendar_years(year)),
        *(
            (label % {"year": year}, Period(first=date(year, 1 + 6 * index, 1), last=date(year, 6 + 6 * index, 1)))
            for index, label in enumerate(halves)
        ),
        *(
            (label % {"year": year}, Period(first=date(year, 1 + 3 * index, 1), last=date(year, 3 + 3 * index, 1)))
            for index, label in enumerate(quarters)
        ),
        (_("Year %(year)s") % {"year": year - 1}, Period.calendar_years(year - 1)),
    ]


def period_form(data, *, aligned: bool = False) -> PeriodForm:
    """Bound when the query string asks for a period, so that what was typed is kept and checked.

    The default period: the last twelve months for exact figures (office staff); the current
    calendar year for perturbed ones (``aligned``), the period an authority's budget and plans
    follow (docs/reports.md).
    """
    if "start" in data or "end" in data:
        return PeriodForm(data, aligned=aligned)
    form = PeriodForm(aligned=aligned)
    default = form.default()
    form.initial = {"start": default.first, "end": default.last}
    return form


class CommuneProfileForm(forms.ModelForm):
    class Meta:
        model = CommuneProfile
        fields = ["narrative", "development_plan"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "development_plan": forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        }

    def clean_development_plan(self):
        uploaded = self.cleaned_data.get("development_plan")
        if uploaded and hasattr(uploaded, "content_type"):
            # The same content check as a dossier's documents: the bytes decide, not the name.
            check_upload(uploaded)
        return uploaded
