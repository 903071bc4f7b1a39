"""Celery queues (hom/celery.py, settings ``CELERY_TASK_ROUTES``, docs/deployment.md "Workers per queue").

Every task of HOM's apps has a route of its own to a declared queue, and the workers started as the
Procfile and the documentation say consume every queue between them: a new task, or a new queue,
cannot land where no worker reads.
"""

import re
import shlex
from pathlib import Path

import pytest
from celery import Celery
from django.apps import apps
from django.conf import settings

from hom.celery import ALL_QUEUES, QUICK_QUEUES, SLOW_QUEUES, app

WORKER_COMMAND = re.compile(r"celery -A hom worker[^`\n]*")
DOCUMENTED_IN = ("Procfile", "README.md", "docs/deployment.md")


def hom_tasks() -> list[str]:
    app.loader.import_default_modules()  # what a worker imports at start: every app's tasks module
    base = Path(settings.BASE_DIR).resolve()
    ours = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
    ]
    return sorted(name for name in app.tasks if any(name.startswith(f"{module}.") for module in ours))


def queues_consumed(command: str) -> set[str]:
    """The queues a worker started with ``command`` consumes, as the worker selects them from ``-Q``
    (in an app of its own, configured like HOM's, so the test's app is left as it is)."""
    arguments = shlex.split(command)
    assert "-Q" in arguments, f"{command!r} names no queue: it would consume only what is declared today"
    selected = arguments[arguments.index("-Q") + 1].split(",")
    worker_app = Celery("hom-queues-check", set_as_current=False)  # shared tasks keep resolving to HOM's app
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    worker_app.amqp.queues.select(selected)  # KeyError on an undeclared queue, as the worker refuses it
    return set(worker_app.amqp.queues.consume_from)


def documented_worker_commands(source: str) -> list[str]:
    return WORKER_COMMAND.findall((Path(settings.BASE_DIR) / source).read_text())


def test_the_queues_are_declared_and_split_in_quick_and_slow():
    assert [queue.name for queue in app.conf.task_queues] == list(ALL_QUEUES)
    assert set(QUICK_QUEUES) == {"default", "digests", "sms"} and set(SLOW_QUEUES) == {"imports", "reports"}
    assert app.conf.task_default_queue == "default"
    assert app.conf.task_create_missing_queues is False


def test_every_task_of_hom_has_a_route_of_its_own_to_a_declared_queue():
    tasks = hom_tasks()
    # The listing itself: the tasks of every app are there, not just the ones a test module imported.
    assert {
        "hom.messaging.tasks.message_send",
        "migrants.tasks.run_migrant_import",
        "hom.reports.tasks.rebuild_visit_summaries",
        "partnerships.tasks.introduction_notify",
    } <= set(tasks)

    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert unrouted == [], "add these tasks to CELERY_TASK_ROUTES (hom/settings.py)"
    for name in tasks:
        assert app.amqp.router.route({}, name)["queue"].name in ALL_QUEUES, name


def test_every_route_names_a_registered_task():
    assert sorted(set(settings.CELERY_TASK_ROUTES) - set(hom_tasks())) == []


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("hom.messaging.tasks.message_send", "sms"),
        ("migrants.tasks.send_campaign", "sms"),
        ("hom.notifications.tasks.send_digest", "digests"),
        ("projects.tasks.dossier_notify_promoter", "digests"),
        ("migrants.tasks.run_migrant_import", "imports"),
        ("migrants.tasks.requeue_stale_imports", "imports"),
        ("hom.reports.tasks.rebuild_visit_summaries", "reports"),
        ("hom.outbox.tasks.outbox_drain", "default"),
        # Celery's own tasks (the result store's cleanup, added to the beat by django-celery-beat) take the default.
        ("celery.backend_cleanup", "default"),
    ],
)
def test_a_task_is_published_to_its_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_the_procfile_runs_a_quick_and_a_slow_worker_that_consume_every_queue_between_them():
    consumed = [queues_consumed(command) for command in documented_worker_commands("Procfile")]

    assert consumed == [set(QUICK_QUEUES), set(SLOW_QUEUES)]


@pytest.mark.parametrize("source", ["README.md", "docs/deployment.md"])
def test_the_documented_workers_consume_known_queues_and_one_of_them_every_queue(source):
    consumed = [queues_consumed(command) for command in documented_worker_commands(source)]

    assert set(ALL_QUEUES) in consumed  # the single machine's worker
    assert all(queues <= set(ALL_QUEUES) for queues in consumed)


def test_a_worker_refuses_a_queue_that_is_not_declared():
    with pytest.raises(KeyError):
        queues_consumed("celery -A hom worker -Q default,celery")


@pytest.mark.django_db
def test_the_beat_schedules_leave_the_queue_to_the_routes():
    """A schedule row with a queue of its own would bypass CELERY_TASK_ROUTES (django-celery-beat
    publishes with the row's queue): the migrations' rows name none, and only registered tasks."""
    from django_celery_beat.models import PeriodicTask

    rows = list(PeriodicTask.objects.values_list("task", "queue"))
    assert len(rows) >= 10
    assert [task for task, _queue in rows if task not in hom_tasks()] == []
    assert [(task, queue) for task, queue in rows if queue] == []
