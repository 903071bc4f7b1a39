"""Two workers, two requests at once, on PostgreSQL: the claim and the unique key keep it once."""
import threading
import time

import pytest
from django.db import connection, transaction

from hom.messaging import services
from hom.messaging.backends.local import FileBackend
from hom.messaging.models import Channel, Message, MessageStatus
from hom.outbox.models import OutboxMessage

from .conftest import NUMBER

pytestmark = pytest.mark.postgresql(reason="concurrent writers need PostgreSQL; SQLite serialises every write anyway")


@pytest.fixture
def postgresql_only():
    # Skips before the transactional database is set up, so a skipped test flushes nothing.
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write anyway")


def run_at_once(target, count=2):
    barrier, results, failures = threading.Barrier(count), [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as error:  # collected and asserted in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    return results


def test_two_workers_sending_one_message_at_once_call_the_gateway_once(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data, settings, daytime, monkeypatch
):
    settings.SMS_URL = "file:///nowhere"
    calls = []

    def slow_send(backend, message):
        calls.append(message.pk)
        time.sleep(0.3)  # the other worker arrives while this one is at the gateway
        return "gw-1"

    monkeypatch.setattr(FileBackend, "send", slow_send)
    # Queued but not published (message_enqueue would publish it at once here: every statement commits).
    message = Message.objects.create(key="notice:1", channel=Channel.SMS, to=NUMBER, body="Bonjour")

    results = run_at_once(lambda: services.message_send(message_id=message.pk))

    assert calls == [message.pk]
    assert sorted(result is None for result in results) == [False, True]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_two_requests_queuing_the_same_notice_at_once_make_one_message(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data, daytime
):
    def enqueue():
        with transaction.atomic():
            message = services.message_enqueue(key="notice:7", channel=Channel.SMS, to=NUMBER, body="Bonjour")
            time.sleep(0.2)  # the other request inserts meanwhile, and waits for this commit
            return message.pk

    results = run_at_once(enqueue)

    assert len(set(results)) == 1 and Message.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_the_daily_cap_holds_when_many_requests_write_to_one_number_at_once(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data, settings, daytime
):
    settings.SMS_DAILY_CAP = 2
    counter = iter(range(100))
    lock = threading.Lock()

    def enqueue():
        with lock:
            key = f"campaign:{next(counter)}"
        with transaction.atomic():
            return services.message_enqueue(key=key, channel=Channel.SMS, to=NUMBER, body="Bonjour").status

    statuses = run_at_once(enqueue, count=4)

    assert sorted(statuses) == ["failed", "failed", "queued", "queued"]
    assert Message.objects.exclude(status=MessageStatus.FAILED).count() == 2  # queued, then sent (committed)
