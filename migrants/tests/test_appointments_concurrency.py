"""Two persons tap the last free slot at the same moment: one booking, one clear refusal (issue 24, part 4)."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.territories.models import Region
from migrants.appointments import services
from migrants.models import Booking

from .factories import MigrantFactory, SlotFactory


@pytest.mark.postgresql(reason="row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
def test_two_concurrent_bookings_of_the_last_free_slot_give_one_booking_and_one_refusal(
    transactional_db, django_db_serialized_rollback, reference_data
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    slot = SlotFactory(advisor=UserFactory(role=Role.ADVISOR, office=office))
    persons = [MigrantFactory(office=office) for _number in range(2)]
    start = threading.Barrier(len(persons))
    booked, refusals, failures = [], [], []

    def book(person):
        try:
            with translation.override("fr"):
                start.wait()
                services.booking_make(slot=slot, migrant=person, booked_by=None)
            booked.append(person.pk)
        except ValidationError as error:
            with translation.override("fr"):
                refusals.append(" ".join(error.messages))
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(booked) == 1
    assert refusals == ["Ce créneau vient d’être pris par quelqu’un d’autre\u00a0: choisissez-en un autre."]
    assert list(Booking.objects.filter(slot=slot).values_list("migrant_id", flat=True)) == booked
