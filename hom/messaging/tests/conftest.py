from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hom.messaging.backends.http import orange_forget_tokens

from .gateway import FakeGateway

DAKAR = ZoneInfo("Africa/Dakar")
FLUSHING = (
    "hom/messaging/tests/test_concurrency.py", "hom/messaging/tests/test_faults.py",
    "hom/messaging/tests/test_queue_faults.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """The threads' tests commit, so Django empties the database after them: they run after every
    other database test (as hom/notifications' do); the URL-coverage test stays the very last."""
    flushing = [item for item in items if item.nodeid.startswith(FLUSHING)]
    others = [item for item in items if item not in flushing]
    last = [item for item in others if item.name == "test_every_url_pattern_is_requested_by_a_test"]
    items[:] = [item for item in others if item not in last] + flushing + last
NUMBER = "+221771234567"


@pytest.fixture
def daytime():
    """A Tuesday at 10:00 in Dakar: outside the quiet hours."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=DAKAR), tick=True) as traveller:
        yield traveller


@pytest.fixture
def gateway():
    orange_forget_tokens()
    server = FakeGateway()
    yield server
    server.stop()
    orange_forget_tokens()


@pytest.fixture
def webhook_token(settings):
    settings.MESSAGING_WEBHOOK_TOKEN = "s3cret-hook"
    return "s3cret-hook"


@pytest.fixture
def retries_like_a_worker():
    """As on a worker, a task's retry is scheduled rather than raised into its caller
    (eagerly, the retry runs at once, without its backoff)."""
    from hom.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
