"""Persons, visits and walk-ins through /api/v1/: scoping, the duplicate warning, history, query counts."""
import pytest
from django.urls import reverse

from hom.testing.api import api_client, assert_api_matrix, assert_constant_api_queries
from migrants.models import Migrant, Visit

from .factories import MigrantFactory, VisitFactory

STAFF_AND_MIGRANTS = {
    "anonymous": 401, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
    "migrant": 200, "other_migrant": 200, "authority": 403, "partner": 403,
}
PERSON = {
    "first_name": "Fatoumata", "last_name": "Diedhiou", "sex": "F", "birth_year": 1990,
    "situation": "returned", "country_of_residence": "SN", "consent_processing": True,
}


@pytest.fixture
def person(users, office, sedhiou):
    return MigrantFactory(office=office, user=users["migrant"], first_name="Fatoumata", last_name="Diédhiou",
                          birth_year=1990, commune_of_origin=sedhiou)


def test_the_persons_list_answers_each_role_as_the_registry_does(users, person):
    assert_api_matrix(reverse("api:migrant-list"), STAFF_AND_MIGRANTS, users)


def test_a_person_answers_404_out_of_scope(users, person):
    expected = {**STAFF_AND_MIGRANTS, "other_office_advisor": 404, "other_migrant": 404}

    assert_api_matrix(reverse("api:migrant-detail", args=[person.pk]), expected, users)


def test_the_kolda_advisor_lists_none_of_sedhious_persons(users, person, other_office):
    kolda = MigrantFactory(office=other_office)

    listed = api_client(users["other_office_advisor"]).get(reverse("api:migrant-list")).json()["results"]

    assert [row["id"] for row in listed] == [kolda.pk]


def test_a_migrant_sees_only_their_own_record(users, person, office):
    MigrantFactory(office=office)

    listed = api_client(users["migrant"]).get(reverse("api:migrant-list")).json()["results"]

    assert [row["file_number"] for row in listed] == [person.file_number]


def test_a_migrant_cannot_write_even_their_own_record(users, person):
    response = api_client(users["migrant"]).patch(reverse("api:migrant-detail", args=[person.pk]),
                                                  {"first_name": "X"}, format="json")

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.first_name == "Fatoumata"


def test_the_registry_filters_and_search_work_in_the_api(users, office, sedhiou, marsassoum):
    MigrantFactory(office=office, first_name="Awa", last_name="Sané", commune_of_origin=marsassoum)
    wanted = MigrantFactory(office=office, first_name="Moussa", last_name="Mané", commune_of_origin=sedhiou)
    client = api_client(users["advisor"])

    by_commune = client.get(reverse("api:migrant-list"), {"commune": sedhiou.pk}).json()["results"]
    by_name = client.get(reverse("api:migrant-list"), {"q": "mane mousa"}).json()["results"]

    assert [row["id"] for row in by_commune] == [wanted.pk]
    assert [row["id"] for row in by_name] == [wanted.pk]


