"""Property-based tests of the API from its own schema (schemathesis), on the demo data with an advisor's token.

Against the live server (its own thread and database connection, as in production), so it
runs the same on SQLite and PostgreSQL. Bounded to keep the suite quick: the main lists and details, a few examples each. Every
answer must be no server error and, when its status is documented, match the schema.
"""
import pytest
import requests
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from hom.accounts.models import User
from hom.api.services import api_token_create

ENDPOINTS = r"^/api/v1/((migrants|dossiers|funding)/(\{id\}/)?|migrants/\{migrant_pk\}/visits/|dossiers/\{id\}/funding-matches/)$"


@pytest.fixture
def demo_token(live_app):
    """The demo data in the live server's database (committed: the server answers from its own thread)."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return api_token_create(user=User.objects.get(email="conseiller@demo.hom"), name="schemathesis")[1]


@pytest.fixture
def api_schema(live_app, demo_token):
    document = requests.get(f"{live_app.url}/api/schema/", params={"format": "json"}, timeout=30).json()
    return schemathesis.openapi.from_dict(document).include(path_regex=ENDPOINTS, method="GET")


def test_the_api_answers_its_own_schema(api_schema, demo_token, live_app):
    """Each chosen operation, a few generated requests each (Hypothesis drives schemathesis' strategies)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5, [operation.label for operation in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def answers_its_schema(case):
            case.call_and_validate(
                base_url=live_app.url,
                headers={"Authorization": f"Bearer {demo_token}"},
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            )

        answers_its_schema()
