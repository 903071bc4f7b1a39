"""``manage.py celery_queues``: what waits in each queue, read from the broker (a redis-server of the test's own)."""

from io import StringIO

import pytest
from django.core.management import call_command

from hom.reports.tasks import rebuild_visit_summaries
from hom.testing.broker import OwnRedis, celery_publishing_to, free_port
from migrants.tasks import requeue_stale_imports


@pytest.fixture
def own_broker(settings):
    if not OwnRedis.available():
        pytest.skip("no redis-server on this machine")
    redis = OwnRedis(free_port(6390, 6399))
    redis.start()
    settings.REDIS_URL = redis.url
    yield redis
    redis.stop()


def output(*arguments) -> str:
    out = StringIO()
    call_command("celery_queues", *arguments, stdout=out)
    return out.getvalue()


def lines(*arguments) -> list[list[str]]:
    return [line.split() for line in output(*arguments).splitlines()]


def test_the_command_counts_the_tasks_waiting_in_each_queue(own_broker):
    with celery_publishing_to(own_broker.url):
        rebuild_visit_summaries.apply_async(ignore_result=True)
        requeue_stale_imports.apply_async(ignore_result=True)
        requeue_stale_imports.apply_async(ignore_result=True)

        assert lines() == [["default", "0"], ["digests", "0"], ["sms", "0"], ["imports", "2"], ["reports", "1"]]
        assert lines("celery") == [["celery", "0"]]


def test_without_a_broker_the_command_says_tasks_run_at_once(settings):
    settings.REDIS_URL = ""

    assert output() == "no broker (REDIS_URL is empty): tasks run at once, in the process that sends them\n"
