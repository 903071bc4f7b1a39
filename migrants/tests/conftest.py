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
def served_static(settings):
    """The live server serves static files through the finders, which know no hashed (manifest) names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
