"""Services of the registry: file numbers, registration, visits, merge, erasure, sign-up and linking."""
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory
from hom.territories.models import Region
from migrants import services
from migrants.models import LinkRequest, LinkRequestStatus, Migrant, PendingSignUp, Visit
from migrants.tests.factories import MigrantFactory, VisitFactory


def register(office, advisor=None, **fields):
    fields.setdefault("first_name", "Awa")
    fields.setdefault("last_name", "Sané")
    return services.migrant_register(office=office, recorded_by=advisor, **fields)


def test_file_numbers_follow_office_year_and_sequence(users, office, other_office):
    with time_machine.travel("2026-03-01 10:00 +0000"):
        first = register(office)
        second = register(office)
        elsewhere = register(other_office)
    with time_machine.travel("2027-01-02 10:00 +0000"):
        next_year = register(office)

    assert [first.file_number, second.file_number] == ["SED-2026-00001", "SED-2026-00002"]
    assert elsewhere.file_number == "KOL-2026-00001"
    assert next_year.file_number == "SED-2027-00001"


def test_registration_keeps_a_search_name_and_records_who_took_the_consent(users, office):
    migrant = register(
        office, users["advisor"], first_name="Fatoumata", last_name="Diédhiou", consent_processing=True, email=" A@B.SN "
    )

    assert migrant.search_name == "fatoumata diedhiou"
    assert migrant.email == "a@b.sn"
    assert migrant.consent_given_on == timezone.localdate()
    assert migrant.consent_recorded_by == users["advisor"]
    assert migrant.history.first().history_user == users["advisor"]


def test_withdrawing_every_consent_dates_the_withdrawal(users, office):
    migrant = register(office, users["advisor"], consent_processing=True, consent_contact=True)

    services.migrant_update(migrant=migrant, changed_by=users["advisor"], consent_processing=False, consent_contact=False)

    assert migrant.consent_withdrawn_on == timezone.localdate()


def test_a_service_refuses_a_field_it_does_not_own(users, office):
    with pytest.raises(TypeError):
        register(office, file_number="X-1")


def test_a_return_before_departure_is_refused(users, office):
    with pytest.raises(ValidationError):
        register(office, departure_year=2015, return_year=2010)


def test_a_visit_with_a_follow_up_falls_to_its_advisor_by_default(users, office, needs):
    migrant = register(office)
    follow_up_on = timezone.localdate() + timedelta(days=7)

    visit = services.visit_record(
        migrant=migrant, advisor=users["advisor"], needs=[needs["FUNDING"], needs["TRAINING"]], follow_up_on=follow_up_on
    )

    assert visit.office == office
    assert visit.follow_up_advisor == users["advisor"]
    assert set(visit.needs.values_list("code", flat=True)) == {"FUNDING", "TRAINING"}


def test_a_walk_in_is_counted_without_a_person(users, office, sedhiou, needs):
    visit = services.walk_in_record(
        office=office, advisor=users["advisor"], commune=sedhiou, sex="F", age_group="25_34", needs=[needs["PAPERS"]]
    )

    assert visit.is_anonymous and visit.commune == sedhiou and visit.age_group == "25_34"


def test_an_anonymous_walk_in_cannot_have_a_follow_up(office):
    with pytest.raises(ValidationError):
        Visit(office=office, follow_up_on=timezone.localdate()).full_clean()


def test_marking_a_follow_up_done(users, office):
    visit = VisitFactory(migrant=MigrantFactory(office=office), follow_up_on=timezone.localdate())

    services.visit_follow_up_done(visit=visit, done_by=users["advisor"])

    assert Visit.objects.open_follow_ups().count() == 0


def test_merging_keeps_every_visit_and_history_entry_and_fills_blanks(users, office, sedhiou):
    survivor = register(office, first_name="Moussa", last_name="Badji")
    duplicate = register(office, first_name="Mousa", last_name="Badji", phone="+221771234567", commune_of_origin=sedhiou)
    services.migrant_update(migrant=duplicate, changed_by=users["advisor"], occupation="Mason")
    VisitFactory.create_batch(2, migrant=survivor)
    VisitFactory.create_batch(3, migrant=duplicate)
    history_before = survivor.history.count() + duplicate.history.count()

    merged = services.migrant_merge(survivor=survivor, duplicate=duplicate, merged_by=users["advisor"])

    assert not Migrant.objects.filter(pk=duplicate.pk).exists()
    assert merged.visits.count() == 5
    assert merged.phone.as_e164 == "+221771234567" and merged.occupation == "Mason"
    assert merged.commune_of_origin == sedhiou
    assert merged.history.count() == history_before + 1
    assert Visit.history.filter(migrant_id=merged.pk).count() == 5


