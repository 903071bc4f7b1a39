import pytest

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




@pytest.fixture(autouse=True)
def _summaries_in_step(request, monkeypatch):
    """As in production once the nightly task has run: every month built, and each visit saved
    refreshing its month at once (a test's transaction never commits, so ``on_commit`` runs now).

    The report's figures therefore come from the summaries in these tests; ``test_summary``
    checks they equal the live ones.
    """
    from hom.reports import signals

    monkeypatch.setattr(signals, "on_commit", lambda callback, **kwargs: callback())
    if "browser" in request.keywords or not {"db", "transactional_db"} & set(request.fixturenames):
        return
    from datetime import date

    from django.utils import timezone

    from hom.reports.models import SummaryMonth

    request.getfixturevalue("db")
    now = timezone.now()
    SummaryMonth.objects.bulk_create(
        SummaryMonth(month=date(year, month, 1), built_at=now) for year in range(2019, 2031) for month in range(1, 13)
    )


@pytest.fixture(autouse=True)
def _record_keys_replayed(request, monkeypatch):
    """Record keys drawn from a generator seeded by the test's name: a test sees the same
    perturbed figures at every run (in production they come from ``secrets``)."""
    import random
    from types import SimpleNamespace

    import migrants.models

    draw = random.Random(request.node.nodeid)
    monkeypatch.setattr(migrants.models, "secrets", SimpleNamespace(randbelow=draw.randrange))


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
