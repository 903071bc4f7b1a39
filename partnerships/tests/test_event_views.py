import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.testing.access import LOGIN, ROLES, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from partnerships.events.models import Event, EventKind, EventParticipant
from partnerships.events.selectors import trainings_open
from partnerships.tests.convention_factories import EventFactory, EventParticipantFactory
from partnerships.tests.event_factories import person_of
from partnerships.tests.factories import OrganisationFactory

NOBODY_BUT_MIGRANTS = {
    "anonymous": LOGIN, "superuser": 403, "admin": 403, "advisor": 403, "other_office_advisor": 403,
    "migrant": 200, "other_migrant": 200, "authority": 403, "partner": 403,
}


@pytest.fixture
def forum(office):
    return EventFactory(
        office=office, kind=EventKind.FORUM, title="Forum de la diaspora à Terrassa", place="Terrassa", country="ES",
        starts_on=datetime.date(2025, 6, 14),
    )


@pytest.fixture
def training(office):
    return EventFactory(
        office=office, kind=EventKind.TRAINING, title="Formation en gestion de projet", place="Sédhiou",
        starts_on=timezone.localdate() + timedelta(days=15), registration_open=True, capacity=20,
    )


def test_access_to_the_events(client, users):
    assert_access_matrix(client, reverse("partnerships:event_list"), staff_only(), users)


def test_access_to_the_new_event_form(client, users):
    # A national admin belongs to no office: sent back to the list with a message.
    assert_access_matrix(client, reverse("partnerships:event_create"), staff_only(superuser=302), users)


def test_access_to_a_forum(client, users, forum):
    expected = {**staff_only(other_office_advisor=404), "migrant": 404, "other_migrant": 404, "partner": 404}
    assert_access_matrix(client, reverse("partnerships:event_detail", args=[forum.pk]), expected, users)


def test_a_partner_sees_the_events_their_organisation_organises(client, users, forum, partner_organisation):
    forum.organisers.add(partner_organisation)
    expected = {**staff_only(other_office_advisor=404), "migrant": 404, "other_migrant": 404, "partner": 200}
    assert_access_matrix(client, reverse("partnerships:event_detail", args=[forum.pk]), expected, users)


def test_every_migrant_sees_a_training_open_for_registration(client, users, training):
    expected = {**staff_only(other_office_advisor=404), "migrant": 200, "other_migrant": 200, "partner": 404}
    assert_access_matrix(client, reverse("partnerships:event_detail", args=[training.pk]), expected, users)


def test_access_to_the_event_edit_form(client, users, forum):
    url = reverse("partnerships:event_edit", args=[forum.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_adding_a_participant(client, users, forum):
    # An empty form: the page comes back with its error for the office's staff.
    url = reverse("partnerships:participant_add", args=[forum.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users, method="post")


def test_access_to_the_attendance(client, users, forum):
    participant = EventParticipantFactory(event=forum, organisation=OrganisationFactory())
    url = reverse("partnerships:participant_attendance", args=[participant.pk])
    expected = staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404)
    assert_access_matrix(client, url, expected, users, method="post", data={"attended": "yes"})


def test_access_to_removing_a_participant(client, users, forum):
    # Each removal deletes its row, so each role gets a participant of its own; same expectations as a matrix.
    expected = staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404)
    for role in ROLES:
        participant = EventParticipantFactory(event=forum, organisation=OrganisationFactory())
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])

        response = client.post(reverse("partnerships:participant_remove", args=[participant.pk]))

        to_login = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert (LOGIN if to_login else response.status_code) == expected[role], role
        assert EventParticipant.objects.filter(pk=participant.pk).exists() == (expected[role] != 302), role


def test_access_to_the_trainings(client, users):
    assert_access_matrix(client, reverse("partnerships:training_list"), NOBODY_BUT_MIGRANTS, users)


def test_access_to_registering(client, users, office, training):
    person_of(users["migrant"], office)
    # The person without a record is told to ask the office (redirect with a message).
    expected = {**NOBODY_BUT_MIGRANTS, "migrant": 302, "other_migrant": 302}
    assert_access_matrix(client, reverse("partnerships:event_register", args=[training.pk]), expected, users,
                         method="post")


