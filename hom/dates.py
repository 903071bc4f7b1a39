"""Plausible dates: the bounds the models' ``clean()`` hold every date to.

No record of the office's work is older than ``OFFICE_EARLIEST_DATE`` (1 January 2000:
the first Senegalese help offices for migrants opened in the late 2000s, so this floor
rejects typing slips such as 1901 or 0202 without refusing any real archive). Nothing
that happened (a visit, a decision) is after today; a person is born after
``EARLIEST_BIRTH_YEAR``; a project starts within ``PROJECT_START_YEARS`` of today.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

OFFICE_EARLIEST_DATE = date(2000, 1, 1)
EARLIEST_BIRTH_YEAR = 1900
PROJECT_START_YEARS = 10


def _shown(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def past_event_error(value: date | None) -> ValidationError | None:
    """Something that happened: between the office's earliest date and today."""
    if value is None:
        return None
    if value > timezone.localdate():
        return ValidationError(_("This date is in the future."), code="future")
    if value < OFFICE_EARLIEST_DATE:
        return ValidationError(
            _("This date is before %(date)s: check the year."), code="too_early",
            params={"date": _shown(OFFICE_EARLIEST_DATE)},
        )
    return None


def year_error(value: int | None) -> ValidationError | None:
    """A year of the person's life (birth, departure, return): from 1900 to this year."""
    if value is None:
        return None
    this_year = timezone.localdate().year
    if not EARLIEST_BIRTH_YEAR <= value <= this_year:
        return ValidationError(
            _("Enter a year between %(first)s and %(last)s."), code="year_range",
            params={"first": EARLIEST_BIRTH_YEAR, "last": this_year},
        )
    return None


def birth_date_error(value: date | None) -> ValidationError | None:
    if value is None:
        return None
    if value > timezone.localdate():
        return ValidationError(_("This date is in the future."), code="future")
    return year_error(value.year)


def within_years_error(value: date | None, years: int) -> ValidationError | None:
    """A planned date: no further than ``years`` years before or after today."""
    if value is None:
        return None
    today = timezone.localdate()
    first, last = _add_years(today, -years), _add_years(today, years)
    if not first <= value <= last:
        return ValidationError(
            _("Enter a date between %(first)s and %(last)s."), code="out_of_range",
            params={"first": _shown(first), "last": _shown(last)},
        )
    return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def collect(**errors) -> dict:
    """The errors that are not ``None``, keyed by field name (for ``ValidationError(dict)``)."""
    return {name: error for name, error in errors.items() if error is not None}
