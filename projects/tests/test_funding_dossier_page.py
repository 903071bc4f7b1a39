"""Eligibility on the dossier's page: every programme checked and explained, eligible first."""
import re

import pytest
from django.urls import reverse

from hom.territories.models import Commune, Region, Sector
from hom.testing.queries import assert_constant_queries
from projects.funding.models import FundingOpportunity, FundingType
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory
from projects.tests.funding_factories import FundingOpportunityFactory


def _agriculture_in_sedhiou(promoter, *, sought=8_000_000, own=2_000_000):
    """Like the demo's: agriculture in Sédhiou, 8 M FCFA sought, 20 % own contribution."""
    dossier = DossierFactory(
        promoter=promoter,
        title="Exploitation maraîchère à Sédhiou",
        sector=Sector.objects.get(code="AGRI"),
        commune=Commune.objects.get(code="SN1103_SEDHIOU"),
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=sought + own)
    FinancingLineFactory(dossier=dossier, source="own", amount=own)
    FinancingLineFactory(dossier=dossier, source="grant", amount=sought)
    return dossier


def _verdicts(text):
    return re.findall(r'data-testid="funding-match" data-verdict="(\w+)"', text)


def test_all_programmes_are_listed_eligible_first_with_the_rule_that_failed(client, users, promoter):
    FundingOpportunity.objects.all().delete()
    grant = FundingType.objects.get(code="grant")
    FundingOpportunityFactory(
        name="Fonds agricole de Sédhiou", types=[grant], eligible_sectors=[Sector.objects.get(code="AGRI")],
        amount_min=1_000_000, amount_max=10_000_000, min_own_contribution_percent=10,
    )
    FundingOpportunityFactory(
        name="Fonds avicole", types=[grant], eligible_sectors=[Sector.objects.get(code="ELEV")],
        amount_min=1_000_000, amount_max=10_000_000,
    )
    FundingOpportunityFactory(name="Petit crédit", types=[grant], amount_min=100_000, amount_max=5_000_000)
    dossier = _agriculture_in_sedhiou(promoter)
    client.force_login(users["advisor"])

    response = client.get(reverse("projects:funding", args=[dossier.pk]))

    text = response.content.decode()
    names = [match.terms.name for match in response.context["matches"]]
    assert names == ["Fonds agricole de Sédhiou", "Fonds avicole", "Petit crédit"]
    assert _verdicts(text) == ["eligible", "not_eligible", "not_eligible"]
    assert text.index("Fonds agricole de Sédhiou") < text.index("Fonds avicole") < text.index("Petit crédit")
    assert "8\u202f000\u202f000\u00a0FCFA dépasse le maximum de 5\u202f000\u202f000\u00a0FCFA." in text
    poultry, small_loan = response.context["matches"][1:]
    assert [criterion.code for criterion in poultry.failed] == ["sector"]
    assert [criterion.code for criterion in small_loan.failed] == ["amount"]
    assert "Élevage" in poultry.criterion("sector").explanation
    assert 'data-testid="shortlist"' in text


def test_the_dossier_page_shows_only_the_best_fitting_programmes_and_links_to_all(client, users, promoter):
    FundingOpportunity.objects.all().delete()
    grant = FundingType.objects.get(code="grant")
    agri = Sector.objects.get(code="AGRI")
    for name in ["Fonds A", "Fonds B", "Fonds C", "Fonds D"]:
        FundingOpportunityFactory(name=name, types=[grant], eligible_sectors=[agri], amount_max=10_000_000)
    FundingOpportunityFactory(name="Fonds avicole", types=[grant], eligible_sectors=[Sector.objects.get(code="ELEV")])
    FundingOpportunityFactory(name="Fonds fermé", types=[grant], status="closed")
    FundingOpportunityFactory(name="Fonds de Kolda", types=[grant], eligible_regions=[Region.objects.get(code="SN07")])
    dossier = _agriculture_in_sedhiou(promoter)
    client.force_login(users["advisor"])

    response = client.get(reverse("projects:detail", args=[dossier.pk]))

    text = response.content.decode()
    best = [match.terms.name for match in response.context["matches"]]
    assert len(best) == 3 and set(best) <= {"Fonds A", "Fonds B", "Fonds C", "Fonds D"}
    assert _verdicts(text) == ["eligible"] * 3
    assert "Fonds avicole" not in text and "Fonds fermé" not in text and "Fonds de Kolda" not in text
    all_url = reverse("projects:funding", args=[dossier.pk])
    assert f'<a href="{all_url}" data-testid="all-matches">Voir les 7 programmes du catalogue' in text
    assert len(client.get(all_url).context["matches"]) == 7


def test_the_dossier_page_says_when_no_open_programme_fits(client, users, promoter):
    FundingOpportunity.objects.all().delete()
    FundingOpportunityFactory(name="Fonds avicole", eligible_sectors=[Sector.objects.get(code="ELEV")])
    dossier = _agriculture_in_sedhiou(promoter)
    client.force_login(users["advisor"])

    text = client.get(reverse("projects:detail", args=[dossier.pk])).content.decode()

    assert _verdicts(text) == []
    assert "Aucun programme ouvert ne correspond encore à ce dossier" in text
    assert "Voir le programme du catalogue" in text


def test_the_promoter_sees_the_matches_of_their_dossier_against_the_real_catalogue(client, users, promoter):
    dossier = _agriculture_in_sedhiou(promoter)
    client.force_login(users["migrant"])

    best = client.get(reverse("projects:detail", args=[dossier.pk])).context["matches"]
    response = client.get(reverse("projects:funding", args=[dossier.pk]))

    matches = response.context["matches"]
    assert len(matches) == FundingOpportunity.objects.count() > 3
    assert [match.terms.name for match in best] == [match.terms.name for match in matches[:3]]
    assert matches[0].verdict != "not_eligible"
    assert "DER/FJ" in response.content.decode()
    der = next(match for match in matches if match.terms.name.startswith("DER/FJ"))
    assert der.criterion("amount").outcome == "fail"


@pytest.mark.parametrize(("url_name", "shown"), [("projects:detail", 3), ("projects:funding", 20)])
def test_the_dossier_pages_keep_their_query_count_whatever_the_catalogue(client, users, promoter, url_name, shown):
    FundingOpportunity.objects.all().delete()
    dossier = _agriculture_in_sedhiou(promoter)
    client.force_login(users["advisor"])

    def make_rows(count):
        FundingOpportunityFactory.create_batch(
            count, types=[FundingType.objects.get(code="loan")],
            eligible_sectors=[Sector.objects.get(code="AGRI")],
            eligible_communes=[Commune.objects.get(code="SN1103_SEDHIOU")], amount_max=10_000_000,
        )

    response = assert_constant_queries(client, reverse(url_name, args=[dossier.pk]), make_rows=make_rows)

    assert len(response.context["matches"]) == shown
