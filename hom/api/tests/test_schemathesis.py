"""Property-based tests of the API from its own schema (schemathesis), on the demo data with an advisor's token.

Against the live server (its own thread and database connection, as in production), so it
runs the same on SQLite and PostgreSQL. Bounded to keep the suite quick: the main lists and
details, then every POST and PATCH, a few examples each. Every answer must be no server
error and, when its status is documented, match the schema.
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
from migrants.models import Migrant
from partnerships.conventions.models import ReportItem, ReportItemStatus
from partnerships.models import Introduction
from projects.models import ProjectDossier

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


def _run(operations, *, live_app, token, max_examples, ids=None) -> dict:
    """A few generated requests per operation (Hypothesis drives schemathesis' strategies); the statuses seen."""
    seen = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def answers_its_schema(case):
            for name in case.path_parameters or {}:
                if ids and (case.operation.path, name) in ids:
                    case.path_parameters[name] = ids[(case.operation.path, name)]
            response = case.call_and_validate(
                base_url=live_app.url,
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            )
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        answers_its_schema()
    return seen


def test_the_api_answers_its_own_schema(api_schema, demo_token, live_app):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5, [operation.label for operation in operations]
    _run(operations, live_app=live_app, token=demo_token, max_examples=6)


def _demo_ids():
    """Records of the advisor's office, so that generated writes reach real rows (random ids are only 404s)."""
    advisor = User.objects.get(email="conseiller@demo.hom")
    person = Migrant.objects.visible_to(advisor).filter(erased_at__isnull=True).order_by("pk").first()
    dossier = ProjectDossier.objects.visible_to(advisor).order_by("pk").first()
    introduction = Introduction.objects.visible_to(advisor).order_by("pk").first()
    report = ReportItem.objects.visible_to(advisor).exclude(status=ReportItemStatus.ACCEPTED).order_by("pk").first()
    return {
        ("/api/v1/migrants/{id}/", "id"): person.pk,
        ("/api/v1/migrants/{migrant_pk}/visits/", "migrant_pk"): person.pk,
        ("/api/v1/dossiers/{id}/move/", "id"): dossier.pk,
        ("/api/v1/introductions/{id}/move/", "id"): introduction.pk,
        ("/api/v1/convention-reports/{id}/upload/", "id"): report.pk,
    }


def test_the_api_writes_answer_their_own_schema(live_app, demo_token):
    """Every POST and PATCH, a few generated bodies each, on real records of the advisor's office."""
    document = requests.get(f"{live_app.url}/api/schema/", params={"format": "json"}, timeout=30).json()
    schema = schemathesis.openapi.from_dict(document).include(method=["POST", "PATCH"])
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"POST /api/v1/migrants/", "PATCH /api/v1/migrants/{id}/", "POST /api/v1/dossiers/{id}/move/",
            "POST /api/v1/convention-reports/{id}/upload/"} <= labels, labels
    seen = _run(operations, live_app=live_app, token=demo_token, max_examples=5, ids=_demo_ids())

    # Real rows were reached: some writes went through, and the rest were refused with a 4xx.
    assert any(code < 300 for codes in seen.values() for code in codes), seen
