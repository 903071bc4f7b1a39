"""Appointments (issue 24, part 4): slots, bookings, cancellations, the advisor's day, visits, notices, access."""
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hom.notifications.models import Notification
from hom.testing.access import LOGIN, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.appointments import services
from migrants.models import Booking, BookingState, Slot, Visit, VisitChannel
from migrants.selectors import migrant_personal_data
from migrants.services import migrant_erase
from migrants.tasks import appointment_reminders_send
from migrants.transfers.services import transfer_make

from .factories import BookingFactory, MigrantFactory, SlotFactory

pytestmark = pytest.mark.django_db


def _at(days=1, hour=10, minute=0):
    return timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(days=days)


def _ago(hours):
    return timezone.now().replace(second=0, microsecond=0) - timedelta(hours=hours)


@pytest.fixture
def person(office, users):
    return MigrantFactory(office=office, user=users["migrant"], first_name="Ousmane", last_name="Sagna")


@pytest.fixture
def other_person(office, users):
    return MigrantFactory(office=office, user=users["other_migrant"], first_name="Fatou", last_name="Diatta")


@pytest.fixture
def slot(users):
    return SlotFactory(advisor=users["advisor"], starts_at=_at(1, 9, 30))


def _book(client, slot):
    return client.post(reverse("appointments:book"), {"slot": slot.pk})


# --- Publishing slots ---------------------------------------------------------------------------------


