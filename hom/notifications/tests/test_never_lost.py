"""A digest left "claimed" (its worker died, its SMTP server hung) is sent later, once; a soft time
limit is retried, not dropped. The real-worker versions are in test_faults.py."""
import importlib
from datetime import timedelta
from unittest import mock

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hom.notifications import services
from hom.notifications.models import Digest, DigestState
from hom.notifications.tasks import requeue_stale_digests, send_digest
from hom.notifications.tests.conftest import TODAY
from projects.tasks import dossier_notify_promoter


def _claimed_by_a_dead_worker(recipient, minutes_ago):
    return Digest.objects.create(
        recipient=recipient, day=TODAY, state=DigestState.CLAIMED,
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_digest_claimed_by_a_worker_that_died_is_sent_once_after_its_lease(
    users, follow_up, today, django_capture_on_commit_callbacks
):
    follow_up(TODAY)
    _claimed_by_a_dead_worker(users["advisor"], minutes_ago=5)

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_digests.delay().get() == 0  # within its lease: the worker may still be sending
    assert mail.outbox == []

    Digest.objects.update(claimed_at=timezone.now() - services.CLAIM_LEASE - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_digests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_digests.delay().get() == 0

    assert [email.to for email in mail.outbox] == [["advisor@example.sn"]]
    digest = Digest.objects.get()
    assert (digest.state, digest.attempts) == (DigestState.SENT, 2)


def test_old_stale_claims_are_left_alone(users, follow_up, today):
    digest = _claimed_by_a_dead_worker(users["advisor"], minutes_ago=60)
    Digest.objects.filter(pk=digest.pk).update(day=TODAY - timedelta(days=services.STALE_DIGEST_MAX_AGE_DAYS + 1))

    assert services.digests_stale() == []


def test_a_soft_time_limit_during_the_email_is_retried_and_the_digest_sent_once(
    users, follow_up, today, retries_like_a_worker
):
    follow_up(TODAY)
    real_send = services._send_email
    calls = []

    def slow_then_fine(**kwargs):
        calls.append(kwargs["recipient"].email)
        if len(calls) == 1:
            raise SoftTimeLimitExceeded()
        return real_send(**kwargs)

    with mock.patch.object(services, "_send_email", side_effect=slow_then_fine):
        send_digest.delay(users["advisor"].pk, TODAY.isoformat())

    assert calls == ["advisor@example.sn", "advisor@example.sn"]
    assert [email.to for email in mail.outbox] == [["advisor@example.sn"]]
    digest = Digest.objects.get()
    assert (digest.state, digest.attempts) == (DigestState.SENT, 2)


def test_the_idempotent_tasks_go_back_to_the_broker_when_their_worker_dies():
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    for task in (send_digest, requeue_stale_digests, dossier_notify_promoter):
        assert task.acks_late and task.reject_on_worker_lost
    assert settings.EMAIL_TIMEOUT == 30


def test_the_migration_schedules_the_requeue_every_five_minutes(db):
    migration = importlib.import_module("hom.notifications.migrations.0005_stale_digest_schedule")
    migration.create_schedule(django_apps, None)
    migration.create_schedule(django_apps, None)

    task = PeriodicTask.objects.get(task="hom.notifications.tasks.requeue_stale_digests")

    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
