"""Dossiers and the funding catalogue through /api/v1/: scoping, readiness and budget, moves, public reads."""
import pytest
from django.urls import reverse
from django.utils import timezone

from hom.testing.api import api_client, assert_api_matrix, assert_constant_api_queries
from migrants.tests.factories import MigrantFactory
from projects.models import DossierStatus, DossierTransition

from .factories import BudgetLineFactory, DossierFactory
from .funding_factories import FundingOpportunityFactory

DOSSIER_ROLES = {
    "anonymous": 401, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
    "migrant": 200, "other_migrant": 200, "authority": 403, "partner": 403,
}
EVERYONE = {role: 200 for role in DOSSIER_ROLES}


@pytest.fixture
def dossier(users, office):
    return DossierFactory(promoter=MigrantFactory(office=office, user=users["migrant"]),
                          status=DossierStatus.SUBMITTED, submitted_at=timezone.now())


def test_the_dossier_list_answers_each_role(users, dossier):
    assert_api_matrix(reverse("api:dossier-list"), DOSSIER_ROLES, users)


def test_a_dossier_answers_404_out_of_scope(users, dossier):
    expected = {**DOSSIER_ROLES, "other_office_advisor": 404, "other_migrant": 404}

    assert_api_matrix(reverse("api:dossier-detail", args=[dossier.pk]), expected, users)
    assert_api_matrix(reverse("api:dossier-funding-matches", args=[dossier.pk]), expected, users)


def test_a_migrant_lists_only_their_own_dossiers(users, dossier, office):
    DossierFactory(promoter=MigrantFactory(office=office))

    listed = api_client(users["migrant"]).get(reverse("api:dossier-list")).json()["results"]

    assert [row["reference"] for row in listed] == [dossier.reference]


def test_the_detail_gives_readiness_budget_and_the_allowed_moves(users, dossier):
    BudgetLineFactory(dossier=dossier, quantity=3, unit_cost=50_000)

    body = api_client(users["advisor"]).get(reverse("api:dossier-detail", args=[dossier.pk])).json()

    assert body["budget"]["budget_total"] == 150_000
    assert 0 <= body["readiness_detail"]["score"] < 100 and body["readiness_detail"]["missing"]
    assert set(body["allowed_moves"]) == {"in_review", "changes_requested", "ready"}


def test_a_move_of_the_workflow_is_made_and_recorded(users, dossier):
    response = api_client(users["advisor"]).post(reverse("api:dossier-move", args=[dossier.pk]),
                                                 {"to_status": "in_review"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "in_review"
    transition = DossierTransition.objects.get(dossier=dossier)
    assert transition.actor == users["advisor"] and transition.to_status == "in_review"


def test_a_move_the_workflow_forbids_is_refused(users, dossier):
    response = api_client(users["advisor"]).post(reverse("api:dossier-move", args=[dossier.pk]),
                                                 {"to_status": "funded"}, format="json")

    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_a_move_needing_a_comment_names_the_field(users, dossier):
    response = api_client(users["advisor"]).post(reverse("api:dossier-move", args=[dossier.pk]),
                                                 {"to_status": "changes_requested"}, format="json")

    assert response.status_code == 400 and "comment" in response.json()["errors"]


def test_the_kolda_advisor_cannot_move_a_sedhiou_dossier(users, dossier):
    response = api_client(users["other_office_advisor"]).post(reverse("api:dossier-move", args=[dossier.pk]),
                                                              {"to_status": "in_review"}, format="json")

    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_the_dossier_list_keeps_a_constant_query_count(users, office):
    promoter = MigrantFactory(office=office)

    response = assert_constant_api_queries(
        api_client(users["advisor"]), reverse("api:dossier-list"),
        make_rows=lambda n: DossierFactory.create_batch(n, promoter=promoter),
    )

    assert len(response.json()["results"]) == 20


def test_the_funding_catalogue_is_public(users, db):
    opportunity = FundingOpportunityFactory(name="Fonds volaille")

    assert_api_matrix(reverse("api:funding-list"), EVERYONE, users)
    assert_api_matrix(reverse("api:funding-detail", args=[opportunity.pk]), EVERYONE, users)


def test_the_funding_catalogue_is_searched_as_on_its_page(db):
    FundingOpportunityFactory(name="Fonds Kambengo pour l'élevage")
    FundingOpportunityFactory(name="Bourse Tilibo de couture")

    found = api_client().get(reverse("api:funding-list"), {"q": "kambengo"}).json()["results"]

    assert [row["name"] for row in found] == ["Fonds Kambengo pour l'élevage"]


def test_the_funding_catalogue_keeps_a_constant_query_count(db):
    response = assert_constant_api_queries(
        api_client(), reverse("api:funding-list"), make_rows=lambda n: FundingOpportunityFactory.create_batch(n),
        data={"page_size": 100},
    )

    assert sum(row["name"].startswith("Programme test") for row in response.json()["results"]) == 20


def test_anonymous_calls_to_the_catalogue_are_throttled_per_ip(db, monkeypatch):
    from django.core.cache import cache

    from hom.api.throttling import AnonymousRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "2/hour", "token": "2/hour"})
    client = api_client()
    try:
        answers = [client.get(reverse("api:funding-list")).status_code for _ in range(3)]
        other_ip = client.get(reverse("api:funding-list"), REMOTE_ADDR="10.0.0.9")
    finally:
        cache.clear()

    assert answers == [200, 200, 429] and other_ip.status_code == 200