def test_an_advisor_publishes_a_slot_and_sees_it_on_that_day(client, users):
    client.force_login(users["advisor"])
    start = _at(2, 15)
    response = client.post(reverse("appointments:slot_create"), {
        "kind": "place", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45,
        "place": "Maison des jeunes de Marsassoum"})

    assert response.status_code == 302
    slot = Slot.objects.get()
    assert (slot.advisor, slot.office, slot.kind, slot.duration_minutes) == (users["advisor"], users["advisor"].office,
                                                                            "place", 45)
    assert slot.history.first().history_user == users["advisor"]
    page = client.get(response["Location"]).content.decode()
    assert "Maison des jeunes de Marsassoum" in page and "15:00" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "office", "starts_at": "2020-01-01T10:00", "duration_minutes": 30}, "Choisissez une heure dans le futur."),
    ({"kind": "place", "starts_at": "2099-01-01T10:00", "duration_minutes": 30, "place": " "},
     "Dites où a lieu le rendez-vous."),
    ({"kind": "office", "starts_at": "demain", "duration_minutes": 30}, "Saisissez une date et une heure."),
    ({"kind": "office", "starts_at": "2099-01-01T10:00", "duration_minutes": 900}, "480"),
    ({"kind": "teleport", "starts_at": "2099-01-01T10:00", "duration_minutes": 30}, "teleport"),
])
def test_bad_slots_are_refused_with_a_message(client, users, data, message):
    client.force_login(users["advisor"])
    response = client.post(reverse("appointments:slot_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_an_advisor_cannot_publish_two_slots_at_the_same_time(users, slot):
    with pytest.raises(ValidationError, match="déjà un créneau"):
        services.slot_publish(advisor=users["advisor"], kind="phone", starts_at=slot.starts_at + timedelta(minutes=15),
                              duration_minutes=30)
    # right after it is fine
    services.slot_publish(advisor=users["advisor"], kind="phone", starts_at=slot.ends_at, duration_minutes=30)


# --- Booking -----------------------------------------------------------------------------------------


def test_a_migrant_books_an_open_slot_is_told_and_the_slot_leaves_the_list(
    client, users, person, slot, django_capture_on_commit_callbacks
):
    client.force_login(users["migrant"])
    page = client.get(reverse("appointments:book")).content.decode()
    assert "09:30" in page and 'data-testid="book-slot"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = _book(client, slot)

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.slot, booking.migrant, booking.state, booking.booked_by) == (slot, person, "booked", users["migrant"])
    assert booking.history.first().history_user == users["migrant"]
    notice = Notification.objects.get(kind="appointment_booked", recipient=users["migrant"])
    assert "Votre rendez-vous est réservé" in notice.title and "09:30" in notice.title
    assert len(mail.outbox) == 1 and "09:30" in mail.outbox[0].body
    page = client.get(reverse("appointments:book")).content.decode()
    assert 'data-testid="my-appointments"' in page and 'data-testid="book-slot"' not in page


def test_a_taken_slot_is_refused_with_a_clear_message(client, users, person, other_person, slot):
    BookingFactory(slot=slot, migrant=other_person)
    client.force_login(users["migrant"])
    response = _book(client, slot)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ce créneau vient d’être pris par quelqu’un d’autre" in page
    assert Booking.objects.filter(migrant=person).count() == 0


def test_the_unique_constraint_refuses_a_second_active_booking_even_without_the_service(person, other_person, slot):
    from django.db import IntegrityError, transaction

    BookingFactory(slot=slot, migrant=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(slot=slot, migrant=other_person)
    BookingFactory(slot=slot, migrant=other_person, state="cancelled")  # a cancelled one does not hold the slot


@pytest.mark.parametrize("case", ["past", "cancelled", "other_office"])
def test_slots_that_cannot_be_booked(client, users, person, office, other_office, case):
    if case == "other_office":
        slot = SlotFactory(advisor=users["other_office_advisor"])
        client.force_login(users["migrant"])
        assert _book(client, slot).status_code == 404  # another office's slot does not exist for them
        return
    slot = SlotFactory(advisor=users["advisor"], starts_at=_at(-1) if case == "past" else _at(1))
    if case == "cancelled":
        services.slot_cancel(slot=slot, cancelled_by=users["advisor"])
    client.force_login(users["migrant"])
    page = client.get(_book(client, slot)["Location"]).content.decode()
    assert ("a déjà commencé" if case == "past" else "a été annulé") in page
    assert not Booking.objects.exists()


def test_a_forged_slot_id_is_a_404_not_a_500(client, users, person):
    client.force_login(users["migrant"])
    assert client.post(reverse("appointments:book"), {"slot": "abc"}).status_code == 404


def test_a_migrant_cancels_until_the_start_and_the_slot_opens_again(client, users, person, slot):
    booking = BookingFactory(slot=slot, migrant=person)
    client.force_login(users["migrant"])
    client.post(reverse("appointments:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.cancelled_at is not None
    assert 'data-testid="book-slot"' in client.get(reverse("appointments:book")).content.decode()

    started = BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_ago(hours=3)),
                             migrant=person)
    response = client.post(reverse("appointments:booking_cancel", args=[started.pk]), follow=True)
    assert "Le rendez-vous a commencé" in response.content.decode()
    started.refresh_from_db()
    assert started.state == BookingState.BOOKED


def test_a_migrant_cannot_cancel_another_persons_booking(client, users, person, other_person, slot):
    booking = BookingFactory(slot=slot, migrant=other_person)
    client.force_login(users["migrant"])
    assert client.post(reverse("appointments:booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED


def test_staff_book_a_slot_for_a_person_from_the_persons_page(client, users, office, slot):
    walk_in = MigrantFactory(office=office, first_name="Awa", last_name="Badji")
    client.force_login(users["advisor"])
    person_page = client.get(walk_in.get_absolute_url()).content.decode()
    assert reverse("appointments:book_for_person", args=[walk_in.pk]) in person_page

    response = client.post(reverse("appointments:book_for_person", args=[walk_in.pk]), {"slot": slot.pk})

    assert response.status_code == 302 and response["Location"] == walk_in.get_absolute_url()
    booking = Booking.objects.get()
    assert (booking.migrant, booking.booked_by) == (walk_in, users["advisor"])
    assert "09:30" in client.get(walk_in.get_absolute_url()).content.decode()


def test_staff_cannot_book_another_offices_slot_for_their_person(client, users, office):
    walk_in = MigrantFactory(office=office)
    kolda_slot = SlotFactory(advisor=users["other_office_advisor"])
    client.force_login(users["advisor"])
    response = client.post(reverse("appointments:book_for_person", args=[walk_in.pk]), {"slot": kolda_slot.pk})
    assert response.status_code == 404 and not Booking.objects.exists()


# --- The advisor's day -----------------------------------------------------------------------------


def test_the_day_view_lists_the_advisors_slots_and_bookings_of_the_chosen_day(client, users, person, office):
    mine = SlotFactory(advisor=users["advisor"], starts_at=_at(3, 11))
    BookingFactory(slot=mine, migrant=person)
    SlotFactory(advisor=users["advisor"], starts_at=_at(4, 11, 45))  # another day
    SlotFactory(advisor=users["admin"], starts_at=_at(3, 14, 15))  # a colleague's
    client.force_login(users["advisor"])

    page = client.get(reverse("appointments:day"), {"day": f"{_at(3):%Y-%m-%d}"}).content.decode()

    assert "Ousmane Sagna" in page and "11:00" in page
    assert "11:45" not in page and "14:15" not in page
    today = client.get(reverse("appointments:day")).content.decode()
    assert "Aucun créneau ce jour." in today and f'value="{timezone.localdate():%Y-%m-%d}"' in today


def test_a_bad_day_gets_a_message_not_a_500(client, users):
    client.force_login(users["advisor"])
    response = client.get(reverse("appointments:day"), {"day": "2026-13-45"})
    assert response.status_code == 200 and "Saisissez une date valide." in response.content.decode()


def test_an_attended_appointment_becomes_a_visit_once(client, users, person):
    slot = SlotFactory(advisor=users["advisor"], kind="phone", starts_at=_ago(hours=2))
    booking = BookingFactory(slot=slot, migrant=person)
    client.force_login(users["admin"])  # a colleague records it: the visit is the slot's advisor's

    client.post(reverse("appointments:booking_to_visit", args=[booking.pk]))
    response = client.post(reverse("appointments:booking_to_visit", args=[booking.pk]), follow=True)

    visit = Visit.objects.get()
    assert (visit.migrant, visit.advisor, visit.occurred_at, visit.channel, visit.office) == (
        person, users["advisor"], slot.starts_at, VisitChannel.PHONE, person.office)
    booking.refresh_from_db()
    assert (booking.state, booking.visit) == (BookingState.ATTENDED, visit)
    assert booking.history.first().history_user == users["admin"]
    assert visit.history.first().history_user == users["admin"]
    assert "déjà enregistré comme une visite" in response.content.decode()
    assert Visit.objects.count() == 1


def test_a_future_appointment_is_neither_a_visit_nor_a_no_show_yet(users, person, slot):
    booking = BookingFactory(slot=slot, migrant=person)
    with pytest.raises(ValidationError, match="pas encore commencé"):
        services.booking_to_visit(booking=booking, recorded_by=users["advisor"])
    with pytest.raises(ValidationError, match="pas encore commencé"):
        services.booking_no_show(booking=booking, marked_by=users["advisor"])


def test_a_no_show_is_marked_and_cannot_become_a_visit(client, users, person):
    booking = BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_ago(hours=2)),
                             migrant=person)
    client.force_login(users["advisor"])
    client.post(reverse("appointments:booking_no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW
    response = client.post(reverse("appointments:booking_to_visit", args=[booking.pk]), follow=True)
    assert "Seul un rendez-vous réservé" in response.content.decode() and not Visit.objects.exists()


def test_a_cancelled_slot_cancels_its_booking_and_tells_the_person(
    client, users, person, slot, django_capture_on_commit_callbacks
):
    booking = BookingFactory(slot=slot, migrant=person)
    client.force_login(users["advisor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appointments:slot_cancel", args=[slot.pk]))

    slot.refresh_from_db()
    booking.refresh_from_db()
    assert slot.cancelled_by == users["advisor"] and booking.state == BookingState.CANCELLED
    notice = Notification.objects.get(kind="appointment_cancelled", recipient=users["migrant"])
    assert "Le bureau a annulé votre rendez-vous" in notice.title


def test_a_forged_next_after_a_staff_cancellation_stays_on_the_site_and_the_person_is_told(
    client, users, person, slot, django_capture_on_commit_callbacks
):
    booking = BookingFactory(slot=slot, migrant=person)
    client.force_login(users["advisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appointments:booking_cancel", args=[booking.pk]),
                               {"next": "https://evil.example/phish"})
    assert response["Location"].startswith(reverse("appointments:day"))
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert Notification.objects.filter(kind="appointment_cancelled", recipient=users["migrant"]).count() == 1


def test_a_person_cancelling_their_own_booking_gets_no_notice(client, users, person, slot,
                                                               django_capture_on_commit_callbacks):
    booking = BookingFactory(slot=slot, migrant=person)
    client.force_login(users["migrant"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appointments:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert not Notification.objects.filter(kind="appointment_cancelled").exists()


# --- Reminders ---------------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_exactly_once_per_booking(users, person, other_person, office,
                                                                  django_capture_on_commit_callbacks):
    today = timezone.localdate()
    BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_at(1, 9)), migrant=person)
    BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_at(1, 11)), migrant=other_person,
                   state="cancelled")
    BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_at(2, 9)), migrant=other_person)

    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send(today.isoformat()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send(today.isoformat()) == 1  # again: nothing sent again

    reminders = Notification.objects.filter(kind="appointment_reminder")
    assert [notice.recipient for notice in reminders] == [users["migrant"]]
    assert "demain" in reminders[0].title
    assert len([message for message in mail.outbox if "demain" in message.body]) == 1


# --- Personal data, transfers -------------------------------------------------------------------------


def test_the_persons_appointments_are_exported_and_erased(users, person, slot):
    BookingFactory(slot=slot, migrant=person)
    exported = migrant_personal_data(person)["appointments"]
    assert len(exported) == 1 and exported[0]["kind"] == "Au bureau" and exported[0]["state"] == "Réservé"

    migrant_erase(migrant=person, erased_by=users["admin"])

    assert not Booking.objects.exists() and not Booking.history.model.objects.filter(migrant_id=person.pk).exists()
    assert Slot.objects.filter(pk=slot.pk).exists()


def test_a_transferred_person_loses_their_future_appointments_at_the_old_office(users, person, slot, other_office):
    booking = BookingFactory(slot=slot, migrant=person)
    transfer_make(migrant=person, to_office=other_office, made_by=users["admin"], reason="Déménage")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED


# --- Access, queries ---------------------------------------------------------------------------------


def test_appointment_pages_access_matrix(client, users, person, other_person, slot):
    staff = staff_only()
    assert_access_matrix(client, reverse("appointments:day"), staff, users)
    assert_access_matrix(client, reverse("appointments:slot_create"), staff, users)
    assert_access_matrix(client, reverse("appointments:book_for_person", args=[person.pk]),
                         staff_only(other_office_advisor=404), users)
    migrant_page = {"anonymous": LOGIN, "superuser": 403, "admin": 403, "advisor": 403, "other_office_advisor": 403,
                    "migrant": 200, "other_migrant": 200, "authority": 403, "partner": 403}
    assert_access_matrix(client, reverse("appointments:book"), migrant_page, users)

    booking = BookingFactory(slot=slot, migrant=person)
    cancel = {**staff_only(superuser=302, admin=302, advisor=302, other_office_advisor=404), "migrant": 302,
              "other_migrant": 404}
    assert_access_matrix(client, reverse("appointments:booking_cancel", args=[booking.pk]), cancel, users,
                         method="post")
    past = BookingFactory(slot=SlotFactory(advisor=users["advisor"], starts_at=_ago(hours=1)),
                          migrant=person)
    staff_post = staff_only(superuser=302, admin=302, advisor=302, other_office_advisor=404)
    assert_access_matrix(client, reverse("appointments:booking_no_show", args=[past.pk]), staff_post, users,
                         method="post")
    assert_access_matrix(client, reverse("appointments:booking_to_visit", args=[past.pk]), staff_post, users,
                         method="post")
    assert_access_matrix(client, reverse("appointments:slot_cancel", args=[slot.pk]), staff_post, users,
                         method="post")


def test_the_day_view_queries_do_not_grow_with_the_slots(client, users, office):
    client.force_login(users["advisor"])
    day = _at(5)
    made = []

    def make_rows(count):
        for _number in range(count):
            slot = SlotFactory(advisor=users["advisor"], starts_at=day + timedelta(minutes=20 * len(made)),
                               duration_minutes=15)
            made.append(slot)
            if len(made) % 2:
                BookingFactory(slot=slot, migrant=MigrantFactory(office=office))

    response = assert_constant_queries(client, reverse("appointments:day"), make_rows=make_rows,
                                       data={"day": f"{day:%Y-%m-%d}"})
    assert response.content.decode().count('data-testid="booking"') == 10


def test_the_migrants_slot_list_queries_do_not_grow_with_the_slots(client, users, person):
    client.force_login(users["migrant"])
    made = []

    def make_rows(count):
        for _number in range(count):
            made.append(SlotFactory(advisor=users["advisor"], starts_at=_at(1 + len(made) % 4, 8) +
                                    timedelta(minutes=20 * len(made)), duration_minutes=15))
        BookingFactory(slot=made[-1], migrant=person)

    response = assert_constant_queries(client, reverse("appointments:book"), make_rows=make_rows)
    assert response.content.decode().count('data-testid="book-slot"') == 18
