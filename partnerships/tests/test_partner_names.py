"""Partners see a person's name only where the person consented to sharing with partners (issue 15, point 8).

The attack: a partner user opens the pages of their conventions' events and of their organisation
and looks for the names of persons who did not consent, or who withdrew: they never appear,
only a count does.
"""
import datetime

import pytest
from django.urls import reverse

from hom.testing.queries import assert_constant_queries
from migrants.services import migrant_erase
from migrants.tests.factories import MigrantFactory
from partnerships.events.models import EventKind
from partnerships.tests.convention_factories import EventFactory, EventParticipantFactory
from partnerships.tests.event_factories import convention_with_party
from partnerships.tests.factories import IntroductionFactory, OrganisationFactory

HIDDEN = ("Moussa", "Diatta", "Ibrahima", "Coly", "Fatou", "Badji")


@pytest.fixture
def people(office):
    return {
        "consenting": MigrantFactory(office=office, first_name="Awa", last_name="Sané", consent_sharing=True),
        "refusing": MigrantFactory(office=office, first_name="Moussa", last_name="Diatta", consent_sharing=False),
        "withdrawn": MigrantFactory(office=office, first_name="Ibrahima", last_name="Coly", consent_sharing=True,
                                    consent_withdrawn_on=datetime.date(2026, 1, 5)),
        "erased": MigrantFactory(office=office, first_name="Fatou", last_name="Badji", consent_sharing=True),
    }


@pytest.fixture
def event(office, partner_organisation, people, users):
    convention = convention_with_party(office, partner_organisation)
    event = EventFactory(office=office, convention=convention, kind=EventKind.FORUM, title="Forum des investisseurs")
    for person in people.values():
        EventParticipantFactory(event=event, migrant=person)
    EventParticipantFactory(event=event, organisation=OrganisationFactory(name="Association Kawral"))
    migrant_erase(migrant=people["erased"], erased_by=users["admin"])
    return event


def test_a_partner_sees_the_consenting_participants_by_name_and_the_others_as_a_count(client, users, event, people):
    client.force_login(users["partner"])

    page = client.get(reverse("partnerships:event_detail", args=[event.pk])).content.decode()

    assert "Awa Sané" in page and "Association Kawral" in page
    assert "3 autres participants" in page
    for text in HIDDEN:
        assert text not in page, text
    for person in people.values():
        assert person.file_number not in page
        assert reverse("migrants:detail", args=[person.pk]) not in page


def test_the_office_staff_still_see_every_participant(client, users, event):
    client.force_login(users["advisor"])

    page = client.get(reverse("partnerships:event_detail", args=[event.pk])).content.decode()

    assert "Awa Sané" in page and "Moussa Diatta" in page and "Ibrahima Coly" in page


def test_a_partner_sees_the_introductions_of_consenting_persons_and_a_count_of_the_others(
    client, users, partner_organisation, people,
):
    for person in people.values():
        IntroductionFactory(migrant=person, organisation=partner_organisation, purpose=f"Rencontre de {person.first_name}")
    migrant_erase(migrant=people["erased"], erased_by=users["admin"])
    client.force_login(users["partner"])

    page = client.get(reverse("partnerships:detail", args=[partner_organisation.pk])).content.decode()

    assert "Awa Sané" in page and "Rencontre de Awa" in page
    assert "3 autres personnes présentées" in page
    for text in HIDDEN:
        assert text not in page, text


def test_the_partners_event_page_costs_the_same_at_2_and_20_participants(client, users, office, partner_organisation):
    convention = convention_with_party(office, partner_organisation)
    event = EventFactory(office=office, convention=convention, kind=EventKind.FORUM)
    client.force_login(users["partner"])

    def participants(count):
        for index in range(count):
            EventParticipantFactory(event=event, migrant=MigrantFactory(office=office, consent_sharing=index % 2 == 0))

    response = assert_constant_queries(client, reverse("partnerships:event_detail", args=[event.pk]), make_rows=participants)

    assert "10 autres participants" in response.content.decode()