def test_an_unknown_filter_value_is_a_problem_naming_the_field(users):
    response = api_client(users["advisor"]).get(reverse("api:migrant-list"), {"commune": "nowhere"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "commune" in response.json()["errors"]


def test_the_persons_list_keeps_a_constant_query_count(users, office):
    client = api_client(users["advisor"])

    response = assert_constant_api_queries(
        client, reverse("api:migrant-list"), make_rows=lambda n: MigrantFactory.create_batch(n, office=office)
    )

    assert len(response.json()["results"]) == 20


def test_the_list_is_paged_by_cursor(users, office):
    MigrantFactory.create_batch(3, office=office)
    client = api_client(users["advisor"])

    first = client.get(reverse("api:migrant-list"), {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2 and len(second["results"]) == 1 and second["next"] is None
    assert "cursor=" in first["next"]


def test_a_near_duplicate_answers_409_with_the_candidate_then_registers_when_confirmed(users, person, sedhiou):
    client = api_client(users["advisor"])
    data = {**PERSON, "commune_of_origin": sedhiou.pk}

    warned = client.post(reverse("api:migrant-list"), data, format="json")
    confirmed = client.post(reverse("api:migrant-list"), {**data, "confirm": True}, format="json")

    assert warned.status_code == 409 and warned["Content-Type"] == "application/problem+json"
    assert [candidate["id"] for candidate in warned.json()["candidates"]] == [person.pk]
    assert confirmed.status_code == 201, confirmed.json()
    created = Migrant.objects.get(pk=confirmed.json()["id"])
    assert created.file_number.startswith("SED-") and created.advisor == users["advisor"]
    assert created.history.get().history_user == users["advisor"]


def test_the_duplicate_warning_is_in_the_users_language(users, person, sedhiou):
    client = api_client(users["advisor"])

    french = client.post(reverse("api:migrant-list"), {**PERSON, "commune_of_origin": sedhiou.pk}, format="json")
    english = client.post(reverse("api:migrant-list"), {**PERSON, "commune_of_origin": sedhiou.pk}, format="json",
                          HTTP_ACCEPT_LANGUAGE="en")

    assert "déjà" in french.json()["detail"]
    assert "may already be registered" in english.json()["detail"]


def test_a_bad_registration_names_its_field_and_saves_nothing(users):
    response = api_client(users["advisor"]).post(
        reverse("api:migrant-list"), {**PERSON, "birth_year": 1700, "last_name": ""}, format="json"
    )

    assert response.status_code == 400
    assert {"birth_year", "last_name"} <= set(response.json()["errors"])
    assert not Migrant.objects.exists()


def test_an_update_goes_through_the_service_and_its_history_names_the_tokens_user(users, person):
    response = api_client(users["advisor"]).patch(reverse("api:migrant-detail", args=[person.pk]),
                                                  {"city_of_residence": "Lyon"}, format="json")

    assert response.status_code == 200 and response.json()["city_of_residence"] == "Lyon"
    latest = person.history.latest()
    assert latest.city_of_residence == "Lyon" and latest.history_user == users["advisor"]


def test_the_kolda_advisor_cannot_update_a_sedhiou_person(users, person):
    response = api_client(users["other_office_advisor"]).patch(
        reverse("api:migrant-detail", args=[person.pk]), {"city_of_residence": "Kolda"}, format="json"
    )

    assert response.status_code == 404
    person.refresh_from_db()
    assert person.city_of_residence != "Kolda"


def test_visits_of_a_person_answer_each_role(users, person):
    VisitFactory(migrant=person)
    expected = {**STAFF_AND_MIGRANTS, "other_office_advisor": 404, "other_migrant": 404}

    assert_api_matrix(reverse("api:migrant-visits", args=[person.pk]), expected, users)


def test_a_visit_is_logged_through_the_service(users, person, needs):
    response = api_client(users["advisor"]).post(
        reverse("api:migrant-visits", args=[person.pk]),
        {"channel": "phone", "notes": "Wants a poultry farm.", "needs": [needs["FUNDING"].pk]}, format="json",
    )

    assert response.status_code == 201, response.json()
    visit = Visit.objects.get()
    assert visit.migrant == person and visit.advisor == users["advisor"] and visit.office == person.office
    assert visit.history.get().history_user == users["advisor"]


def test_the_visits_list_keeps_a_constant_query_count(users, person):
    client = api_client(users["advisor"])

    response = assert_constant_api_queries(
        client, reverse("api:migrant-visits", args=[person.pk]),
        make_rows=lambda n: VisitFactory.create_batch(n, migrant=person),
    )

    assert len(response.json()["results"]) == 20


def test_a_walk_in_is_counted_and_an_empty_one_refused(users, sedhiou):
    client = api_client(users["advisor"])

    counted = client.post(reverse("api:walk-in-list"), {"commune": sedhiou.pk, "sex": "F"}, format="json")
    empty = client.post(reverse("api:walk-in-list"), {}, format="json")

    assert counted.status_code == 201 and Visit.objects.get().migrant is None
    assert empty.status_code == 400 and empty.json()["errors"]["non_field_errors"]


def test_walk_ins_are_for_office_staff(users):
    expected = {role: 403 for role in STAFF_AND_MIGRANTS} | {"anonymous": 401, "advisor": 400, "admin": 400,
                                                            "other_office_advisor": 400, "superuser": 403}

    assert_api_matrix(reverse("api:walk-in-list"), expected, users, method="post")


def test_a_person_without_a_country_of_residence_is_listed(users, office):
    """Found by schemathesis on the demo data: an empty country was a 500."""
    MigrantFactory(office=office, country_of_residence="")

    response = api_client(users["advisor"]).get(reverse("api:migrant-list"))

    assert response.status_code == 200 and response.json()["results"][0]["country_of_residence"] == ""
