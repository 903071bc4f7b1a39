import pytest
import time_machine

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


@pytest.fixture
def campaign_morning():
    """The campaigns' tests: a weekday morning in Dakar, outside the quiet hours."""
    from .campaign_helpers import MORNING

    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def group(office, other_office, sedhiou, marsassoum):
    """The campaigns' tests: persons of both offices, consenting or not, in and out of the filters."""
    from .campaign_helpers import people

    return people(office=office, other_office=other_office, sedhiou=sedhiou, marsassoum=marsassoum)
