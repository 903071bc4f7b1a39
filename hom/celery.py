"""The Celery application. Broker and result backend come from REDIS_URL (see settings).

Without REDIS_URL, settings make every task run eagerly in the caller's process, so
`make run` works with no broker at all.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")

app = Celery("hom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
