"""The one helper that puts a service's refusal onto a form."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from hom.forms import add_service_error


class _Form(forms.Form):
    name = forms.CharField()


def _bound():
    form = _Form({"name": "Awa"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field_and_an_unknown_field_on_top():
    form = _bound()
    add_service_error(form, ValidationError({"name": "Taken.", "office": "Closed.", NON_FIELD_ERRORS: "No."}))

    assert form.errors["name"] == ["Taken."]
    assert sorted(form.non_field_errors()) == ["Closed.", "No."]
    assert "name" not in form.cleaned_data


def test_a_plain_error_lands_on_top_with_every_message():
    form = _bound()
    add_service_error(form, ValidationError(["First.", "Second."]))

    assert list(form.non_field_errors()) == ["First.", "Second."]
