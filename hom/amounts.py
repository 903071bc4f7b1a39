"""FCFA amounts typed the Senegalese way, and the bounds every amount and quantity keeps.

The franc CFA has no cents: an amount is a whole number of francs. People write the
thousands with a space ("75 000", often a non-breaking or narrow space when pasted from
a word processor) or with a dot ("75.000"); a comma is the decimal mark. So:

- "75000", "75 000", "75 000", "75 000" and "75.000" all mean 75 000;
- "75,5", "7.50", "75.00.0", "75 00", "1.000 000" (mixed marks), letters, signs are refused:
  each could mean two different amounts, and a wrong guess is money silently lost.

The parser is ``parse_fcfa``; the form field is ``hom.fields.FCFAField``; the models'
``clean()`` (hence the services, which call ``full_clean()``) check the bounds with
``bound_errors``, so that an amount that did not come through a form is held too.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# One line of a budget, a financing line, a grant: 10^12 FCFA is about 1.5 billion euros.
MAX_AMOUNT = 10**12
# Quantities of a budget line (units, days, heads of cattle...).
MAX_QUANTITY = 10**6

# Thousands separators: space, no-break space, narrow no-break space, thin space, dot.
_SPACES = " \u00a0\u202f\u2009"
_GROUPED_BY_SPACES = re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+$")
_GROUPED_BY_DOTS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_PLAIN = re.compile(r"^\d+$")

INVALID_MESSAGE = _("Enter a whole amount in FCFA, e.g. 75000, 75 000 or 75.000 (no cents, no letters).")
TOO_LARGE_MESSAGE = _("An amount cannot be more than 1 000 000 000 000 FCFA.")
TOO_MANY_MESSAGE = _("A quantity cannot be more than 1 000 000.")


def parse_fcfa(text) -> int | None:
    """The amount ``text`` means, or ``None`` when empty. Raises ``ValidationError`` (code ``invalid``/``max_value``)."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).strip()
        if not cleaned:
            return None
        if len(cleaned) > 40:
            raise ValidationError(TOO_LARGE_MESSAGE, code="max_value")
        if not (_PLAIN.match(cleaned) or _GROUPED_BY_SPACES.match(cleaned) or _GROUPED_BY_DOTS.match(cleaned)):
            raise ValidationError(INVALID_MESSAGE, code="invalid")
        value = int(re.sub(rf"[{_SPACES}.]", "", cleaned))
    if value < 0:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    if value > MAX_AMOUNT:
        raise ValidationError(TOO_LARGE_MESSAGE, code="max_value")
    return value


def format_fcfa(value) -> str:
    """``75000`` → ``"75 000"`` (plain spaces, so that the text typed back parses the same)."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}".replace(",", " ")


def bound_errors(instance, *, amounts=(), quantities=()) -> dict:
    """Messages for the fields of ``instance`` beyond the bounds, keyed by field name (for ``clean()``)."""
    errors = {}
    for name in amounts:
        value = getattr(instance, name)
        if value is not None and not 0 <= value <= MAX_AMOUNT:
            errors[name] = ValidationError(TOO_LARGE_MESSAGE, code="max_value")
    for name in quantities:
        value = getattr(instance, name)
        if value is not None and not 0 <= value <= MAX_QUANTITY:
            errors[name] = ValidationError(TOO_MANY_MESSAGE, code="max_value")
    return errors
