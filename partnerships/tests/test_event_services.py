import datetime
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from hom.accounts.tests.factories import OfficeFactory
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory
from partnerships.events import services
from partnerships.events.models import EventKind, EventParticipant
from partnerships.tests.convention_factories import ConventionFactory, EventFactory
from partnerships.tests.factories import OrganisationFactory


def _open_training(office, **fields):
    return EventFactory(
        office=office, kind=EventKind.TRAINING, registration_open=True,
        starts_on=timezone.localdate() + timedelta(days=20), **fields,
    )


def test_an_event_is_created_with_its_organisers_and_kept_in_history(office, users):
    grdr = OrganisationFactory(name="Grdr")

    event = services.event_create(
        office=office, created_by=users["advisor"], kind=EventKind.FORUM, title="Forum de la diaspora",
        starts_on=datetime.date(2025, 5, 10), place="Terrassa", country="ES", organisers=[grdr],
    )
    services.event_update(event=event, outcomes="Trois projets présentés aux élus.")

    event.refresh_from_db()
    assert list(event.organisers.all()) == [grdr]
    assert event.outcomes == "Trois projets présentés aux élus."
    assert event.history.count() == 2


def test_only_trainings_take_registrations(office, users):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            office=office, created_by=users["advisor"], kind=EventKind.FORUM, title="Forum",
            starts_on=datetime.date(2025, 5, 10), place="Paris", country="FR", registration_open=True,
        )

    assert "registration_open" in error.value.message_dict


def test_the_convention_of_an_event_is_the_offices(office, other_office, users):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            office=office, created_by=users["advisor"], kind=EventKind.FORUM, title="Forum",
            starts_on=datetime.date(2025, 5, 10), place="Paris", country="FR",
            convention=ConventionFactory(office=other_office),
        )

    assert "convention" in error.value.message_dict


def test_a_person_registers_once(office, users):
    training = _open_training(office)
    person = MigrantFactory(office=office, user=users["migrant"])
    services.event_register(event=training, migrant=person, registered_by=users["migrant"])

    with pytest.raises(ValidationError):
        services.event_register(event=training, migrant=person, registered_by=users["migrant"])

    assert training.participants.count() == 1


def test_registration_respects_the_places(office, users):
    training = _open_training(office, capacity=1)
    services.event_register(event=training, migrant=MigrantFactory(office=office), registered_by=users["advisor"])

    with pytest.raises(ValidationError) as error:
        services.event_register(event=training, migrant=MigrantFactory(office=office), registered_by=users["advisor"])

    assert error.value.messages == ["Cet événement est complet\u00a0: 1 place sur 1 est prise."]
    assert training.participants.count() == 1


def test_staff_cannot_exceed_the_places_either(office, users):
    training = _open_training(office, capacity=1)
    services.event_participant_add(
        event=training, registered_by=users["advisor"], migrant=MigrantFactory(office=office)
    )

    with pytest.raises(ValidationError):
        services.event_participant_add(
            event=training, registered_by=users["advisor"], migrant=MigrantFactory(office=office)
        )

    # Organisations take no person's place.
    services.event_participant_add(event=training, registered_by=users["advisor"], organisation=OrganisationFactory())
    assert training.participants.count() == 2


def test_the_places_cannot_drop_below_the_registered(office, users):
    training = _open_training(office, capacity=3)
    for _number in range(2):
        services.event_participant_add(
            event=training, registered_by=users["advisor"], migrant=MigrantFactory(office=office)
        )

    with pytest.raises(ValidationError) as error:
        services.event_update(event=training, capacity=1)

    assert "capacity" in error.value.message_dict


def test_staff_add_only_persons_of_the_offices_registry(office, other_office, users):
    training = _open_training(office)

    with pytest.raises(ValidationError) as error:
        services.event_participant_add(
            event=training, registered_by=users["advisor"], migrant=MigrantFactory(office=other_office)
        )

    assert "migrant" in error.value.message_dict


def test_a_closed_training_refuses_registration(office, users):
    training = _open_training(office)
    training.registration_open = False
    training.save()

    with pytest.raises(ValidationError):
        services.event_register(event=training, migrant=MigrantFactory(office=office), registered_by=users["migrant"])

    assert not training.participants.exists()


def test_a_person_withdraws_before_the_training_and_history_remembers(office, users):
    training = _open_training(office)
    person = MigrantFactory(office=office)
    participant = services.event_register(event=training, migrant=person, registered_by=users["migrant"])

    services.event_withdraw(event=training, migrant=person)

    assert not training.participants.exists()
    assert EventParticipant.history.filter(id=participant.pk).count() == 2


def test_no_withdrawal_once_the_training_has_started(office, users):
    training = _open_training(office)
    person = MigrantFactory(office=office)
    services.event_register(event=training, migrant=person, registered_by=users["migrant"])
    training.starts_on = timezone.localdate()
    training.save()

    with pytest.raises(ValidationError):
        services.event_withdraw(event=training, migrant=person)

    assert training.participants.count() == 1


def test_attendance_is_recorded(office, users):
    participant = services.event_participant_add(
        event=_open_training(office), registered_by=users["advisor"], migrant=MigrantFactory(office=office)
    )

    services.participant_attendance(participant=participant, attended=True)

    participant.refresh_from_db()
    assert participant.attended is True


@pytest.mark.postgresql(reason="row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
def test_concurrent_registrations_cannot_take_the_last_place_twice(
    transactional_db, django_db_serialized_rollback, reference_data
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    training = _open_training(office, capacity=1)
    persons = [MigrantFactory(office=office) for _number in range(4)]
    start = threading.Barrier(len(persons))
    registered, refused, failures = [], [], []

    def register(person):
        try:
            start.wait()
            services.event_register(event=training, migrant=person, registered_by=None)
            registered.append(person.pk)
        except ValidationError:
            refused.append(person.pk)
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert (len(registered), len(refused)) == (1, 3)
    assert training.participants.count() == 1
