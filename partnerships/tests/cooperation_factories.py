"""Factories of cooperation requests and introductions (a commune and an association)."""
import factory

from hom.territories.models import Commune
from partnerships.cooperation.models import CooperationIntroduction, CooperationPurpose, CooperationRequest

from .factories import OrganisationFactory


class CooperationIntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationIntroduction

    commune = factory.LazyFunction(lambda: Commune.objects.get(code="SN1103_SEDHIOU"))
    office = factory.LazyAttribute(lambda o: o.commune.department.region.office)
    organisation = factory.SubFactory(OrganisationFactory)
    purpose = CooperationPurpose.PROJECT
    description = "Un forage pour le jardin maraîcher."


class CooperationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationRequest

    commune = factory.LazyFunction(lambda: Commune.objects.get(code="SN1103_SEDHIOU"))
    office = factory.LazyAttribute(lambda o: o.commune.department.region.office)
    looking_for = "Une commune jumelle en Catalogne."
    purpose = CooperationPurpose.TWINNING
