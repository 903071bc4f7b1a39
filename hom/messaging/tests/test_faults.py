"""A real Celery worker killed while the gateway holds its request: the message is taken again after
the lease by the beat task, and sent. Its own redis-server and worker process (hom/testing/faults.py),
so PostgreSQL (the worker reads the test's committed data) and REDIS_URL are needed."""
import os
import signal
import threading
import time

import pytest
from django.db.models import F

from hom.messaging import services
from hom.messaging.models import Channel, Message, MessageStatus
from hom.messaging.tasks import messages_send_due
from hom.testing.broker import celery_publishing_to
from hom.testing.faults import wait_until

from .conftest import NUMBER

pytestmark = pytest.mark.postgresql(reason="the worker runs in its own process and reads the test's data: needs PostgreSQL")


def test_a_worker_killed_at_the_gateway_leaves_a_message_sent_after_the_lease(
    committed, own_redis, gateway, worker_processes, settings
):
    gateway.hang_first = threading.Event()
    gateway.answers = [(200, {"id": "gw-after-crash"})]
    url = f"json+http://tok@{gateway.address}/sms"
    settings.SMS_URL = url
    settings.SMS_QUIET_HOURS = "0-0"  # whatever the hour the suite runs at
    environment = {"SMS_URL": url, "MESSAGING_TIMEOUT": 60, "SMS_QUIET_HOURS": "0-0"}
    own_redis.start()
    worker = worker_processes(**environment)
    with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
        message = services.message_enqueue(key="notice:crash", channel=Channel.SMS, to=NUMBER, body="Bonjour")
        # Published after the commit; the worker claims it and waits at a gateway that does not answer.
        wait_until(lambda: len(gateway.requests) == 1, timeout=60, what="the worker at the gateway")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        message.refresh_from_db()
        assert message.status == MessageStatus.QUEUED and message.claimed_at is not None and message.attempts == 1

        worker_processes(**environment)
        # Within the lease nothing is taken again (the worker might still be sending)...
        assert messages_send_due.delay().get(timeout=60) == 0
        # ...after it, the beat task gives the message to a worker again, once.
        Message.objects.update(claimed_at=F("claimed_at") - services.SEND_LEASE)
        assert messages_send_due.delay().get(timeout=60) == 1
        wait_until(lambda: Message.objects.get().status == MessageStatus.SENT, timeout=60, what="the message sent")
        assert messages_send_due.delay().get(timeout=60) == 0
        time.sleep(1)

    message.refresh_from_db()
    assert message.attempts == 2 and message.provider_id == "gw-after-crash"
    # The gateway saw the hung request and the one after the lease: the same reference, which it may deduplicate.
    assert len(gateway.requests) == 2 and gateway.requests[0].json() == gateway.requests[1].json()
