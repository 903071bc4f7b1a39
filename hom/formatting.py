"""Template filters for the Senegalese way of writing money, loaded as a builtin library.

FCFA (XOF) has no decimals; thousands are grouped with a narrow no-break space whatever
the interface language, as on Senegalese invoices: ``1 500 000 FCFA``.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

THIN_SPACE = "\u202f"


def format_fcfa(amount, *, with_unit: bool = True) -> str:
    """Format an amount in FCFA: rounded to the franc, thin-space thousands."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(amount)
    digits = f"{abs(value):,.0f}".replace(",", THIN_SPACE)
    sign = "-" if value < 0 else ""
    return f"{sign}{digits}{' FCFA' if with_unit else ''}".replace(" FCFA", "\u00a0FCFA")


@register.filter(name="fcfa")
def fcfa_filter(amount):
    return format_fcfa(amount)


@register.filter(name="fcfa_number")
def fcfa_number_filter(amount):
    return format_fcfa(amount, with_unit=False)
