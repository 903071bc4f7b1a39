"""Factories of partner offers and referrals."""
import factory

from hom.accounts.tests.factories import OfficeFactory
from migrants.tests.factories import MigrantFactory
from partnerships.offers.models import OfferKind, OfferReferral, PartnerOffer
from partnerships.offers.services import offer_search_text

from .factories import OrganisationFactory


class PartnerOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOffer

    office = factory.SubFactory(OfficeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = OfferKind.LOAN
    title = factory.Sequence(lambda n: f"Offre {n}")
    description = "Un prêt pour les projets de retour."
    conditions = ""
    contact_instructions = "Agence de Sédhiou."
    is_published = True
    search_text = factory.LazyAttribute(offer_search_text)


class OfferReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferReferral

    migrant = factory.SubFactory(MigrantFactory, consent_sharing=True)
    office = factory.SelfAttribute("migrant.office")
    offer = factory.SubFactory(PartnerOfferFactory, office=factory.SelfAttribute("..migrant.office"))
    note = "Projet de transformation de mangues."
