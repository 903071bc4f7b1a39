"""Phone numbers to E.164 (``+221771234567``), the form every message and opt-out is stored in."""
import phonenumbers
from django.conf import settings
from phonenumber_field.phonenumber import PhoneNumber


def to_e164(value) -> str:
    """``value`` (a ``PhoneNumber`` or a string, national numbers read as Senegalese) in E.164;
    ``ValueError`` when it is not a valid number."""
    if isinstance(value, PhoneNumber):
        if not value.is_valid():
            raise ValueError(f"Invalid phone number: {value}")
        return value.as_e164
    text = str(value or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"Invalid phone number: {value!r}") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"Invalid phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
