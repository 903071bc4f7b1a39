from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hom.notifications.tests.backends import FlakyEmailBackend
from migrants.tests.factories import MigrantFactory, VisitFactory

DAKAR = ZoneInfo("Africa/Dakar")
TODAY = date(2026, 11, 27)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Run this app's flushing tests (threads, real worker, browser, migrations) after every other database test.

    They commit, so Django empties the database after them; the foundation's browser
    tests (hom/tests) expect the migrations' reference data and come after hom/notifications
    alphabetically. The URL-coverage test stays the very last.
    """
    flushing = [
        item
        for item in items
        if item.nodeid.startswith(
            (
                "hom/notifications/tests/test_exactly_once.py",
                "hom/notifications/tests/test_digest_claim.py::test_two_digests_of_the_same_person",
                "hom/notifications/tests/test_faults.py",
                "hom/notifications/tests/test_browser.py",
                "hom/notifications/tests/test_dossier_moved.py::test_the_migration",
            )
        )
    ]
    others = [item for item in items if item not in flushing]
    last = [item for item in others if item.name == "test_every_url_pattern_is_requested_by_a_test"]
    items[:] = [item for item in others if item not in last] + flushing + last


@pytest.fixture
def today():
    """A fixed morning in Dakar: 27/11/2026, 07:30."""
    with time_machine.travel(datetime(2026, 11, 27, 7, 30, tzinfo=DAKAR), tick=False):
        yield TODAY


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = "hom.notifications.tests.backends.FlakyEmailBackend"
    FlakyEmailBackend.failures = {}
    yield FlakyEmailBackend.failures
    FlakyEmailBackend.failures = {}


@pytest.fixture
def follow_up(users, office):
    """def make(on, advisor=users['advisor']) -> an open follow-up of a Sédhiou person."""

    def make(on, advisor=None, **kwargs):
        migrant = MigrantFactory(office=office, first_name="Awa", last_name="Sané")
        return VisitFactory(migrant=migrant, follow_up_on=on, follow_up_advisor=advisor or users["advisor"], **kwargs)

    return make




@pytest.fixture
def retries_like_a_worker():
    """As on a worker, a task's retry is scheduled rather than raised into its caller
    (eagerly, the retry runs at once, without its backoff)."""
    from hom.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
