"""Exactly once under concurrency (two threads on PostgreSQL) and with a real Celery worker on Redis.

Both need committed data (transactional tests); the serialized rollback puts the reference
data back after them, for the live-server tests that follow.
"""
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.notifications import services
from hom.notifications.models import Digest, DigestState, Notification, Reminder
from hom.notifications.tasks import send_daily_digests, send_digest
from hom.notifications.tests.backends import FlakyEmailBackend
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory, VisitFactory


def _advisors_with_follow_ups(count, *, per_advisor=2):
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    advisors = [UserFactory(role=Role.ADVISOR, office=office, email=f"advisor{n}@example.sn") for n in range(count)]
    today = timezone.localdate()
    for advisor in advisors:
        for days_late in range(per_advisor):
            VisitFactory(
                migrant=MigrantFactory(office=office),
                follow_up_on=today - timedelta(days=days_late),
                follow_up_advisor=advisor,
            )
    return advisors, today


@pytest.fixture
def postgresql_only():
    # Skips before the transactional database is set up, so a skipped test flushes nothing.
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write anyway")


@pytest.mark.postgresql(reason="concurrent writers need PostgreSQL; SQLite serialises every write anyway")
def test_two_runs_at_the_same_time_send_each_reminder_once(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data
):
    advisors, today = _advisors_with_follow_ups(3)
    start = threading.Barrier(2)
    failures = []

    def run_the_digests():
        try:
            start.wait()
            for advisor in advisors:
                services.digest_send(recipient=advisor, day=today)
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_the_digests) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(email.to[0] for email in mail.outbox) == sorted(advisor.email for advisor in advisors)
    assert Reminder.objects.count() == 6
    assert Notification.objects.count() == 6
    assert set(Digest.objects.values_list("state", flat=True)) == {DigestState.SENT}


@pytest.mark.postgresql(reason="concurrent writers need PostgreSQL; SQLite serialises every write anyway")
def test_two_workers_telling_the_same_dossier_move_at_once_make_one_notification_and_one_email(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data
):
    from projects.models import DossierStatus, DossierTransition
    from projects.services import notification_send_for_transition
    from projects.tests.factories import DossierFactory

    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    account = UserFactory(role=Role.MIGRANT, email="awa@example.sn")
    dossier = DossierFactory(
        promoter=MigrantFactory(office=office, user=account), status=DossierStatus.IN_REVIEW, submitted_at=timezone.now()
    )
    transition = DossierTransition.objects.create(
        dossier=dossier, from_status=DossierStatus.SUBMITTED, to_status=DossierStatus.IN_REVIEW,
        actor=UserFactory(role=Role.ADVISOR, office=office),
    )
    start = threading.Barrier(2)
    failures = []

    def tell():
        try:
            start.wait()
            notification_send_for_transition(transition=DossierTransition.objects.get(pk=transition.pk))
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tell) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert Notification.objects.filter(recipient=account, object_key=f"projects.transition:{transition.pk}").count() == 1
    assert [email.to for email in mail.outbox] == [["awa@example.sn"]]


@pytest.fixture
def redis_only():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: the real-worker test needs a Redis broker")


@pytest.fixture
def worker_pool():
    """One task at a time, unless a test asks for several threads (``@pytest.mark.parametrize``)."""
    return {"pool": "solo"}


@pytest.fixture
def real_worker(redis_only, django_db_serialized_rollback, reference_data, worker_pool):
    from celery.contrib.testing.worker import start_worker

    from hom.celery import ALL_QUEUES, app

    previous_backoff = send_digest.retry_backoff
    # Retries wait about a second here instead of a minute.
    send_digest.retry_backoff = 1
    app.conf.task_always_eager = False
    with start_worker(app, queues=ALL_QUEUES, perform_ping_check=False, shutdown_timeout=10, **worker_pool):
        yield
    app.conf.task_always_eager = True
    send_digest.retry_backoff = previous_backoff


def _wait_for_digests(count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Digest.objects.filter(state=DigestState.SENT).count() >= count:
            return
        time.sleep(0.2)


def test_a_real_worker_sends_the_daily_digests_once_and_retries_a_failed_email(real_worker, settings):
    settings.EMAIL_BACKEND = "hom.notifications.tests.backends.FlakyEmailBackend"
    FlakyEmailBackend.failures = {"advisor0@example.sn": 1}
    advisors, today = _advisors_with_follow_ups(3)

    queued = send_daily_digests.delay(today.isoformat()).get(timeout=30)
    _wait_for_digests(3)
    send_daily_digests.delay(today.isoformat()).get(timeout=30)
    time.sleep(1)

    assert queued == 3
    assert sorted(email.to[0] for email in mail.outbox) == [advisor.email for advisor in advisors]
    assert Digest.objects.get(recipient=advisors[0]).attempts == 2
    assert Reminder.objects.count() == 6
    assert "Relancer" in mail.outbox[0].body


@pytest.mark.postgresql(reason="concurrent writers need PostgreSQL; SQLite serialises every write anyway")
@pytest.mark.parametrize("worker_pool", [{"pool": "threads", "concurrency": 4}])
def test_a_real_worker_running_the_same_digests_at_the_same_time_sends_each_reminder_once(
    postgresql_only, real_worker
):
    advisors, today = _advisors_with_follow_ups(3)

    # Two runs of the day's digests queued together: four worker threads take them at once.
    runs = [send_daily_digests.delay(today.isoformat()) for _ in range(2)]
    assert [run.get(timeout=30) for run in runs] == [3, 3]
    _wait_for_digests(3)
    time.sleep(1)

    assert sorted(email.to[0] for email in mail.outbox) == [advisor.email for advisor in advisors]
    assert Reminder.objects.count() == 6
    assert Notification.objects.filter(reminder__isnull=False).count() == 6
    assert set(Digest.objects.values_list("state", flat=True)) == {DigestState.SENT}
