"""Celery tasks of the projects app: thin, by id, safe to run twice."""
from celery import shared_task

from .models import DossierTransition
from .services import dossiers_refresh_readiness, notification_send_for_transition


@shared_task(acks_late=True)
def dossier_notify_promoter(transition_id: int) -> None:
    try:
        transition = DossierTransition.objects.select_related("dossier__promoter__user").get(pk=transition_id)
    except DossierTransition.DoesNotExist:
        return
    notification_send_for_transition(transition=transition)


@shared_task(acks_late=True)
def readiness_refresh_open_dossiers() -> None:
    """After an admin edited the document checklist. Recomputing twice gives the same scores."""
    dossiers_refresh_readiness()
