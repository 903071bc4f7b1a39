"""No introduction for a person who did not consent to sharing (issue 14)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from migrants.tests.factories import MigrantFactory
from partnerships import services
from partnerships.models import Introduction
from partnerships.tests.factories import OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


def test_the_matches_page_offers_no_introduction_without_consent(client, users, office, organisation):
    person = MigrantFactory(office=office, consent_sharing=False)
    client.force_login(users["advisor"])

    response = client.get(reverse("partnerships:migrant_matches", args=[person.pk]))

    text = response.content.decode()
    assert reverse("partnerships:introduction_create", args=[person.pk, organisation.pk]) not in text
    assert 'data-testid="no-sharing-consent"' in text


def test_the_introduction_posted_anyway_is_refused(client, users, office, organisation):
    person = MigrantFactory(office=office, consent_sharing=False)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("partnerships:introduction_create", args=[person.pk, organisation.pk]),
        {"purpose": "Rencontre", "channel": "phone"}, follow=True,
    )

    assert response.status_code == 200
    assert not Introduction.objects.filter(migrant=person).exists()
    assert "n’a pas consenti" in response.content.decode() or "pas consenti" in response.content.decode()


def test_the_service_refuses_without_consent(users, office, organisation):
    person = MigrantFactory(office=office, consent_sharing=False)

    with pytest.raises(ValidationError):
        services.introduction_create(
            migrant=person, organisation=organisation, introduced_by=users["advisor"], purpose="x", channel="phone"
        )


def test_a_consenting_person_can_be_introduced_from_the_matches_page(client, users, office, organisation):
    person = MigrantFactory(office=office, consent_sharing=True)
    client.force_login(users["advisor"])

    response = client.get(reverse("partnerships:migrant_matches", args=[person.pk]))

    assert 'data-testid="no-sharing-consent"' not in response.content.decode()
