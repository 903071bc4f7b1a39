import pytest

from migrants.tests.factories import MigrantFactory
from projects.tests.factories import DossierFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads of every test of this app go to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def promoter(users, office):
    """The Migrant record of the `migrant` user, registered at the Sédhiou office."""
    return MigrantFactory(office=office, user=users["migrant"], first_name="Ousmane", last_name="Diédhiou")


@pytest.fixture
def dossier(promoter):
    return DossierFactory(promoter=promoter, title="Poulailler de Marsassoum")


