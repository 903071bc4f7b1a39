"""The impact of funded dossiers (issue 24, part 1): exact for the office's staff, perturbed on the
public commune profile and in the authority's report, amounts hidden under five dossiers."""
import datetime
import re

from django.urls import reverse

from hom.reports.privacy import HIDDEN_MARK
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.selectors.outcomes import results_impact
from hom.reports.tables import HIDDEN_AMOUNT
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from projects.models import ProjectDossier
from projects.tests.results_factories import FundedDossierFactory, ResultCheckFactory

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
OFFICE = Territory(TerritoryKind.OFFICE, "SED", "Bureau de Sédhiou")
YEAR = Period(first=datetime.date(2026, 1, 1), last=datetime.date(2026, 12, 1))
PROFILE = reverse("communes:profile", args=["SN1103_SEDHIOU"])
ROWS = {
    "checked": 0, "operating": 1, "jobs": 2, "women": 3, "youth": 4, "disbursed": 5, "repaid": 6, "rate": 7,
}


def funded_dossiers(commune, office, count, *, state="operating", disbursed=2_000_000, repaid=500_000):
    """``count`` funded dossiers of the commune, each with a 6-month and a 12-month check recorded."""
    for _index in range(count):
        dossier = FundedDossierFactory(promoter=MigrantFactory(office=office, commune_of_origin=commune), commune=commune)
        ResultCheckFactory(dossier=dossier, months=6, recorded=True, state="paused", jobs_created=1, jobs_women=1,
                           jobs_youth=0, amount_disbursed=1_000_000, amount_repaid=0)
        ResultCheckFactory(dossier=dossier, months=12, recorded=True, state=state,
                           amount_disbursed=disbursed, amount_repaid=repaid)
        ResultCheckFactory(dossier=dossier, months=24)  # not recorded yet: counts nowhere


def test_the_figures_read_the_12_month_checks_and_each_dossiers_latest_check(db, office, sedhiou):
    funded_dossiers(sedhiou, office, 4)
    funded_dossiers(sedhiou, office, 2, state="closed")

    table = results_impact(ProjectDossier.objects.all())

    # Six checked at 12 months, four operating; the latest checks (the 12-month ones) give
    # 4 jobs each (2 for women, 3 for young people) and 2,000,000 disbursed, 500,000 repaid.
    assert table.body == [
        [6, None], [4, None], [24, None], [12, None], [18, None],
        [6, 12_000_000], [6, 3_000_000], [25, None],
    ]


def test_the_office_staff_read_exact_figures_in_their_report(client, users, office, sedhiou):
    funded_dossiers(sedhiou, office, 6)
    client.force_login(users["advisor"])

    response = client.get(reverse("reports:report", args=["office", "SED"]), {"start": "2026-01", "end": "2026-12"})

    impact = next(table for section in response.context["sections"] for table in section.tables if table.key == "impact")
    assert not impact.perturbed
    rows = [values for _label, values in impact.rows]
    assert rows[ROWS["checked"]][0] == 6
    assert rows[ROWS["disbursed"]] == [6, 12_000_000]
    assert rows[ROWS["rate"]][0] == 25


def test_the_public_profile_and_the_authority_read_the_same_perturbed_cells(client, users, office, sedhiou):
    funded_dossiers(sedhiou, office, 7)

    profile = results_impact(ProjectDossier.objects.filter(commune=sedhiou))
    profile.perturbed = True
    report = results_impact(report_scope(users["authority"], SEDHIOU, YEAR).dossiers)
    report.perturbed = True
    html = client.get(PROFILE).content.decode()

    assert 'data-table="impact"' in html
    assert profile.rows == report.rows
    # Amounts are rounded to 100,000; the perturbed counts stay within two of the exact ones.
    values = [values for _label, values in profile.rows]
    disbursed = values[ROWS["disbursed"]][1]
    assert disbursed % 100_000 == 0 and abs(disbursed - 14_000_000) <= 100_000
    for row, exact in ((ROWS["checked"], 7), (ROWS["jobs"], 28), (ROWS["rate"], 25)):
        assert abs(values[row][0] - exact) <= 2


def test_amounts_and_the_rate_over_fewer_than_five_dossiers_are_hidden(client, db, office, sedhiou):
    funded_dossiers(sedhiou, office, 3)

    table = results_impact(ProjectDossier.objects.filter(commune=sedhiou))
    table.perturbed = True
    html = re.search(r'data-table="impact".*?</table>', client.get(PROFILE).content.decode(), re.S).group(0)

    rows = [values for _label, values in table.rows]
    assert str(rows[ROWS["disbursed"]][1]) == str(rows[ROWS["repaid"]][1]) == str(HIDDEN_AMOUNT)
    assert rows[ROWS["rate"]][0] is None
    assert str(rows[ROWS["checked"]][0]) in {HIDDEN_MARK, "0", "5"}
    assert "6\u202f000\u202f000" not in html and "1\u202f500\u202f000" not in html


def test_the_impact_costs_two_queries_at_2_and_20_dossiers(db, office, sedhiou, django_assert_num_queries):
    funded_dossiers(sedhiou, office, 2)
    with django_assert_num_queries(2):
        results_impact(ProjectDossier.objects.all())
    funded_dossiers(sedhiou, office, 18)
    with django_assert_num_queries(2):
        table = results_impact(ProjectDossier.objects.all())

    assert table.body[ROWS["checked"]][0] == 20


def test_the_profile_keeps_a_constant_query_count_with_funded_dossiers(client, users, office, sedhiou):
    client.force_login(users["advisor"])

    response = assert_constant_queries(client, PROFILE, make_rows=lambda count: funded_dossiers(sedhiou, office, count))

    assert 'data-table="impact"' in response.content.decode()
