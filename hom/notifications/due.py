"""Due items and the registry of their providers.

A provider is a function ``provider(today, office, recipient=None) -> iterable of DueItem``:
every item of ``office`` (every office when ``None``) falling due on or before ``today``
and not done, only those of ``recipient`` when one is given. Providers live next to the
data they read (each app may declare ``reminder_providers`` on its AppConfig, as dotted
paths); the setting ``REMINDER_PROVIDERS`` replaces the whole list when set.

Titles are lazy translations: the digest renders them in its recipient's language.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DueItem:
    kind: str
    object_key: str
    due_on: date
    recipient_id: int
    title: object  # a lazy translation, rendered in the recipient's language
    url: str  # a path; the digest makes it absolute with SITE_URL
    # For items reminded ahead (a funding deadline, a report): the date the person must act by.
    # ``due_on`` is then the day the item entered its window, the stable date of its claim.
    deadline: date | None = None

    @property
    def claim_key(self) -> tuple:
        return (self.recipient_id, self.kind, self.object_key, self.due_on)

    @property
    def shown_on(self) -> date:
        """The date shown to the person: the deadline when there is one, else the due date."""
        return self.deadline or self.due_on


Provider = Callable[..., Iterable[DueItem]]


def provider_paths() -> list[str]:
    configured = getattr(settings, "REMINDER_PROVIDERS", None)
    if configured is not None:
        return list(configured)
    return [path for config in apps.get_app_configs() for path in getattr(config, "reminder_providers", ())]


def providers() -> list[Provider]:
    return [import_string(path) for path in provider_paths()]


def due_items(*, today: date, office=None, recipient=None) -> list[DueItem]:
    """Every item due by ``today``, one per claim key, the oldest due first."""
    found: dict[tuple, DueItem] = {}
    for provider in providers():
        for item in provider(today, office, recipient=recipient):
            # Providers may narrow to the recipient in the database; this keeps the rule whole.
            if recipient is None or item.recipient_id == recipient.pk:
                found.setdefault(item.claim_key, item)
    return sorted(found.values(), key=lambda item: (item.due_on, item.kind, item.object_key))


# --- Helpers shared by the providers of every app ------------------------------------------


def office_filter(office, lookup: str = "office") -> Q:
    """``Q(<lookup>=office)``, or no filter at all for a run over every office (``office=None``)."""
    return Q(**{lookup: office}) if office is not None else Q()


def office_admin_ids(office_ids) -> dict[int, list[int]]:
    """The active admins of each office, in one query: the fallback recipients of unowned items."""
    from hom.accounts.models import Role, User

    admins: dict[int, list[int]] = {}
    rows = (
        User.objects.filter(office_id__in=set(office_ids), role=Role.ADMIN, is_active=True)
        .order_by("pk")
        .values_list("office_id", "pk")
    )
    for office_id, pk in rows:
        admins.setdefault(office_id, []).append(pk)
    return admins


def waiting_days_by_office() -> dict[int, int]:
    """Each office's reminder delay N (``OfficeReminderSettings``), when it set one; 7 days otherwise."""
    from .models import OfficeReminderSettings

    return dict(OfficeReminderSettings.objects.values_list("office_id", "waiting_days"))


def is_office_admin(user) -> bool:
    from hom.accounts.models import Role

    return user.role == Role.ADMIN and user.office_id is not None


def path_of(obj, fallback: str = "") -> str:
    """``obj.get_absolute_url()``, or ``fallback`` while the page it names is not built yet:
    a missing URL must not break anyone's digest."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return fallback
