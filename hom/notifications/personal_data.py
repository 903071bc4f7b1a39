"""What the notifications hold about a person (registry: ``migrants.personal_data``).

A person's online account receives notifications and digests; staff receive notifications whose
title may name a person (``object_key`` says which record they are about). This app is below
``migrants``: it knows persons only through the account and the keys other apps pass.
"""
from django.db import transaction
from django.db.models import Q

from .models import Digest, Notification, NotificationPreference, Reminder


def export_person(*, migrant, staff: bool) -> dict:
    if migrant.user_id is None:
        return {"notifications": []}
    return {
        "notifications": [
            {"date": notification.created_at.isoformat(), "title": notification.title, "read": notification.read_at is not None}
            for notification in Notification.objects.filter(recipient_id=migrant.user_id).order_by("created_at", "pk")
        ]
    }


@transaction.atomic
def erase_person(*, migrant, account) -> None:
    """The account's notifications, reminders, digests and preferences go: their text names the person."""
    if account is None:
        return
    Notification.objects.filter(recipient=account).delete()
    Reminder.objects.filter(recipient=account).delete()
    Digest.objects.filter(recipient=account).delete()
    NotificationPreference.objects.filter(recipient=account).delete()


@transaction.atomic
def notifications_forget(*, key_prefixes) -> int:
    """Delete the notifications (anyone's) about the records whose keys start with one of the prefixes.

    Called by the apps' erasure: a staff member's notification "Follow-up: <name>" would keep the name.
    A prefix ends with ``:`` (``"projects.dossier:12:"``) or is a whole key (``"migrants.visit:7"``).
    """
    condition = Q()
    for prefix in key_prefixes:
        condition |= Q(object_key=prefix) | Q(object_key__startswith=f"{prefix}:")
    if not condition:
        return 0
    count, _ = Notification.objects.filter(condition).delete()
    return count
