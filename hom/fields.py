"""Form fields shared by the apps.

``FCFAField`` is THE field of every amount typed in FCFA (budget lines, financing lines,
funding applications, conventions): it reads "75 000" and "75.000" as 75 000 and refuses
what could mean two things (``hom.amounts.parse_fcfa``). ``QuantityField`` bounds counts.
"""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MinValueValidator
from django.utils.text import capfirst

from .amounts import MAX_AMOUNT, MAX_QUANTITY, TOO_MANY_MESSAGE, format_fcfa, parse_fcfa


class FCFAInput(forms.TextInput):
    """A text box (a number box would refuse "75 000") that shows the thousands grouped."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_fcfa(value)
        return super().format_value(value)


class FCFAField(forms.Field):
    widget = FCFAInput

    def __init__(self, *, min_value=0, **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(min_value))

    def to_python(self, value):
        return parse_fcfa(value)

    @classmethod
    def for_model(cls, model, name, **kwargs):
        """The field for ``model.name``, labelled and required as the model field says."""
        model_field = model._meta.get_field(name)
        kwargs.setdefault("label", capfirst(model_field.verbose_name))
        kwargs.setdefault("required", not model_field.blank)
        kwargs.setdefault("help_text", model_field.help_text)
        return cls(**kwargs)


class QuantityField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_QUANTITY)
        kwargs.setdefault("error_messages", {"max_value": TOO_MANY_MESSAGE})
        super().__init__(**kwargs)


__all__ = ["MAX_AMOUNT", "NON_FIELD_ERRORS", "FCFAField", "QuantityField"]
