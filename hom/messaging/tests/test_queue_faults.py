"""The point of the queues (README, "Celery workers and queues"): an import that holds the slow worker
does not hold back an SMS published after it, which the quick worker sends.

Real processes: the test's own redis-server and two worker processes started as the Procfile starts
them (``-Q default,digests,sms`` and ``-Q imports,reports``, hom/testing/faults.py), so PostgreSQL
(the workers read the test's committed data) and REDIS_URL are needed. The import is held by a
lock another session takes on its history table: it waits there, inside its run, for as long as
the test wants. Were every task in one queue, the quick worker would be the one waiting and the
SMS would not be sent.
"""

import psycopg2
import pytest
from django.db import connection

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.celery import QUICK_QUEUES, SLOW_QUEUES
from hom.messaging import services
from hom.messaging.models import Channel, Message, MessageStatus
from hom.territories.models import Region
from hom.testing.broker import celery_publishing_to
from hom.testing.faults import wait_until
from migrants.models import ImportStatus, MigrantImport
from migrants.tasks import run_migrant_import
from migrants.tests.test_import_faults import _waiting_on_the_history, queued_import

from .conftest import NUMBER

pytestmark = pytest.mark.postgresql(
    reason="the workers run in their own processes and read the test's data: needs PostgreSQL"
)


def test_an_sms_is_sent_by_the_quick_worker_while_an_import_holds_the_slow_one(
    committed, own_redis, gateway, worker_processes, settings
):
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    migrant_import = queued_import(office, UserFactory(role=Role.ADVISOR, office=office), 20)
    gateway.answers = [(200, {"id": "gw-quick"})]
    url = f"json+http://tok@{gateway.address}/sms"
    settings.SMS_URL = url
    settings.SMS_QUIET_HOURS = "0-0"  # whatever the hour the suite runs at
    environment = {"SMS_URL": url, "SMS_QUIET_HOURS": "0-0"}
    own_redis.start()
    worker_processes(queues=QUICK_QUEUES, **environment)
    worker_processes(queues=SLOW_QUEUES, **environment)
    blocker = psycopg2.connect(**connection.get_connection_params())
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE migrants_historicalmigrant IN EXCLUSIVE MODE")
        with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
            run_migrant_import.delay(migrant_import.pk)
            # A worker has taken the import and waits inside its run (the persons written, not their history).
            wait_until(lambda: _waiting_on_the_history(connection), timeout=60, what="the import's run held")

            message = services.message_enqueue(key="notice:queues", channel=Channel.SMS, to=NUMBER, body="Bonjour")
            # Published to "sms" after the commit: the quick worker sends it within seconds, the import still held.
            wait_until(
                lambda: Message.objects.get(pk=message.pk).status == MessageStatus.SENT,
                timeout=10,
                what="the SMS sent while the import is held",
            )
            assert _waiting_on_the_history(connection)
            # Nothing of the import is committed yet: its claim and its rows are in the held transaction.
            assert MigrantImport.objects.get(pk=migrant_import.pk).status == ImportStatus.QUEUED

            blocker.rollback()  # the lock goes: the slow worker finishes the import
            wait_until(
                lambda: MigrantImport.objects.get(pk=migrant_import.pk).status == ImportStatus.DONE,
                timeout=60,
                what="the import done once released",
            )
    finally:
        blocker.close()

    assert Message.objects.get(pk=message.pk).provider_id == "gw-quick"
    assert len(gateway.requests) == 1
    assert MigrantImport.objects.get(pk=migrant_import.pk).imported_count == 20