def test_merging_moves_the_online_account(users, office):
    survivor = register(office)
    duplicate = register(office, user=users["migrant"])
    pending = LinkRequest.objects.create(migrant=duplicate, user=users["other_migrant"])

    merged = services.migrant_merge(survivor=survivor, duplicate=duplicate, merged_by=users["advisor"])

    pending.refresh_from_db()
    assert merged.user == users["migrant"]
    assert pending.migrant == merged


def test_records_of_two_offices_are_not_merged(users, office, other_office):
    with pytest.raises(ValidationError):
        services.migrant_merge(
            survivor=register(office), duplicate=register(other_office), merged_by=users["superuser"]
        )


def test_erasure_blanks_the_person_and_its_history_and_keeps_anonymous_visits(users, office, sedhiou, needs):
    migrant = register(
        office, first_name="Awa", last_name="Sagna", phone="+221771112233", email="awa@example.sn",
        commune_of_origin=sedhiou, sex="F", birth_year=1990, user=users["migrant"],
    )
    services.visit_record(migrant=migrant, advisor=users["advisor"], notes="Awa's brother", needs=[needs["FUNDING"]])

    services.migrant_erase(migrant=migrant, erased_by=users["admin"])

    migrant.refresh_from_db()
    visit = migrant.visits.get()
    assert (migrant.first_name, migrant.phone, migrant.email, migrant.user) == ("—", "", "", None)
    assert not migrant.history.filter(first_name="Awa").exists()
    assert visit.notes == "" and visit.commune == sedhiou and visit.sex == "F" and visit.age_group
    assert list(visit.needs.values_list("code", flat=True)) == ["FUNDING"]
    users["migrant"].refresh_from_db()
    assert not users["migrant"].is_active


def sign_up(office, **fields):
    data = {
        "office": office,
        "email": "lamine@example.sn",
        "password": "a-long-passphrase",
        "first_name": "Lamine",
        "last_name": "Coly",
        "situation": "abroad",
        "consent_processing": True,
    }
    data.update(fields)
    return services.migrant_sign_up(**data)


def confirmed_sign_up(office, **fields):
    return services.sign_up_confirm_email(user=sign_up(office, **fields))


def test_sign_up_makes_an_inactive_account_whose_profile_waits_for_the_confirmation(office):
    user = sign_up(office, consent_sharing=True)

    assert user.role == Role.MIGRANT and not user.is_active
    assert not Migrant.objects.exists() and user.pending_sign_up.office == office

    services.sign_up_confirm_email(user=user)
    user.refresh_from_db()

    assert user.is_active and not PendingSignUp.objects.exists()
    assert user.migrant_profile.file_number.startswith("SED-")
    assert user.migrant_profile.consent_sharing


def test_confirming_twice_registers_once(office):
    user = confirmed_sign_up(office)

    services.sign_up_confirm_email(user=user)

    assert Migrant.objects.filter(user=user).count() == 1


def test_sign_up_without_consent_is_refused(office):
    with pytest.raises(ValidationError):
        sign_up(office, consent_processing=False)


def test_sign_up_matching_a_desk_record_waits_for_an_advisor_then_links(users, office):
    desk_record = register(office, first_name="Lamine", last_name="Coly", phone="+221770000001")

    user = sign_up(office, phone="+221770000001", consent_contact=True)
    assert not LinkRequest.objects.exists()  # an unconfirmed account asks nothing of the advisors
    services.sign_up_confirm_email(user=user)
    link_request = LinkRequest.objects.get(user=user)
    services.link_request_decide(link_request=link_request, decided_by=users["advisor"], confirm=True)

    desk_record.refresh_from_db()
    assert Migrant.objects.count() == 1
    assert desk_record.user == user and desk_record.consent_contact
    assert link_request.status == LinkRequestStatus.CONFIRMED


def test_a_refused_link_gives_the_account_its_own_profile(users, office):
    register(office, email="lamine@example.sn")
    user = confirmed_sign_up(office)

    services.link_request_decide(link_request=LinkRequest.objects.get(user=user), decided_by=users["advisor"], confirm=False)

    assert Migrant.objects.count() == 2
    assert Migrant.objects.get(user=user).email == "lamine@example.sn"


@pytest.mark.postgresql(reason="row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
def test_concurrent_registrations_get_distinct_file_numbers(transactional_db, reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises every write anyway")
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    start = threading.Barrier(6)
    numbers, failures = [], []

    def register_one(index):
        try:
            start.wait()
            numbers.append(register(office, first_name=f"Awa{index}").file_number)
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(numbers) == [f"SED-{timezone.localdate().year}-{n:05d}" for n in range(1, 7)]


def test_a_past_registration_takes_a_number_of_its_year(users, office):
    with time_machine.travel("2026-06-01 10:00 +0000"):
        migrant = register(office, registered_at=timezone.now() - timedelta(days=300), consent_processing=True)

    assert migrant.file_number == "SED-2025-00001"
    assert migrant.consent_given_on.year == 2025
