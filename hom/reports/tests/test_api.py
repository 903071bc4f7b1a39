"""The reports' aggregates through /api/v1/: protected as the page, and the same published figures."""
import pytest
from django.urls import reverse

from hom.testing.api import api_client, assert_api_matrix

from .builders import outcomes_of, small_cells_of

READERS = {
    "anonymous": 401, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
    "migrant": 403, "other_migrant": 403, "authority": 200, "partner": 403,
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

    body = api_client(users["authority"]).get(reverse("api:report", args=SEDHIOU),
                                              {"start": "2025-01", "end": "2026-12"}).json()

    on_page = [
        [table.key, [[str(label), values] for label, values in table.rows]]
        for section in page.context["sections"] for table in section.tables
    ]
    in_api = [[table["key"], table["rows"]] for section in body["sections"] for table in section["tables"]]
    assert in_api == on_page
    figures = [value for _key, rows in in_api for _label, values in rows for value in values]
    assert "<5" in figures and not any(value in {1, 2, 3, 4} for value in figures)


def test_a_bad_period_is_a_problem_naming_the_field(users):
    response = api_client(users["authority"]).get(reverse("api:report", args=SEDHIOU), {"start": "soon"})

    assert response.status_code == 400 and "start" in response.json()["errors"]
