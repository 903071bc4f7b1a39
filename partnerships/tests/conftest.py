import pytest

from hom.territories.models import Commune, Sector
from migrants.tests.factories import MigrantFactory

from .factories import OrganisationFactory


@pytest.fixture
def marsassoum(db):
    return Commune.objects.get(code="SN1103_MARSASSOUM")


@pytest.fixture
def agriculture(db):
    return Sector.objects.get(code="AGRI")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Amics de la Casamance", country="ES", city="Sabadell")


@pytest.fixture
def partner_organisation(users):
    """The organisation of the `partner` user."""
    return OrganisationFactory(name="Kandeemaa", country="ES", city="Sabadell", partner_users=[users["partner"]])


@pytest.fixture
def sharing_migrant(office, marsassoum):
    return MigrantFactory(
        office=office, commune_of_origin=marsassoum, consent_sharing=True, country_of_residence="ES",
        city_of_residence="Sabadell", first_name="Seydou", last_name="Mané",
    )


