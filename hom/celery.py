"""The Celery application. Broker and result backend come from REDIS_URL (see settings).

Without REDIS_URL, settings make every task run eagerly in the caller's process, so
`make run` works with no broker at all.

Queues (docs/deployment.md, "Workers per queue"): every HOM task is routed by name to one of
``ALL_QUEUES`` (``CELERY_TASK_ROUTES`` in settings). The quick queues carry what a person waits
for (SMS, digests and notices); the slow ones what may run for minutes (imports, summary rebuilds),
on a worker of their own so that they never hold the quick ones back.
"""
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")

DEFAULT_QUEUE = "default"
QUICK_QUEUES = (DEFAULT_QUEUE, "digests", "sms")
SLOW_QUEUES = ("imports", "reports")
# What a single worker consuming everything takes (`-Q default,digests,sms,imports,reports`), and
# every worker a test starts.
ALL_QUEUES = QUICK_QUEUES + SLOW_QUEUES

app = Celery("hom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_work_without_a_secret_key(**kwargs):
    from hom.startup import require_secret_key

    require_secret_key()
