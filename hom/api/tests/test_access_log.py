"""The API in the access log (migrants/access_log.py) and in the history: reads of a person's data and writes.

One row per call, made by the one INSERT of ``access_record``, naming the token's user; a
migrant reading their own data is not logged (as on the pages).
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hom.territories.models import Commune, NeedCategory
from hom.testing.api import api_client
from migrants.models import Migrant, PersonAccess
from migrants.tests.factories import MigrantFactory
from partnerships.models import Introduction
from partnerships.tests.factories import OrganisationFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(users, office, sedhiou):
    return MigrantFactory(office=office, user=users["migrant"], first_name="Fatoumata", last_name="Diédhiou",
                          birth_year=1990, commune_of_origin=sedhiou, consent_sharing=True)


@pytest.fixture
def sedhiou(db):
    return Commune.objects.get(code="SN1103_SEDHIOU")


@pytest.fixture
def needs(db):
    return {need.code: need for need in NeedCategory.objects.all()}


@pytest.fixture
def dossier(person):
    return DossierFactory(promoter=person, status=DossierStatus.SUBMITTED, submitted_at=timezone.now())


def _rows():
    return list(PersonAccess.objects.order_by("pk").values("user", "office", "action", "target", "migrant",
                                                          "object_id", "detail"))


def test_reading_a_person_is_logged_with_one_insert(users, person):
    client = api_client(users["advisor"])
    client.get(reverse("api:migrant-list"))  # the token's first use is written once: outside the count
    PersonAccess.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:migrant-detail", args=[person.pk]))

    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
    assert response.status_code == 200
    assert len(inserts) == 1 and "personaccess" in inserts[0]
    assert _rows() == [{"user": users["advisor"].pk, "office": users["advisor"].office_id, "action": "view",
                        "target": "person", "migrant": person.pk, "object_id": None, "detail": "API GET"}]


def test_a_list_of_persons_is_logged_as_an_export_with_its_filters(users, person, sedhiou):
    client = api_client(users["advisor"])

    first = client.get(reverse("api:migrant-list"), {"commune": sedhiou.pk, "page_size": 1})
    client.get(first.json()["next"] or reverse("api:migrant-list"))

    rows = _rows()
    assert [(row["action"], row["target"], row["migrant"]) for row in rows] == [("export", "registry", None)] * 2
    assert rows[0]["detail"] == f"API GET commune={sedhiou.pk}"  # the filters, never the cursor


def test_a_persons_visits_and_a_dossier_are_logged(users, person, dossier):
    client = api_client(users["admin"])

    client.get(reverse("api:migrant-visits", args=[person.pk]))
    client.get(reverse("api:dossier-detail", args=[dossier.pk]))
    client.get(reverse("api:dossier-funding-matches", args=[dossier.pk]))
    client.get(reverse("api:dossier-list"))

    assert [(row["user"], row["target"], row["migrant"], row["object_id"], row["detail"]) for row in _rows()] == [
        (users["admin"].pk, "person", person.pk, None, "API GET visits"),
        (users["admin"].pk, "dossier", person.pk, dossier.pk, "API GET"),
        (users["admin"].pk, "dossier", person.pk, dossier.pk, "API GET funding matches"),
        (users["admin"].pk, "dossier", None, None, "API GET"),
    ]


def test_a_read_refused_out_of_scope_is_not_logged_as_a_reading(users, person):
    response = api_client(users["other_office_advisor"]).get(reverse("api:migrant-detail", args=[person.pk]))

    assert response.status_code == 404 and _rows() == []


def test_a_migrant_reading_their_own_record_is_not_logged(users, person, dossier):
    client = api_client(users["migrant"])

    assert client.get(reverse("api:migrant-detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("api:dossier-detail", args=[dossier.pk])).status_code == 200
    assert _rows() == []


def test_every_write_is_logged_and_its_history_names_the_tokens_user(users, person, dossier, needs):
    advisor = users["advisor"]
    client = api_client(advisor)
    organisation = OrganisationFactory()

    updated = client.patch(reverse("api:migrant-detail", args=[person.pk]), {"city_of_residence": "Lyon"},
                           format="json")
    visit = client.post(reverse("api:migrant-visits", args=[person.pk]),
                        {"channel": "phone", "needs": [needs["FUNDING"].pk]}, format="json")
    moved = client.post(reverse("api:dossier-move", args=[dossier.pk]), {"to_status": "in_review"}, format="json")
    introduced = client.post(reverse("api:introduction-list"),
                             {"migrant": person.pk, "organisation": organisation.pk, "purpose": "Rencontre.",
                              "channel": "phone"}, format="json")

    assert [response.status_code for response in (updated, visit, moved, introduced)] == [200, 201, 200, 201]
    introduction = Introduction.objects.get()
    assert [(row["user"], row["action"], row["migrant"], row["detail"]) for row in _rows()] == [
        (advisor.pk, "change", person.pk, "API PATCH update"),
        (advisor.pk, "change", person.pk, "API POST visit"),
        (advisor.pk, "change", person.pk, "API POST move in_review"),
        (advisor.pk, "change", person.pk, f"API POST introduction {introduction.pk}"),
    ]
    person.refresh_from_db()
    dossier.refresh_from_db()
    assert person.history.latest().history_user == advisor
    assert person.visits.get().history.get().history_user == advisor
    assert dossier.history.latest().history_user == advisor and dossier.status == DossierStatus.IN_REVIEW
    assert introduction.history.get().history_user == advisor


def test_a_registration_is_logged_and_its_history_names_the_tokens_user(users, sedhiou):
    response = api_client(users["advisor"]).post(reverse("api:migrant-list"), {
        "first_name": "Awa", "last_name": "Sané", "sex": "F", "birth_year": 1991, "situation": "returned",
        "country_of_residence": "SN", "consent_processing": True, "commune_of_origin": sedhiou.pk,
    }, format="json")

    assert response.status_code == 201, response.json()
    created = response.json()["id"]
    assert [(row["migrant"], row["detail"]) for row in _rows()] == [(created, "API POST registration")]
    assert Migrant.objects.get(pk=created).history.get().history_user == users["advisor"]
