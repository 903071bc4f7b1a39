import pytest

from hom.territories.models import Commune, NeedCategory


@pytest.fixture
def sedhiou(db):
    return Commune.objects.get(code="SN1103_SEDHIOU")


@pytest.fixture
def marsassoum(db):
    return Commune.objects.get(code="SN1103_MARSASSOUM")


@pytest.fixture
def needs(db):
    return {need.code: need for need in NeedCategory.objects.all()}


@pytest.fixture
def reference_data(transactional_db):
    """Regions, communes, sectors and needs again: a transactional test before this one flushed them."""
    from hom.territories.models import Department, Region, Sector
    from hom.territories.services import reference_load, territories_load

    territories_load(region_model=Region, department_model=Department, commune_model=Commune)
    reference_load(sector_model=Sector, need_category_model=NeedCategory)


@pytest.fixture
def served_static(settings):
    """The live server serves static files through the finders, which know no hashed (manifest) names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
