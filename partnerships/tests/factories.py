import factory

from migrants.tests.factories import MigrantFactory
from partnerships.models import Introduction, IntroductionChannel, Organisation, OrganisationKind
from partnerships.services import organisation_create


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Organisations made through the service, so the search text is filled as in the app."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association test {n}")
    kind = OrganisationKind.DIASPORA_ASSOCIATION
    country = "FR"
    city = "Paris"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Partner accounts are linked by an admin's service in the app; tests set them directly.
        partner_users = kwargs.pop("partner_users", None)
        organisation = organisation_create(**kwargs)
        if partner_users:
            organisation.partner_users.set(partner_users)
        return organisation


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Introduction

    migrant = factory.SubFactory(MigrantFactory, consent_sharing=True)
    office = factory.SelfAttribute("migrant.office")
    organisation = factory.SubFactory(OrganisationFactory)
    purpose = "Rencontrer l'association."
    channel = IntroductionChannel.PHONE
