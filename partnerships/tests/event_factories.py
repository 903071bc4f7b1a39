"""Builders for the meetings and events tests: a convention of an office with a party, a person with an account."""
from migrants.tests.factories import MigrantFactory

from .convention_factories import ConventionFactory, ConventionPartyFactory
from .factories import OrganisationFactory


def convention_with_party(office, organisation=None, **fields):
    """A convention of ``office`` with ``organisation`` (or a new one) as its party."""
    convention = ConventionFactory(office=office, **fields)
    ConventionPartyFactory(convention=convention, organisation=organisation or OrganisationFactory())
    return convention


def person_of(user, office, **fields):
    """The person record behind a migrant's account."""
    return MigrantFactory(office=office, user=user, **fields)
