"""The office dashboard costs at most ten queries, as many at 2 as at 20 rows of what its cards
count and list (issue 18; docs/architecture.md, "Query budget"): visits this month, follow-ups
due, dossiers waiting for review and by status, funding deadlines coming."""
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hom.testing.queries import assert_constant_queries, count_queries
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory
from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory

QUERY_BUDGET = 10


def _rows_of(office, advisor):
    today = timezone.localdate()

    def make_rows(count):
        for _ in range(count):
            person = MigrantFactory(office=office)
            VisitFactory(migrant=person, advisor=advisor, follow_up_on=today - timedelta(days=1), follow_up_advisor=advisor)
            waiting = DossierFactory(
                promoter=person, advisor=advisor, status=DossierStatus.SUBMITTED,
                submitted_at=timezone.now() - timedelta(days=30),
            )
            FundingApplicationFactory(
                dossier=waiting, opportunity=FundingOpportunityFactory(deadline=today + timedelta(days=5))
            )

    return make_rows


def test_the_advisors_dashboard_stays_within_ten_queries_at_2_and_20_rows(client, users, office):
    client.force_login(users["advisor"])
    url = reverse("home")

    response = assert_constant_queries(client, url, make_rows=_rows_of(office, users["advisor"]))
    queries, _response = count_queries(client, url)

    assert queries <= QUERY_BUDGET, f"the dashboard: {queries} queries (budget {QUERY_BUDGET})"
    text = response.content.decode()
    assert "Tableau de bord — Bureau de Sédhiou" in text
    assert "SED — Bureau de Sédhiou (Sédhiou)" in text
    card = text[text.index('data-testid="office-indicators"'):]
    figures = re.findall(r'<dd class="col-4 text-end">(\d+)</dd>', card)
    assert figures == ["20", "0", "20"]  # visits this month, last month, overdue follow-ups
    assert [count for _label, count in response.context["statuses"]] == [20]
    # The Today card: 20 follow-ups, 20 dossiers waiting, 20 funding deadlines; the first 8 shown.
    assert response.context["total"] == 60
    assert text.count('data-testid="due-item"') == 8


