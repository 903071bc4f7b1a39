"""The demo data: about 60 persons of Sédhiou with 18 months of visits, deterministic and idempotent."""
from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from hom.accounts import demo as accounts_demo
from migrants import consent, demo
from migrants.models import Booking, Migrant, Slot, Transfer, Visit


def test_the_demo_is_realistic_idempotent_and_gives_the_demo_migrants_their_records(db):
    accounts_demo.seed()

    demo.seed()
    counts = (Migrant.objects.count(), Visit.objects.count())
    demo.seed()

    sedhiou = Migrant.objects.filter(office__code="SED")
    assert (Migrant.objects.count(), Visit.objects.count()) == counts
    assert 55 <= sedhiou.count() <= 65
    assert set(sedhiou.values_list("commune_of_origin__department__region__code", flat=True)) == {"SN11"}
    assert {"FR", "ES", "IT", "GM", "BR"} <= set(sedhiou.values_list("country_of_residence", flat=True))
    assert sedhiou.filter(situation="returned").exists()
    assert Migrant.objects.get(user__email="migrant@demo.hom").full_name == "Ousmane Diédhiou"
    assert Migrant.objects.get(user__email="migrant2@demo.hom").full_name == "Fatoumata Sané"
    oldest = Visit.objects.aggregate(oldest=Min("occurred_at"))["oldest"]
    assert timezone.now() - oldest > timedelta(days=300)
    assert Visit.objects.filter(migrant__isnull=True).exists()
    assert Visit.objects.overdue_follow_ups().exists()
    # One visit was corrected, once (the second run adds no correction), and its history says why.
    assert Visit.history.filter(history_change_reason="Date saisie à la place de celle du forum").count() == 1
    # A person of Sédhiou was transferred to Kolda by the Sédhiou admin, once (issue 24, part 6).
    transfer = Transfer.objects.get()
    assert (transfer.from_office.code, transfer.to_office.code, transfer.migrant.office.code) == ("SED", "KOL", "KOL")
    assert transfer.decided_by.email == "admin@demo.hom"
    # conseiller@demo.hom has open slots in the coming days; migrant@demo.hom booked one, once (issue 24, part 4).
    slots = Slot.objects.filter(advisor__email="conseiller@demo.hom")
    assert slots.count() == 7 and all(slot.starts_at > timezone.now() for slot in slots)
    assert all(slot.starts_at < timezone.now() + timedelta(days=7) for slot in slots)
    booking = Booking.objects.get()
    assert booking.migrant.user.email == "migrant@demo.hom" and booking.state == "booked"
    # Each person agreed to the consent text in force the day they were registered (migrants/consent.py).
    for migrant in sedhiou:
        assert migrant.consent_version == consent.version_in_force(timezone.localdate(migrant.created_at))


def test_the_demo_is_deterministic(db):
    accounts_demo.seed()
    demo.seed()
    first = sorted(Migrant.objects.values_list("search_name", "birth_year", "phone"))
    Visit.objects.all().delete()
    Transfer.objects.all().delete()
    Migrant.objects.all().delete()

    demo.seed()

    assert sorted(Migrant.objects.values_list("search_name", "birth_year", "phone")) == first
