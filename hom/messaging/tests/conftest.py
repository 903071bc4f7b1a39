from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hom.messaging.backends.http import orange_forget_tokens

from .gateway import FakeGateway

DAKAR = ZoneInfo("Africa/Dakar")
NUMBER = "+221771234567"


@pytest.fixture
def daytime():
    """A Tuesday at 10:00 in Dakar: outside the quiet hours."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=DAKAR), tick=True) as traveller:
        yield traveller


@pytest.fixture
def sms_folder(settings, tmp_path):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    return folder


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