def test_access_to_withdrawing(client, users, office, training):
    person = person_of(users["migrant"], office)
    EventParticipantFactory(event=training, migrant=person)
    expected = {**NOBODY_BUT_MIGRANTS, "migrant": 302, "other_migrant": 404}
    assert_access_matrix(client, reverse("partnerships:event_withdraw", args=[training.pk]), expected, users,
                         method="post")


def test_staff_record_an_event(client, users, partner_organisation):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:event_create"), {
        "kind": "forum", "title": "Forum de la diaspora à Porto Alegre", "starts_on": "2025-09-20",
        "ends_on": "2025-09-21", "place": "Porto Alegre", "country": "BR", "organisers": [partner_organisation.pk],
        "description": "Rencontre des Sénégalais du Rio Grande do Sul.",
    })

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.office == users["advisor"].office and event.created_by == users["advisor"]
    assert list(event.organisers.all()) == [partner_organisation]


def test_the_event_form_keeps_what_was_typed_on_errors(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:event_create"), {
        "kind": "forum", "title": "Forum de Paris", "starts_on": "2025-09-20", "ends_on": "2025-09-01",
        "place": "Paris", "country": "FR", "registration_open": "on",
    })

    text = response.content.decode()
    assert response.status_code == 200
    assert "Forum de Paris" in text and "is-invalid" in text
    assert not Event.objects.exists()


def test_staff_edit_an_event_and_record_its_outcomes(client, users, forum):
    client.force_login(users["admin"])

    response = client.post(reverse("partnerships:event_edit", args=[forum.pk]), {
        "kind": "forum", "title": forum.title, "starts_on": "2025-06-14", "place": "Terrassa", "country": "ES",
        "outcomes": "Douze porteurs de projets rencontrés.",
    })

    forum.refresh_from_db()
    assert response.status_code == 302
    assert forum.outcomes == "Douze porteurs de projets rencontrés."


def test_the_event_list_filters_by_kind_and_year(client, users, office, forum, training):
    EventFactory(office=office, kind=EventKind.MISSION, title="Mission à Treviso", starts_on=datetime.date(2024, 3, 1))
    client.force_login(users["advisor"])

    forums = client.get(reverse("partnerships:event_list"), {"kind": "forum"}).content.decode()
    of_2024 = client.get(reverse("partnerships:event_list"), {"year": "2024"}).content.decode()
    everything = client.get(reverse("partnerships:event_list")).content.decode()

    assert "Terrassa" in forums and "Formation en gestion" not in forums
    assert "Mission à Treviso" in of_2024 and "Terrassa" not in of_2024
    # Newest first.
    assert everything.index("Formation en gestion") < everything.index("Terrassa") < everything.index("Treviso")


