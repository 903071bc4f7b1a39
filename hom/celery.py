"""The Celery application. Broker and result backend come from REDIS_URL (see settings).

Without REDIS_URL, settings make every task run eagerly in the caller's process, so
`make run` works with no broker at all.
"""
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")

app = Celery("hom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_work_without_a_secret_key(**kwargs):
    from hom.startup import require_secret_key

    require_secret_key()
