"""The access log: who read which person's data, when, from which office (issue 15).

``access_record`` is called by the views that show or export personal data. It writes one
row with one INSERT and no lookup (ids only, taken from objects the view already holds), so
a page pays one query for it. It is not a service: nothing the user typed goes into it, and
``full_clean()`` would look every foreign key up again.
"""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from hom.accounts.models import Role

from .models import AccessAction, AccessTarget, PersonAccess


def access_record(*, user, action: str, target: str, migrant_id=None, object_id=None, detail: str = "") -> None:
    """Log one reader's access; does nothing for a migrant (who reads only their own data)."""
    if not user.is_authenticated or (user.role == Role.MIGRANT and not user.is_superuser):
        return
    PersonAccess.objects.create(
        user_id=user.pk,
        office_id=user.office_id,
        action=action,
        target=target,
        migrant_id=migrant_id,
        object_id=object_id,
        detail=detail[:200],
    )


def access_person_page(*, user, migrant) -> None:
    access_record(user=user, action=AccessAction.VIEW, target=AccessTarget.PERSON, migrant_id=migrant.pk)


def access_log_purge(*, now=None) -> int:
    """Forget the rows older than ``ACCESS_LOG_RETENTION_DAYS``; returns how many."""
    limit = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _by_model = PersonAccess.objects.filter(at__lt=limit).delete()
    return deleted
