"""The import task: eager in unit tests, and once with a real Celery worker over Redis."""
import pytest
from django.conf import settings

from hom.celery import ALL_QUEUES, app
from migrants import imports
from migrants.models import ImportStatus, Migrant, MigrantImport
from migrants.tasks import run_migrant_import

HEADERS = ["Prénom", "Nom", "Commune"]


def ready_import(office, user, count=3):
    migrant_import = imports.import_create(
        office=office, uploaded_by=user, file_name="x.csv", headers=HEADERS,
        rows=[[f"Awa{index}", "Sané", "Sédhiou"] for index in range(count)],
    )
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    imports.import_queue(migrant_import=migrant_import)
    return migrant_import


def test_the_task_imports_a_queued_import_once(users, office):
    migrant_import = ready_import(office, users["advisor"])

    run_migrant_import.delay(migrant_import.pk)
    run_migrant_import.delay(migrant_import.pk)

    migrant_import.refresh_from_db()
    assert migrant_import.status == ImportStatus.DONE and Migrant.objects.count() == 3


def test_the_task_returns_quietly_when_the_import_is_gone(db):
    assert run_migrant_import.delay(123456).get() is None


@pytest.fixture
def real_worker(reference_data):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: the real-worker test needs a Redis broker")
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    with start_worker(app, queues=ALL_QUEUES, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_a_real_worker_runs_the_import(real_worker, users, office):
    migrant_import = ready_import(office, users["advisor"], count=5)

    run_migrant_import.delay(migrant_import.pk).get(timeout=30)

    assert MigrantImport.objects.get(pk=migrant_import.pk).imported_count == 5
    assert Migrant.objects.filter(office=office).count() == 5
