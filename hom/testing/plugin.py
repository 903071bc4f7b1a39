"""pytest plugin of HOM: shared fixtures and the URL-coverage recorder."""
import os
import shutil
from pathlib import Path

import pytest

from .access import ROLES
from .url_coverage import install_recorder

CHROMIUM = "/usr/bin/chromium"
URL_COVERAGE_TEST = "test_every_url_pattern_is_requested_by_a_test"


def pytest_configure(config):
    install_recorder()
    _serve_static_files_like_production()
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium through Playwright")
    config.addinivalue_line(
        "markers",
        "postgresql(reason=...): needs PostgreSQL (full-text search, trigrams, row locks, real workers); "
        "skipped with its reason on another database, before any fixture runs",
    )


def pytest_collection_modifyitems(session, config, items):
    # PostgreSQL-only tests are skipped at collection on SQLite: a skip inside the test would come
    # after a transactional fixture's setup, and a serialized-rollback test that follows could
    # find the tables it restores not flushed.
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        for item in items:
            marker = item.get_closest_marker("postgresql")
            if marker is not None:
                reason = marker.kwargs.get("reason", "needs PostgreSQL")
                item.add_marker(pytest.mark.skip(reason=f"{reason} (marked postgresql)"))
    # The URL-coverage test reads what every other test requested: it must run last.
    last = [item for item in items if item.name == URL_COVERAGE_TEST]
    items[:] = [item for item in items if item.name != URL_COVERAGE_TEST] + last


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; tests with a real worker switch this off themselves."""
    from hom.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    # Uploads made by a test (documents, demo PDFs) go to its own folder, never to var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached reports live in the cache: each test starts without them.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production's PBKDF2 costs ~0.3 s per user on purpose; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(transactional_db):
    """The reference data again (regions, departments, communes, sectors, needs and the
    dossiers' document checklist): a transactional test before this one flushed the tables
    the data migrations filled. Every loader is idempotent."""
    _load_reference_data()


def _load_reference_data():
    from hom.territories.models import Commune, Department, NeedCategory, Region, Sector
    from hom.territories.services import reference_load, territories_load
    from projects.models import DocumentRequirement, DocumentType
    from projects.services import document_checklist_load

    territories_load(region_model=Region, department_model=Department, commune_model=Commune)
    reference_load(sector_model=Sector, need_category_model=NeedCategory)
    document_checklist_load(document_type_model=DocumentType, requirement_model=DocumentRequirement, sector_model=Sector)


@pytest.fixture
def sms_folder(settings, tmp_path):
    """SMS written to files (``SMS_URL=file:///…``, hom.messaging): one file per message, named by its number."""
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    return folder


@pytest.fixture
def office(db):
    from hom.accounts.tests.factories import OfficeFactory
    from hom.territories.models import Region

    return OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))


@pytest.fixture
def other_office(db):
    from hom.accounts.tests.factories import OfficeFactory
    from hom.territories.models import Region

    return OfficeFactory(code="KOL", name="Bureau de Kolda", region=Region.objects.get(code="SN07"))


@pytest.fixture
def users(db, office, other_office):
    """One user per name of the access matrix's ROLES (anonymous excepted)."""
    from hom.accounts.models import Role
    from hom.accounts.tests.factories import UserFactory
    from hom.territories.models import Commune

    made = {
        "superuser": UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True, email="national@example.sn"),
        "admin": UserFactory(role=Role.ADMIN, office=office, is_staff=True, email="admin@example.sn"),
        "advisor": UserFactory(role=Role.ADVISOR, office=office, email="advisor@example.sn"),
        "other_office_advisor": UserFactory(role=Role.ADVISOR, office=other_office, email="kolda@example.sn"),
        "migrant": UserFactory(role=Role.MIGRANT, email="migrant@example.sn"),
        "other_migrant": UserFactory(role=Role.MIGRANT, email="other.migrant@example.sn"),
        "authority": UserFactory(
            role=Role.AUTHORITY, email="mairie@example.sn", communes=[Commune.objects.get(code="SN1103_SEDHIOU")]
        ),
        "partner": UserFactory(role=Role.PARTNER, email="partner@example.sn"),
    }
    assert set(made) == set(ROLES) - {"anonymous"}
    return made


# --- Browser tests -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Africa/Dakar"}


def _serve_static_files_like_production():
    """Let the live server serve /static/ through WhiteNoise from the collected files.

    pytest-django's live server answers /static/ from the finders, which know no
    manifest (hashed) names: pages would load without htmx and our scripts. Collected
    files, served by the WhiteNoise middleware, are what production serves.
    """
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
    StaticFilesHandler._should_handle = lambda self, path: False


@pytest.fixture
def live_app(live_server, transactional_db, django_db_serialized_rollback):
    """The live server, for Playwright.

    Browser tests need a transactional database, which Django empties after each test;
    the serialized rollback puts back what the migrations loaded (communes, sectors,
    checklists, programmes) before the next one.

    Playwright's sync API runs an event loop in the test's thread, so Django would refuse
    the ORM calls the test (and the database flush after it) makes in that thread. The
    flag stays set for the rest of the session since the flush runs after this fixture.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Belt and braces: the map, the shared reference tables and the dossiers' document checklist
    # (the demo needs it), whatever ran before; loaded here, once the flag above is set.
    _load_reference_data()
    return live_server
