"""Faults during an import's run: a crash mid-run, a lost message, a worker killed. Nothing is lost
(the import runs in the end), nothing is done twice (each row becomes one person, once)."""
import os
import signal
from datetime import timedelta

import psycopg2
import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from hom.outbox.models import OutboxMessage
from hom.outbox.tasks import outbox_drain
from hom.testing.broker import celery_publishing_to
from hom.testing.faults import wait_until
from migrants import imports, services
from migrants.models import ImportStatus, Migrant, MigrantImport
from migrants.tasks import requeue_stale_imports, run_migrant_import
from migrants.tests.test_imports import HEADERS, person_row


def queued_import(office, user, count):
    migrant_import = imports.import_create(office=office, uploaded_by=user, file_name="x.csv", headers=HEADERS,
                                           rows=[person_row(index) for index in range(count)])
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    assert imports.import_queue(migrant_import=migrant_import)
    return migrant_import


class Crash(Exception):
    """Stands for a worker lost mid-run: not a validation error, nothing catches it."""


def test_a_run_that_crashes_midway_leaves_no_person_and_the_import_queued_for_the_next_run(office, users,
                                                                                           monkeypatch):
    migrant_import = queued_import(office, users["advisor"], 5)
    write_history = services.history_created

    def crash_once_the_persons_are_written(**arguments):
        assert Migrant.objects.count() == 5  # written, not committed
        raise Crash

    monkeypatch.setattr(services, "history_created", crash_once_the_persons_are_written)
    with pytest.raises(Crash):
        imports.import_run(migrant_import=migrant_import)

    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.QUEUED and not Migrant.objects.exists()

    monkeypatch.setattr(services, "history_created", write_history)
    imports.import_run(migrant_import=migrant_import)
    imports.import_run(migrant_import=migrant_import)

    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.DONE and migrant_import.imported_count == 5
    assert Migrant.objects.count() == 5 and Migrant.history.count() == 5


def test_a_lost_run_is_published_again_after_ten_minutes_once(office, users):
    migrant_import = queued_import(office, users["advisor"], 2)
    done = queued_import(office, users["advisor"], 1)
    imports.import_run(migrant_import=done)
    OutboxMessage.objects.all().delete()

    # Within ten minutes the run may still be on its way: nothing is published again.
    assert requeue_stale_imports.delay().get() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert requeue_stale_imports.delay().get() == 1
        # The next sweep finds it fresh again: one message, not one per sweep.
        assert requeue_stale_imports.delay().get() == 0
    assert list(OutboxMessage.objects.values_list("task", "args")) == [
        ("migrants.tasks.run_migrant_import", [migrant_import.pk])
    ]


def test_the_requeue_is_scheduled_in_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="migrants.tasks.requeue_stale_imports")
    assert task.enabled and task.interval.every == 10 and task.interval.period == "minutes"


def _waiting_on_the_history(connection_) -> bool:
    """True while a run waits to write its persons' history (the persons are written, not committed)."""
    with connection_.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_locks WHERE NOT granted AND relation = 'migrants_historicalmigrant'::regclass")
        return cursor.fetchone() is not None


def _locked_by_a_run(pk) -> bool:
    """True while a run's transaction holds the import's row (the worker is importing)."""
    try:
        with transaction.atomic():
            list(MigrantImport.objects.select_for_update(nowait=True).filter(pk=pk).values_list("pk"))
    except OperationalError:
        return True
    return False


@pytest.mark.postgresql(reason="the worker runs in its own process and reads the test's data: needs PostgreSQL")
def test_a_worker_killed_mid_import_loses_nothing_and_imports_each_row_once(committed, own_redis,
                                                                            worker_processes):
    from hom.accounts.models import Role
    from hom.accounts.tests.factories import OfficeFactory, UserFactory
    from hom.territories.models import Region

    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(role=Role.ADVISOR, office=office)
    rows = 1000
    migrant_import = queued_import(office, advisor, rows)
    own_redis.start()
    worker = worker_processes()
    # The batch writes a thousand rows in a blink: another session holds the history table, so the
    # run stops after writing the persons, before their history, and is killed there.
    blocker = psycopg2.connect(**connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE migrants_historicalmigrant IN EXCLUSIVE MODE")
    with celery_publishing_to(own_redis.url, result_backend=own_redis.url):
        run_migrant_import.delay(migrant_import.pk)
        wait_until(lambda: _waiting_on_the_history(connection), what="the worker writing the history")
        assert _locked_by_a_run(migrant_import.pk)  # persons written, none committed
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.rollback()
        blocker.close()
        # The killed run's transaction is rolled back by PostgreSQL: no person, the import QUEUED again.
        wait_until(lambda: not _locked_by_a_run(migrant_import.pk), what="the killed run rolled back")
        migrant_import.refresh_from_db()
        assert migrant_import.status == ImportStatus.QUEUED
        assert not Migrant.objects.filter(office=office).exists()

        # Ten minutes later the beat's sweep publishes it again (through the outbox) and a new worker runs it.
        MigrantImport.objects.filter(pk=migrant_import.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
        worker_processes()
        assert requeue_stale_imports.delay().get(timeout=120) == 1
        outbox_drain.delay().get(timeout=120)
        wait_until(lambda: MigrantImport.objects.get(pk=migrant_import.pk).status == ImportStatus.DONE,
                   timeout=240, what="the import done")

    assert Migrant.objects.filter(office=office).count() == rows
    assert MigrantImport.objects.get(pk=migrant_import.pk).imported_count == rows
    connection.close()
