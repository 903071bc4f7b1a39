"""HOM — the working tool of a Help Office for Migrants (Bureau d'appui aux migrants)."""
from .celery import app as celery_app

__all__ = ("celery_app",)
