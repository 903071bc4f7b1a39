"""The reports' and the public profiles' aggregates through /api/v1/: protected as the pages, the same figures."""

import json

import pytest
from django.urls import reverse
from django.utils.functional import Promise

from hom.testing.api import api_client, assert_api_matrix

from .builders import outcomes_of, small_cells_of

READERS = {
    "anonymous": 401,
    "superuser": 200,
    "admin": 200,
    "advisor": 200,
    "other_office_advisor": 404,
    "migrant": 403,
    "other_migrant": 403,
    "authority": 200,
    "partner": 403,
}
SEDHIOU = ["commune", "SN1103_SEDHIOU"]


@pytest.fixture
def small_cells(users, office, sedhiou, needs, sectors):
    """A commune whose tables have counts from 1 to 4 (to be published as "<5")."""
    persons = small_cells_of(sedhiou, office, needs, sectors)
    outcomes_of(sedhiou, office, persons)
    return persons


def test_the_report_answers_each_role_as_the_page(users):
    assert_api_matrix(reverse("api:report", args=SEDHIOU), READERS, users)


def test_the_authoritys_aggregates_equal_its_report_page(client, users, small_cells):
    client.force_login(users["authority"])
    page = client.get(reverse("reports:report", args=SEDHIOU), {"start": "2025-01", "end": "2026-12"})

    body = (
        api_client(users["authority"])
        .get(reverse("api:report", args=SEDHIOU), {"start": "2025-01", "end": "2026-12"})
        .json()
    )

    on_page = [
        [table.key, [[str(label), values] for label, values in table.rows]]
        for section in page.context["sections"]
        for table in section.tables
    ]
    in_api = [[table["key"], table["rows"]] for section in body["sections"] for table in section["tables"]]
    assert in_api == on_page
    figures = [value for _key, rows in in_api for _label, values in rows for value in values]
    assert "<5" in figures and not any(value in {1, 2, 3, 4} for value in figures)


def test_a_bad_period_is_a_problem_naming_the_field(users):
    response = api_client(users["authority"]).get(reverse("api:report", args=SEDHIOU), {"start": "soon"})

    assert response.status_code == 400 and "start" in response.json()["errors"]


def test_an_authoritys_aggregates_only_for_aligned_periods(users):
    """The API refuses what the page refuses: a perturbed report of February–March is a 400."""
    response = api_client(users["authority"]).get(
        reverse("api:report", args=SEDHIOU), {"start": "2025-02", "end": "2025-03"}
    )

    assert response.status_code == 400
    assert "ne couvrent qu’un mois" in str(response.json()["errors"])
    quarter = api_client(users["authority"]).get(
        reverse("api:report", args=SEDHIOU), {"start": "2025-01", "end": "2025-03"}
    )
    assert quarter.status_code == 200 and quarter.json()["period"] == {"first": "2025-01-01", "last": "2025-03-01"}


# --- The public commune profile's figures ---------------------------------------------------

PROFILE = ["SN1103_SEDHIOU"]


def _published(values):
    return [str(value) if isinstance(value, Promise) else value for value in values]


def test_the_public_profile_figures_need_no_token(users):
    assert_api_matrix(reverse("api:commune-profile", args=PROFILE), {role: 200 for role in READERS}, users)


def test_the_public_profiles_figures_equal_its_page(client, small_cells):
    page = client.get(reverse("communes:profile", args=PROFILE))

    body = api_client().get(reverse("api:commune-profile", args=PROFILE)).json()

    on_page = [
        [table.key, [[str(label), _published(values)] for label, values in table.rows]]
        for table in page.context["tables"]
    ]
    in_api = [[table["key"], table["rows"]] for table in body["tables"]]
    assert page.status_code == 200 and in_api == on_page
    assert body["commune"]["code"] == "SN1103_SEDHIOU"
    figures = [value for _key, rows in in_api for _label, values in rows for value in values]
    assert "<5" in figures and not any(value in {1, 2, 3, 4} for value in figures)


def test_the_public_profile_names_no_person(small_cells):
    text = json.dumps(api_client().get(reverse("api:commune-profile", args=PROFILE)).json(), ensure_ascii=False)

    assert not [person.last_name for person in small_cells if person.last_name in text]


def test_an_unknown_commune_is_a_404_problem(db):
    response = api_client().get(reverse("api:commune-profile", args=["SN9999_NOWHERE"]))

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
