"""The daily task fans out one digest per person; a failing email is retried and blocks no one."""
import importlib
from datetime import timedelta

from django.apps import apps as django_apps
from django.core import mail
from django_celery_beat.models import PeriodicTask

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.models import Digest, DigestState
from hom.notifications.tasks import send_daily_digests, send_digest
from hom.notifications.tests.conftest import TODAY


def test_the_daily_task_sends_one_digest_to_each_person_with_something_due(
    users, office, follow_up, today, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role=Role.ADVISOR, office=office, email="colleague@example.sn")
    follow_up(TODAY)
    follow_up(TODAY - timedelta(days=2), advisor=colleague)
    follow_up(TODAY + timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_daily_digests.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digests.delay(TODAY.isoformat()).get()

    assert queued == 2
    assert sorted(email.to[0] for email in mail.outbox) == ["advisor@example.sn", "colleague@example.sn"]


def test_an_smtp_failure_for_one_person_is_retried_and_the_others_still_get_theirs(
    users, office, follow_up, today, flaky_email, django_capture_on_commit_callbacks, retries_like_a_worker
):
    colleague = UserFactory(role=Role.ADVISOR, office=office, email="colleague@example.sn")
    follow_up(TODAY)
    follow_up(TODAY, advisor=colleague)
    flaky_email["advisor@example.sn"] = 2

    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digests.delay(TODAY.isoformat())

    assert sorted(email.to[0] for email in mail.outbox) == ["advisor@example.sn", "colleague@example.sn"]
    digest = Digest.objects.get(recipient=users["advisor"])
    assert (digest.state, digest.attempts) == (DigestState.SENT, 3)


def test_the_digest_task_returns_quietly_for_a_person_who_is_gone(db):
    assert send_digest.delay(987654, TODAY.isoformat()).get() is None


def test_the_tasks_are_acked_late_with_time_limits():
    assert send_digest.acks_late and send_daily_digests.acks_late
    assert send_digest.time_limit and send_daily_digests.time_limit


def test_the_migration_puts_the_schedule_in_the_admin_at_half_past_seven_in_dakar(db):
    # The data migration's own function, run again: transactional tests may have flushed its row.
    migration = importlib.import_module("hom.notifications.migrations.0002_daily_digest_schedule")
    migration.create_schedule(django_apps, None)
    migration.create_schedule(django_apps, None)

    task = PeriodicTask.objects.get(task="hom.notifications.tasks.send_daily_digests")

    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "30", "Africa/Dakar")
