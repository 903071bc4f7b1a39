"""The outbox: a dossier move or an import start is saved with its queued work; a broker that is
down delays the work, never loses it, and never turns the saved change into an error page."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.outbox import services
from hom.outbox.models import OutboxMessage
from hom.outbox.tasks import outbox_drain
from hom.testing.broker import DEAD_BROKER_URL, celery_publishing_to
from migrants import imports
from migrants.models import ImportStatus, Migrant
from migrants.tests.factories import MigrantFactory
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

TASK = "projects.tasks.dossier_notify_promoter"


@pytest.fixture
def dossier(users, office):
    promoter = MigrantFactory(office=office, user=users["migrant"], first_name="Ousmane", last_name="Diédhiou")
    dossier = DossierFactory(promoter=promoter, title="Poulailler de Marsassoum")
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=1_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=200_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=800_000)
    return dossier


def test_a_dossier_move_while_the_broker_is_down_is_saved_and_told_once_when_it_is_back(
    client, users, dossier, django_capture_on_commit_callbacks
):
    client.force_login(users["migrant"])
    with celery_publishing_to(DEAD_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": DossierStatus.SUBMITTED})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    waiting = OutboxMessage.objects.get()
    assert waiting.published_at is None and waiting.attempts == 1 and "111" in waiting.last_error
    assert not Notification.objects.filter(kind=DOSSIER_MOVED).exists() and mail.outbox == []

    # The broker is back (eager tasks here): the beat task publishes the notice, once.
    assert outbox_drain.delay().get() == 1
    assert outbox_drain.delay().get() == 0

    notice = Notification.objects.get(kind=DOSSIER_MOVED)
    assert notice.recipient == users["migrant"] and dossier.reference in notice.title
    assert [email.to for email in mail.outbox] == [[users["migrant"].email]]
    assert OutboxMessage.objects.get().published_at is not None


def test_an_import_started_while_the_broker_is_down_stays_queued_and_runs_when_it_is_back(
    client, users, office, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "SYNC_ROW_LIMIT", 2)
    migrant_import = imports.import_create(
        office=office, uploaded_by=users["advisor"], file_name="x.csv", headers=["Prénom", "Nom", "Commune"],
        rows=[[f"Awa{index}", "Sané", "Sédhiou"] for index in range(3)],
    )
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    client.force_login(users["advisor"])

    with celery_publishing_to(DEAD_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("migrants:import_start", args=[migrant_import.pk]))
        page = client.get(migrant_import.get_absolute_url())

    assert started.status_code == 302 and page.status_code == 200
    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.QUEUED
    assert OutboxMessage.objects.get().task == "migrants.tasks.run_migrant_import"

    assert services.outbox_drain() == 1
    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.DONE and Migrant.objects.filter(office=office).count() == 3


def test_the_queued_work_is_saved_with_the_change_or_not_at_all(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            services.outbox_enqueue(task=TASK, args=[1])
            raise RuntimeError("the change failed")

    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_a_refused_move_queues_nothing(client, users, dossier, django_capture_on_commit_callbacks):
    client.force_login(users["migrant"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": DossierStatus.FUNDED})

    assert not OutboxMessage.objects.exists()


def test_each_row_is_published_once_and_a_publisher_that_died_is_taken_over_after_its_lease(db, monkeypatch):
    published = []
    monkeypatch.setattr("projects.tasks.dossier_notify_promoter.apply_async", lambda **kwargs: published.append(kwargs))
    message = OutboxMessage.objects.create(task=TASK, args=[7])
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now())

    assert services.outbox_publish(message_id=message.pk) is False  # another publisher holds it

    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
    assert services.outbox_publish(message_id=message.pk) is True
    assert services.outbox_publish(message_id=message.pk) is False
    assert services.outbox_drain() == 0
    assert published == [{"args": [7], "retry": False, "ignore_result": True}]


def test_a_task_name_with_a_typo_fails_where_it_is_written(db):
    with pytest.raises(ImportError):
        services.outbox_enqueue(task="projects.tasks.no_such_task", args=[1])


def test_the_beat_schedule_drains_every_minute(db):
    import importlib

    from django.apps import apps as django_apps
    from django_celery_beat.models import PeriodicTask

    # The data migration's own function, run again: transactional tests may have flushed its row.
    migration = importlib.import_module("hom.outbox.migrations.0002_drain_schedule")
    migration.create_schedule(django_apps, None)
    migration.create_schedule(django_apps, None)
    task = PeriodicTask.objects.get(task="hom.outbox.tasks.outbox_drain")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_national_admin_reads_the_outbox_and_no_one_else_opens_it(client, users):
    message = OutboxMessage.objects.create(task=TASK, args=[7], last_error="OperationalError: refused")
    changelist = reverse("admin:outbox_outboxmessage_changelist")

    client.force_login(users["superuser"])
    assert "OperationalError: refused" in client.get(changelist).content.decode()
    assert client.get(reverse("admin:outbox_outboxmessage_change", args=[message.pk])).status_code == 200
    assert client.post(reverse("admin:outbox_outboxmessage_delete", args=[message.pk]), {"post": "yes"}).status_code == 302
    assert not OutboxMessage.objects.exists()

    client.force_login(users["admin"])
    assert client.get(changelist).status_code == 403


def _import(users, office, rows):
    migrant_import = imports.import_create(
        office=office, uploaded_by=users["advisor"], file_name="x.csv", headers=["Prénom", "Nom", "Commune"],
        rows=rows,
    )
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    return migrant_import


def test_an_import_that_is_not_ready_queues_nothing(client, users, office, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "SYNC_ROW_LIMIT", 1)
    migrant_import = _import(users, office, [["Awa", "Sané", "Sédhiou"], ["", "", "Nulle-Part"]])
    assert migrant_import.status == ImportStatus.INVALID
    client.force_login(users["advisor"])

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("migrants:import_start", args=[migrant_import.pk]), follow=True)

    assert "Cet import n’est pas prêt" in page.content.decode()
    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.INVALID and not OutboxMessage.objects.exists()


def test_a_small_import_runs_at_once_without_the_outbox(client, users, office, django_capture_on_commit_callbacks):
    migrant_import = _import(users, office, [["Awa", "Sané", "Sédhiou"], ["Fatou", "Diatta", "Sédhiou"]])
    client.force_login(users["advisor"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:import_start", args=[migrant_import.pk]))

    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.DONE and migrant_import.imported_count == 2
    assert not OutboxMessage.objects.exists()
