import factory

from hom.accounts.tests.factories import OfficeFactory
from migrants.models import Migrant, Situation


class MigrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Migrant
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    file_number = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    sex = "M"
    birth_year = 1988
    situation = Situation.ABROAD
    country_of_residence = "FR"
    consent_processing = True
