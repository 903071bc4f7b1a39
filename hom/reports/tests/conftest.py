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


def pytest_collection_modifyitems(session, config, items):
    """Run this app's browser journey after every other test (the URL-coverage check aside).

    After a live-server test that wrote rows, the next live-server test finds the tables the
    migrations fill empty (the serialized rollback does not bring them back): the foundation's
    own journey (hom/tests/test_browser.py), which loads no reference data, must not follow ours.
    """
    from hom.testing.plugin import URL_COVERAGE_TEST

    ours = [item for item in items if item.nodeid.startswith("hom/reports/tests/test_browser.py")]
    coverage = [item for item in items if item.name == URL_COVERAGE_TEST]
    rest = [item for item in items if item not in ours and item not in coverage]
    items[:] = rest + ours + coverage
