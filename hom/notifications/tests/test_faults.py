"""Faults with real processes: a worker killed mid-send, an SMTP server that never answers, Redis
down during a dossier move. Each test starts its OWN redis-server (ports 6390-6399, never the
shared one), its own Celery worker process and a local SMTP server, and stays within tens of seconds.

The worker is a separate process (it must be killable), so it needs the test's committed data in a
database it can reach: PostgreSQL (SQLite's test database lives in this process's memory).
"""
import os
import signal
import socketserver
import threading
import time

import pytest
from django.db.models import F
from django.urls import reverse

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.notifications import services
from hom.notifications.models import DOSSIER_MOVED, Digest, DigestState, Notification
from hom.notifications.tasks import requeue_stale_digests, send_digest
from hom.notifications.tests.test_exactly_once import _advisors_with_follow_ups
from hom.outbox.models import OutboxMessage
from hom.outbox.tasks import outbox_drain
from hom.territories.models import Region
from hom.testing.broker import celery_publishing_to
from hom.testing.faults import wait_until

pytestmark = pytest.mark.postgresql(reason="the worker runs in its own process and reads the test's data: needs PostgreSQL")


class FakeSMTP(socketserver.ThreadingTCPServer):
    """A local SMTP server: ``silent`` accepts connections and says nothing; ``answer`` takes the mail."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.mode = "silent"
        self.connections = 0
        self.messages: list[tuple[list[str], bytes]] = []
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.port = self.server_address[1]


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _say(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.server.connections += 1
        if self.server.mode == "silent":
            try:
                while self.request.recv(1024):
                    pass
            except OSError:
                pass
            return
        self._say("220 fake ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._say("250-fake")
                self._say("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self._say("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 go ahead")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data)
                self.server.messages.append((recipients, b"".join(body)))
                self._say("250 OK queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 OK")


@pytest.fixture
def smtp():
    server = FakeSMTP()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def start_worker(worker_processes, smtp):
    """def start(email_timeout=...) -> a Celery worker process on the test's own Redis, its SMTP and database."""

    def start(email_timeout=5):
        return worker_processes(
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}", EMAIL_TIMEOUT=email_timeout, DIGEST_RETRY_BACKOFF_SECONDS=1
        )

    return start


def _digest():
    return Digest.objects.filter().first()


def test_a_worker_killed_during_the_smtp_step_leaves_a_digest_sent_once_after_the_lease(
    committed, own_redis, smtp, start_worker
):
    (advisor,), today = _advisors_with_follow_ups(1)
    own_redis.start()
    worker = start_worker(email_timeout=60)
    with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
        send_digest.delay(advisor.pk, today.isoformat())
        # The worker has claimed the digest and is talking to an SMTP server that says nothing.
        wait_until(lambda: smtp.connections >= 1 and _digest() is not None, what="the worker in the SMTP step")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert _digest().state == DigestState.CLAIMED and smtp.messages == []

        smtp.mode = "answer"
        start_worker()
        # Within the lease nothing is queued again (the worker might still be sending)...
        assert requeue_stale_digests.delay().get(timeout=30) == 0
        # ...after it, the re-queue task gives the digest to a worker again, once.
        Digest.objects.update(claimed_at=F("claimed_at") - services.CLAIM_LEASE)
        assert requeue_stale_digests.delay().get(timeout=30) == 1
        wait_until(lambda: _digest().state == DigestState.SENT, what="the digest sent")
        assert requeue_stale_digests.delay().get(timeout=30) == 0
        time.sleep(1)

    assert [recipients for recipients, _body in smtp.messages] == [[advisor.email]]
    assert _digest().attempts == 2


def test_an_smtp_server_that_never_answers_times_out_and_the_digest_is_sent_once_when_it_answers(
    committed, own_redis, smtp, start_worker
):
    (advisor,), today = _advisors_with_follow_ups(1)
    own_redis.start()
    start_worker(email_timeout=2)
    with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
        send_digest.delay(advisor.pk, today.isoformat())
        wait_until(lambda: getattr(_digest(), "state", None) == DigestState.FAILED, what="the SMTP timeout")
        assert "timed out" in _digest().last_error.lower()

        smtp.mode = "answer"
        wait_until(lambda: _digest().state == DigestState.SENT, timeout=40, what="the retried digest sent")
        time.sleep(1)

    assert [recipients for recipients, _body in smtp.messages] == [[advisor.email]]
    assert _digest().attempts >= 2


def test_redis_down_during_a_dossier_move_saves_it_and_tells_the_promoter_once_when_redis_is_back(
    committed, own_redis, smtp, start_worker, client
):
    from migrants.tests.factories import MigrantFactory
    from projects.models import DossierStatus
    from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    account = UserFactory(role=Role.MIGRANT, email="awa@example.sn")
    dossier = DossierFactory(promoter=MigrantFactory(office=office, user=account))
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=1_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=200_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=800_000)
    smtp.mode = "answer"
    client.force_login(account)

    # Redis is down (not started yet): the move is saved, the page answers at once.
    with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
        started = time.monotonic()
        response = client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": DossierStatus.SUBMITTED})
        elapsed = time.monotonic() - started
        assert response.status_code == 302 and elapsed < 15
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.SUBMITTED
        assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 1

        # Redis is back: beat's drain (here queued by hand) publishes the notice, once.
        own_redis.start()
        start_worker()
        assert outbox_drain.delay().get(timeout=30) == 1
        wait_until(lambda: len(smtp.messages) >= 1, what="the promoter's email")
        assert outbox_drain.delay().get(timeout=30) == 0
        time.sleep(1)

    assert [recipients for recipients, _body in smtp.messages] == [["awa@example.sn"]]
    assert Notification.objects.filter(recipient=account, kind=DOSSIER_MOVED).count() == 1

