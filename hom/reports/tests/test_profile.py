"""The commune profile's extras: associations, active conventions, funds mobilised, projects looking for partners."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.reports.tests.builders import outcomes_of, small_cells_of
from hom.testing.access import assert_access_matrix
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from partnerships.models import OrganisationKind
from partnerships.tests.convention_factories import ConventionFactory, ConventionPartyFactory
from partnerships.tests.factories import OrganisationFactory
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

URL = reverse("communes:profile", args=["SN1103_SEDHIOU"])
SMALL = {"1", "2", "3", "4"}


def figures(html):
    return [cell.strip() for cell in re.findall(r"<td[^>]*data-cell[^>]*>(.*?)</td>", html, flags=re.S)]


def project(commune, *, title, status=DossierStatus.READY, consent=True, withdrawn=None, budget=2_000_000, financed=500_000):
    promoter = MigrantFactory(commune_of_origin=commune, consent_sharing=consent, consent_withdrawn_on=withdrawn,
                              last_name="Nompromoteur")
    submitted = None if status == DossierStatus.DRAFT else timezone.now()
    dossier = DossierFactory(promoter=promoter, commune=commune, title=title, status=status, submitted_at=submitted)
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=budget)
    FinancingLineFactory(dossier=dossier, amount=financed)
    return dossier


@pytest.fixture
def sedhiou_outcomes(users, office, sedhiou, needs, sectors):
    persons = small_cells_of(sedhiou, office, needs, sectors)
    convention = outcomes_of(sedhiou, office, persons)
    return persons, convention


def test_the_public_sees_published_associations_active_conventions_and_hidden_small_funds(client, db, sedhiou_outcomes):
    persons, convention = sedhiou_outcomes

    html = client.get(URL).content.decode()

    assert "Association des ressortissants de Sédhiou en France" in html
    assert "ONG Appui Casamance" not in html  # not published
    assert "Convention Sédhiou–diaspora" in html
    funds = re.search(r'data-table="funds".*?</table>', html, re.S).group(0)
    assert not SMALL & set(figures(funds))
    assert "2\u202f000\u202f000" not in funds  # one convention's budget: hidden with its count
    text = re.sub(r"<[^>]+>", " ", html)
    assert not [
        name for person in persons for name in (person.last_name, person.first_name)
        if re.search(rf"\b{re.escape(name)}\b", text)
    ]


def test_staff_and_the_communes_authority_also_see_unpublished_associations(client, users, sedhiou_outcomes):
    for role in ("advisor", "authority"):
        client.force_login(users[role])
        assert "ONG Appui Casamance" in client.get(URL).content.decode(), role
    client.force_login(users["migrant"])
    assert "ONG Appui Casamance" not in client.get(URL).content.decode()


def test_an_association_serving_the_whole_department_is_listed(client, db, sedhiou, kolda_commune):
    OrganisationFactory(name="Fédération du département", kind=OrganisationKind.FEDERATION, is_published=True,
                        departments_served=[sedhiou.department])
    OrganisationFactory(name="Association de Dabo", is_published=True, communes_served=[kolda_commune])

    html = client.get(URL).content.decode()

    assert "Fédération du département" in html
    assert "Association de Dabo" not in html


def test_funds_mobilised_show_amounts_over_five_applications_rounded(client, db, sedhiou):
    from projects.funding.models import ApplicationStatus
    from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory

    programme = FundingOpportunityFactory()
    for _ in range(8):
        dossier = DossierFactory(promoter=MigrantFactory(commune_of_origin=sedhiou), commune=sedhiou)
        FundingApplicationFactory(
            dossier=dossier, opportunity=programme, status=ApplicationStatus.ACCEPTED, submitted_on="2026-05-01",
            amount_granted=1_234_567, decided_on="2026-06-01",
        )

    funds = re.search(r'data-table="funds".*?</table>', client.get(URL).content.decode(), re.S).group(0)

    # Eight grants (the count, perturbed, stays above four): their sum, 9,876,536, rounded.
    assert "9\u202f900\u202f000" in figures(funds)
    assert "9\u202f876\u202f536" not in funds


def test_projects_looking_for_partners_show_no_promoter_and_only_consenting_advanced_unfinanced_ones(client, db, sedhiou):
    shown = project(sedhiou, title="Unité de transformation de mangues")
    project(sedhiou, title="Projet sans consentement", consent=False)
    project(sedhiou, title="Projet au consentement retiré", withdrawn="2026-01-01")
    project(sedhiou, title="Projet en brouillon", status=DossierStatus.DRAFT)
    project(sedhiou, title="Projet déjà financé", budget=500_000, financed=500_000)

    html = client.get(URL).content.decode()
    section = re.search(r'data-testid="profile-projects".*?</section>', html, re.S).group(0)

    assert "Unité de transformation de mangues" in section
    assert "1\u202f500\u202f000" in section  # 2,000,000 budget, 500,000 financed
    hidden = ["Projet sans consentement", "Projet au consentement retiré", "Projet en brouillon", "Projet déjà financé"]
    assert [title for title in hidden if title in section] == []
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(rf"\b{re.escape(shown.promoter.last_name)}\b", text)
    assert shown.reference not in html


def test_the_profile_keeps_a_constant_query_count(client, users, office, sedhiou):
    client.force_login(users["advisor"])

    def make_rows(count):
        for number in range(count):
            project(sedhiou, title=f"Projet ouvert {number}")
            OrganisationFactory(communes_served=[sedhiou], is_published=True)
            convention = ConventionFactory(office=office)
            convention.communes.set([sedhiou])
            ConventionPartyFactory(convention=convention)

    response = assert_constant_queries(client, URL, make_rows=make_rows)

    assert response.content.decode().count("Projet ouvert") == 20


def test_the_profile_stays_public(client, users, sedhiou_outcomes):
    assert_access_matrix(client, URL, {"anonymous": 200, **{role: 200 for role in users}}, users)


def _diaspora_section(html):
    match = re.search(r'data-testid="diaspora-estimates".*?</section>', html, flags=re.S)
    return match.group(0) if match else ""


def test_the_profile_shows_the_diaspora_estimates_of_countries_its_table_shows_and_no_hidden_one(client, db, sedhiou):
    MigrantFactory.create_batch(12, commune_of_origin=sedhiou, country_of_residence="FR")
    MigrantFactory(commune_of_origin=sedhiou, country_of_residence="IT")  # one person: a hidden cell

    section = _diaspora_section(client.get(URL).content.decode())

    assert "France" in section and "116" in section  # UN DESA 2013: 116 000
    assert "dialoguemigration.com" in section  # its source, linked
    # Italy's cell is hidden ("<5"): naming Italy here would tell that someone of Sédhiou lives there.
    assert "Italie" not in section and "110" not in section


def test_a_profile_with_nobody_abroad_has_no_diaspora_section(client, db, sedhiou):
    assert _diaspora_section(client.get(URL).content.decode()) == ""
