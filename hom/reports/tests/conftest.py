import pytest
from django.core.cache import cache

from hom.territories.models import Commune, NeedCategory, Sector


@pytest.fixture
def sedhiou(db):
    return Commune.objects.get(code="SN1103_SEDHIOU")


@pytest.fixture
def marsassoum(db):
    return Commune.objects.get(code="SN1103_MARSASSOUM")


@pytest.fixture
def kolda_commune(db):
    return Commune.objects.get(code="SN0701_DABO")


@pytest.fixture
def needs(db):
    return {need.code: need for need in NeedCategory.objects.all()}


@pytest.fixture
def sectors(db):
    return {sector.code: sector for sector in Sector.objects.all()}


@pytest.fixture
def reference_data(transactional_db):
    """Regions, communes, sectors and needs again: a transactional test before this one flushed them."""
    from hom.territories.models import Department, Region
    from hom.territories.services import reference_load, territories_load

    territories_load(region_model=Region, department_model=Department, commune_model=Commune)
    reference_load(sector_model=Sector, need_category_model=NeedCategory)


@pytest.fixture(autouse=True)
def _reports_computed_each_time(settings):
    """Each test sees the figures of its own data: no report is kept from an earlier test."""
    settings.REPORTS_CACHE_SECONDS = 0
