from datetime import timedelta

import factory
from django.utils import timezone

from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.text import search_name_for
from migrants.consent import CURRENT_VERSION
from migrants.models import Migrant, Situation, Visit, VisitChannel


class MigrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Migrant
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    file_number = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    search_name = factory.LazyAttribute(lambda migrant: search_name_for(migrant.first_name, migrant.last_name))
    sex = "M"
    birth_year = 1988
    situation = Situation.ABROAD
    country_of_residence = "FR"
    consent_processing = True
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_version = CURRENT_VERSION


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    migrant = factory.SubFactory(MigrantFactory)
    office = factory.LazyAttribute(lambda visit: visit.migrant.office)
    occurred_at = factory.LazyFunction(timezone.now)
    channel = VisitChannel.OFFICE

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)


class SlotFactory(factory.django.DjangoModelFactory):
    """An advisor's open slot, tomorrow at 10:00 by default (its office is the advisor's)."""

    class Meta:
        model = "migrants.Slot"

    advisor = factory.SubFactory(UserFactory, role="advisor", office=factory.SubFactory(OfficeFactory))
    office = factory.LazyAttribute(lambda slot: slot.advisor.office)
    kind = "office"
    starts_at = factory.LazyFunction(
        lambda: timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1))
    duration_minutes = 30


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "migrants.Booking"

    slot = factory.SubFactory(SlotFactory)
    migrant = factory.SubFactory(MigrantFactory, office=factory.SelfAttribute("..slot.office"))
    state = "booked"
