"""A partner's home page: their conventions and what their organisation owes, live."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.testing.queries import assert_constant_queries

from .convention_factories import ConventionFactory, ConventionPartyFactory, ReportItemFactory
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _card(html: str) -> str:
    start = html.index('data-testid="partner-conventions"')
    return html[start:html.index("</div></div>", start)]


@pytest.fixture
def grdr(users):
    return OrganisationFactory(name="Grdr", acronym="Grdr", partner_users=[users["partner"]])


def test_a_partner_sees_their_convention_and_their_late_report_on_their_home_page(client, users, office, grdr):
    party = ConventionPartyFactory(convention=ConventionFactory(office=office, title="Convention HOM Sédhiou"),
                                   organisation=grdr)
    today = timezone.localdate()
    ReportItemFactory(obligation__party=party, obligation__convention=party.convention,
                      due_on=today - datetime.timedelta(days=10))
    ReportItemFactory(obligation__party=party, obligation__convention=party.convention,
                      due_on=today + datetime.timedelta(days=20))
    ConventionFactory(office=office, title="Convention sans le Grdr")
    client.force_login(users["partner"])

    card = _card(client.get(reverse("home")).content.decode())

    assert "Convention HOM Sédhiou" in card and "Convention sans le Grdr" not in card
    assert "1 rapport en retard" in card
    assert (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y") in card


def test_a_partner_without_a_convention_is_told_so(client, users):
    client.force_login(users["partner"])

    assert "Aucune convention pour l’instant." in _card(client.get(reverse("home")).content.decode()).replace("'", "’")


def test_the_partner_home_page_keeps_its_query_count_whatever_the_number_of_conventions(client, users, office, grdr):
    client.force_login(users["partner"])

    def make(count):
        for _ in range(count):
            party = ConventionPartyFactory(convention=ConventionFactory(office=office), organisation=grdr)
            ReportItemFactory(obligation__party=party, obligation__convention=party.convention,
                              due_on=timezone.localdate() - datetime.timedelta(days=3))

    assert_constant_queries(client, reverse("home"), make_rows=make)
