"""Fixtures of the fault tests that use real processes: their own redis-server (ports 6390-6399,
never the shared one) and their own Celery worker process, which must be killable.

The worker is a separate process, so it needs the test's committed data in a database it can
reach: PostgreSQL (SQLite's test database lives in the test process's memory). A module uses
them with ``pytestmark = pytest.mark.postgresql(reason=...)`` and the ``committed`` fixture.
"""
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from hom.celery import ALL_QUEUES
from hom.testing.broker import OwnRedis, free_port


@pytest.fixture
def fault_setup():
    # Skips before the transactional database is set up, so a skipped test flushes nothing.
    if connection.vendor != "postgresql":
        pytest.skip("the worker runs in its own process and reads the test's data: needs PostgreSQL")
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: the fault tests need Redis (they start their own redis-server)")
    if not OwnRedis.available():
        pytest.skip("no redis-server on this machine")


@pytest.fixture
def committed(fault_setup, transactional_db, django_db_serialized_rollback, reference_data):
    """Committed data (the worker process reads it); the serialized rollback restores the reference data."""


@pytest.fixture
def own_redis(fault_setup):
    redis = OwnRedis(free_port(6390, 6399))
    yield redis
    redis.stop()


@pytest.fixture
def worker_processes(own_redis):
    """def start(queues=ALL_QUEUES, **environment) -> a Celery worker process on the test's own Redis
    and database, consuming ``queues`` (every HOM queue unless a test splits them).

    Each other keyword is an environment variable of the worker (``EMAIL_URL="smtp://…"``); workers
    still running at the end are stopped."""
    workers = []
    database = connection.settings_dict

    def start(queues=ALL_QUEUES, **environment):
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}",
            "REDIS_URL": own_redis.url,
            "CONN_MAX_AGE": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "0",
            **{name: str(value) for name, value in environment.items()},
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "hom", "worker", "-Q", ",".join(queues),
             "--hostname", f"test{len(workers)}@%h", "-P", "solo", "-c", "1", "-l", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_until(condition, timeout=30, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
