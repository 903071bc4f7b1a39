import pytest

from partnerships.forms import OrganisationForm
from partnerships.models import OrganisationKind

pytestmark = pytest.mark.django_db


def test_a_website_typed_without_its_scheme_is_kept_as_https(users):
    form = OrganisationForm(
        data={
            "name": "Grdr Migration-Citoyenneté-Développement", "kind": OrganisationKind.NGO, "country": "FR",
            "city": "Montreuil", "website": "grdr.org", "relation": "known", "source": "census",
        },
        user=users["admin"],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == "https://grdr.org"
