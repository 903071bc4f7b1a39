"""Celery tasks of the projects app: thin, by id, safe to run twice (hence ``reject_on_worker_lost``)."""
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from hom.storage import delete_stored

from .funding.models import FundingApplication
from .funding.services import notice_send_for_decision
from .models import DossierDocument, DossierTransition
from .services import dossiers_refresh_readiness, notification_send_for_transition

# A notice (migrants.notices) and its email are one transaction: a failed send is retried whole.
NOTICE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 60,
    "time_limit": 90,
    "autoretry_for": (SMTPException, OSError, SoftTimeLimitExceeded),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    # The notification and its email are one transaction: a failed send is retried whole.
    autoretry_for=(SMTPException, OSError, SoftTimeLimitExceeded),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def dossier_notify_promoter(transition_id: int) -> None:
    try:
        transition = DossierTransition.objects.select_related("dossier__promoter__user").get(pk=transition_id)
    except DossierTransition.DoesNotExist:
        return
    notification_send_for_transition(transition=transition)


@shared_task(**NOTICE_TASK)
def funding_decision_notify(application_id: int, status: str) -> None:
    application = (
        FundingApplication.objects.select_related("dossier__promoter__user", "dossier__promoter__office", "opportunity")
        .filter(pk=application_id).first()
    )
    if application is not None:
        notice_send_for_decision(application=application, status=status)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def readiness_refresh_open_dossiers() -> None:
    """After an admin edited the document checklist. Recomputing twice gives the same scores."""
    dossiers_refresh_readiness()


class FilesNotDeleted(Exception):
    """Some files of erased documents are still in the storage: the task is tried again."""


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(FilesNotDeleted,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    # About two days of hourly tries; each failure is logged with the file's name.
    max_retries=50,
)
def documents_delete(names: list[str]) -> None:
    """The files of erased documents that the storage refused to delete after the erasure
    (``projects.personal_data.documents_delete``). Deleting a file already gone does nothing."""
    failed = delete_stored(names, storage=DossierDocument._meta.get_field("file").storage)
    if failed:
        raise FilesNotDeleted(f"{len(failed)} file(s) still in the storage")
