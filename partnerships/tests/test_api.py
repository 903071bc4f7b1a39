"""Organisations and introductions through /api/v1/: scoping, consent, the services' moves."""
import pytest
from django.urls import reverse

from hom.testing.api import api_client, assert_api_matrix, assert_constant_api_queries
from migrants.tests.factories import MigrantFactory
from partnerships.models import Introduction

from .factories import IntroductionFactory, OrganisationFactory

ORGANISATION_ROLES = {
    "anonymous": 401, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
    "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 200,
}


@pytest.fixture
def introduction(users, office):
    organisation = OrganisationFactory()
    organisation.partner_users.add(users["partner"])
    return IntroductionFactory(migrant=MigrantFactory(office=office, user=users["migrant"], consent_sharing=True),
                               organisation=organisation)


def test_the_organisations_answer_each_role(users, introduction):
    assert_api_matrix(reverse("api:organisation-list"), ORGANISATION_ROLES, users)
    assert_api_matrix(reverse("api:organisation-detail", args=[introduction.organisation.pk]), ORGANISATION_ROLES,
                      users)


def test_a_partner_sees_only_their_organisation(users, introduction):
    OrganisationFactory()

    listed = api_client(users["partner"]).get(reverse("api:organisation-list")).json()["results"]

    assert [row["id"] for row in listed] == [introduction.organisation.pk]


def test_an_introduction_answers_each_role(users, introduction):
    expected = {**ORGANISATION_ROLES, "migrant": 200, "other_migrant": 404, "other_office_advisor": 404}

    assert_api_matrix(reverse("api:introduction-detail", args=[introduction.pk]), expected, users)


def test_the_introductions_list_keeps_a_constant_query_count(users, office):
    migrant = MigrantFactory(office=office, consent_sharing=True)

    response = assert_constant_api_queries(
        api_client(users["advisor"]), reverse("api:introduction-list"),
        make_rows=lambda n: IntroductionFactory.create_batch(n, migrant=migrant),
    )

    assert len(response.json()["results"]) == 20


def test_an_introduction_is_made_through_the_service_with_consent_only(users, office):
    organisation = OrganisationFactory()
    willing = MigrantFactory(office=office, consent_sharing=True)
    unwilling = MigrantFactory(office=office, consent_sharing=False)
    client = api_client(users["advisor"])
    body = {"organisation": organisation.pk, "purpose": "Meet the association.", "channel": "phone"}

    made = client.post(reverse("api:introduction-list"), {**body, "migrant": willing.pk}, format="json")
    refused = client.post(reverse("api:introduction-list"), {**body, "migrant": unwilling.pk}, format="json")

    assert made.status_code == 201 and made.json()["introduced_by"] == users["advisor"].pk
    assert refused.status_code == 400 and refused.json()["errors"]["non_field_errors"]
    assert list(Introduction.objects.values_list("migrant", flat=True)) == [willing.pk]


def test_the_kolda_advisor_cannot_introduce_a_sedhiou_person(users, office):
    sedhiou_person = MigrantFactory(office=office, consent_sharing=True)

    response = api_client(users["other_office_advisor"]).post(
        reverse("api:introduction-list"),
        {"migrant": sedhiou_person.pk, "organisation": OrganisationFactory().pk, "purpose": "x", "channel": "phone"},
        format="json",
    )

    assert response.status_code == 400 and "migrant" in response.json()["errors"]
    assert not Introduction.objects.exists()


def test_an_introduction_moves_only_as_the_service_allows(users, introduction):
    client = api_client(users["advisor"])

    moved = client.post(reverse("api:introduction-move", args=[introduction.pk]), {"status": "contacted"},
                        format="json")
    backwards = client.post(reverse("api:introduction-move", args=[introduction.pk]), {"status": "proposed"},
                            format="json")

    assert moved.status_code == 200 and moved.json()["status"] == "contacted"
    assert backwards.status_code == 400 and "status" in backwards.json()["errors"]
