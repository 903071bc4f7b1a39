"""Point the test process's Celery app at a broker (a dead port, or a test's own redis-server).

Tests run with eager tasks; these helpers make the app publish for real, and put it back.
"""
import contextlib
import shutil
import socket
import subprocess
import time

from celery.result import allow_join_result
from kombu import pools as kombu_pools

from hom.celery import app

# Nothing listens on port 1: connecting is refused at once.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


def _reset_pools():
    # kombu keeps producer pools per connection URL: a pool closed here must not be handed out again.
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)  # the result backend, cached per thread


@contextlib.contextmanager
def celery_publishing_to(url: str, *, result_backend: str | None = None):
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.result_backend = result_backend
    _reset_pools()
    try:
        # An in-process test worker run earlier (celery.contrib.testing) may leave the process
        # marked as "inside a task"; this process is the client here, and waits for results.
        with allow_join_result():
            yield app
    finally:
        _reset_pools()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend = previous


def free_port(first: int = 6390, last: int = 6399) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {first}-{last}")


class OwnRedis:
    """A throw-away redis-server on its own port (never the shared one on 6379): start, stop, start again."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self, timeout: float = 10) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