def test_the_event_list_keeps_its_query_count(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for number in range(count):
            event = EventFactory(office=office, title=f"Rencontre {number}", commune=None)
            EventParticipantFactory(event=event, migrant=MigrantFactory(office=office))
            EventParticipantFactory(event=event, organisation=OrganisationFactory())

    response = assert_constant_queries(client, reverse("partnerships:event_list"), make_rows=make_rows)
    assert response.content.decode().count("Rencontre ") == 20


def test_staff_add_a_person_by_name_and_an_organisation_then_mark_attendance(client, users, office, forum):
    person = MigrantFactory(office=office, first_name="Awa", last_name="Badji")
    grdr = OrganisationFactory(name="Grdr")
    client.force_login(users["advisor"])
    url = reverse("partnerships:participant_add", args=[forum.pk])

    client.post(url, {"person": "awa badji"})
    client.post(url, {"organisation": grdr.pk})
    participant = forum.participants.get(migrant=person)
    swapped = client.post(reverse("partnerships:participant_attendance", args=[participant.pk]), {"attended": "yes"},
                          headers={"HX-Request": "true"})

    participant.refresh_from_db()
    assert participant.attended is True and participant.registered_by == users["advisor"]
    assert f'id="participant-{participant.pk}"' in swapped.content.decode()
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "Awa Badji" in page and "Grdr" in page


def test_a_person_of_another_office_cannot_be_added(client, users, other_office, forum):
    MigrantFactory(office=other_office, first_name="Ibou", last_name="Sané")
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:participant_add", args=[forum.pk]), {"person": "Ibou Sané"})

    assert response.status_code == 200 and "Ibou Sané" in response.content.decode()
    assert not forum.participants.exists()


def test_a_migrant_registers_for_an_open_training_and_withdraws(client, users, office, training):
    person = person_of(users["migrant"], office)
    client.force_login(users["migrant"])

    listed = client.get(reverse("partnerships:training_list")).content.decode()
    client.post(reverse("partnerships:event_register", args=[training.pk]))
    registered_page = client.get(training.get_absolute_url()).content.decode()
    client.post(reverse("partnerships:event_withdraw", args=[training.pk]))

    assert "Formation en gestion de projet" in listed
    assert reverse("partnerships:event_withdraw", args=[training.pk]) in registered_page
    assert not training.participants.filter(migrant=person).exists()
    assert EventParticipant.history.filter(migrant_id=person.pk).count() == 2


def test_a_migrant_sees_no_other_participant(client, users, office, training):
    person_of(users["migrant"], office)
    fatou = MigrantFactory(office=office, first_name="Fatou", last_name="Cissé")
    EventParticipantFactory(event=training, migrant=fatou)
    client.force_login(users["migrant"])

    page = client.get(training.get_absolute_url()).content.decode()

    assert "Cissé" not in page


def test_a_closed_training_refuses_registration(client, users, office, training):
    training.registration_open = False
    training.save()
    person = person_of(users["migrant"], office)
    client.force_login(users["migrant"])

    response = client.post(reverse("partnerships:event_register", args=[training.pk]))

    assert response.status_code == 404
    assert not training.participants.filter(migrant=person).exists()


def test_a_full_training_says_so(client, users, office, training):
    training.capacity = 1
    training.save()
    EventParticipantFactory(event=training, migrant=MigrantFactory(office=office))
    person_of(users["migrant"], office)
    client.force_login(users["migrant"])

    response = client.post(reverse("partnerships:event_register", args=[training.pk]), follow=True)

    full = "Cet événement est complet\u00a0: 1 place sur 1 est prise."
    assert [str(message) for message in response.context["messages"]] == [full]
    assert full in response.content.decode()
    assert training.participants.count() == 1


def test_the_persons_page_lists_their_events(client, users, office, forum, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(
        apps.get_app_config("partnerships"), "migrant_page_sections", ("partnerships/events/_migrant_events.html",)
    )
    person = MigrantFactory(office=office)
    EventParticipantFactory(event=forum, migrant=person, attended=True)
    client.force_login(users["advisor"])

    text = client.get(person.get_absolute_url()).content.decode()

    assert 'data-testid="migrant-events"' in text and "Forum de la diaspora à Terrassa" in text


def test_the_trainings_count_every_registered_person_and_mark_the_migrants_own(users, office, training):
    person = person_of(users["migrant"], office)
    EventParticipantFactory(event=training, migrant=person)
    EventParticipantFactory(event=training, migrant=MigrantFactory(office=office))
    EventParticipantFactory(event=training, migrant=MigrantFactory(office=office))
    EventParticipantFactory(event=training, organisation=OrganisationFactory())

    listed = trainings_open(users["migrant"], migrant=person).get()

    assert listed.registered_count == 3
    assert listed.is_registered is True


def test_the_trainings_open_to_a_migrant_keep_their_query_count(client, users, office):
    person_of(users["migrant"], office)
    client.force_login(users["migrant"])

    def make_rows(count):
        for number in range(count):
            training = EventFactory(
                office=office, kind=EventKind.TRAINING, title=f"Atelier {number}", registration_open=True,
                starts_on=timezone.localdate() + timedelta(days=10 + number), capacity=30,
            )
            EventParticipantFactory(event=training, migrant=MigrantFactory(office=office))

    response = assert_constant_queries(client, reverse("partnerships:training_list"), make_rows=make_rows)
    assert response.content.decode().count("Atelier ") == 20


def test_an_event_page_keeps_its_query_count_whatever_the_number_of_participants(client, users, office, forum):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            EventParticipantFactory(event=forum, migrant=MigrantFactory(office=office))
            EventParticipantFactory(event=forum, organisation=OrganisationFactory())

    response = assert_constant_queries(client, forum.get_absolute_url(), make_rows=make_rows)
    assert len(re.findall(r'id="participant-\d+"', response.content.decode())) == 40
