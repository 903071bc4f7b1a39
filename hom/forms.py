"""Form helpers shared by every app."""
from django import forms
from django.core.exceptions import ValidationError


class HttpsURLField(forms.URLField):
    """An address typed without a scheme is taken as https:// (Django 6's default, chosen now)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: on the field it names when the form has
    that field, on top of the form otherwise, so that nothing the service said is lost."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.error_list)
