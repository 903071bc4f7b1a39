"""Writes of offline capture: receiving a device's record once, and deciding a registration to review."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services as registry
from ..models import Migrant, OfflineItem, OfflineKind, OfflineReview, Visit
from . import selectors

# A device's clock may run a little ahead of the server's; further than this, the time is refused.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class Received:
    item: OfflineItem
    created: bool


# A device's outbox is sent within days; a year is far beyond any real absence of network.
OLDEST_ENTRY = timedelta(days=366)


def check_entered_at(entered_at: datetime | None) -> datetime:
    """The time a record was entered on the device, or now; a time in the future, or older than a device
    keeps its outbox (``OLDEST_ENTRY``: a clock gone wrong, or a forged time), is refused."""
    now = timezone.now()
    if entered_at is None:
        return now
    if entered_at > now + CLOCK_SKEW:
        raise ValidationError(_("The time entered on the device is in the future: check the device's clock."))
    if entered_at < now - OLDEST_ENTRY:
        raise ValidationError(_("The time entered on the device is more than a year ago: check the device's clock."))
    return entered_at


def offline_receive(*, client_id, kind: str, user, entered_at: datetime,
                    create: Callable[[], tuple[Migrant | None, Visit | None, bool]]) -> Received:
    """Create what ``create`` makes, once per client id, and record it in the ledger.

    ``create`` returns (person, visit, to review). A client id already received (the device did
    not get the answer and sent again, or two tabs sent at once) returns the first record; the
    unique client id settles a race between two concurrent sends.
    """
    if (item := selectors.received_item(client_id, user)) is not None:
        return Received(item, created=False)
    try:
        with transaction.atomic():
            migrant, visit, to_review = create()
            item = OfflineItem.objects.create(
                client_id=client_id, kind=kind, office=user.office, entered_by=user, entered_at=entered_at,
                migrant=migrant, visit=visit, review=OfflineReview.PENDING if to_review else OfflineReview.NONE,
            )
    except IntegrityError:
        if (item := selectors.received_item(client_id, user)) is None:
            raise
        return Received(item, created=False)
    return Received(item, created=True)


def offline_walk_in(*, client_id, user, entered_at: datetime, **fields) -> Received:
    def create():
        visit = registry.walk_in_record(office=user.office, advisor=user,
                                        **{"occurred_at": entered_at, **fields})
        return None, visit, False

    return offline_receive(client_id=client_id, kind=OfflineKind.WALK_IN, user=user, entered_at=entered_at,
                           create=create)


def offline_registration(*, client_id, user, entered_at: datetime, has_duplicates: Callable[[], bool],
                         **fields) -> Received:
    """Register a person entered offline. One who looks like a person already registered is registered
    and put on the office's "to review" page, where merging or keeping both is one click."""

    def create():
        to_review = has_duplicates()
        migrant = registry.migrant_register(office=user.office, recorded_by=user, advisor=user,
                                            registered_at=entered_at, **fields)
        return migrant, None, to_review

    return offline_receive(client_id=client_id, kind=OfflineKind.REGISTRATION, user=user, entered_at=entered_at,
                           create=create)


def offline_visit(*, client_id, user, entered_at: datetime, migrant: Migrant, **fields) -> Received:
    def create():
        visit = registry.visit_record(migrant=migrant, advisor=user, **{"occurred_at": entered_at, **fields})
        return migrant, visit, False

    return offline_receive(client_id=client_id, kind=OfflineKind.VISIT, user=user, entered_at=entered_at,
                           create=create)


def _close(item: OfflineItem, *, outcome: str, user) -> None:
    OfflineItem.objects.filter(pk=item.pk).update(review=outcome, reviewed_by=user, reviewed_at=timezone.now())


@transaction.atomic
def review_keep(*, item: OfflineItem, user) -> None:
    """The registration is a different person: it stays, the review is closed."""
    item = OfflineItem.objects.select_for_update().get(pk=item.pk)
    if item.review != OfflineReview.PENDING:
        raise ValidationError(_("This registration was already reviewed."))
    _close(item, outcome=OfflineReview.KEPT, user=user)


@transaction.atomic
def review_merge(*, item: OfflineItem, into: Migrant, user) -> Migrant:
    """The registration is ``into``, registered before: it is folded into it (visits, history and all)."""
    item = OfflineItem.objects.select_for_update().get(pk=item.pk)
    if item.review != OfflineReview.PENDING or item.migrant_id is None:
        raise ValidationError(_("This registration was already reviewed."))
    survivor = registry.migrant_merge(survivor=into, duplicate=item.migrant, merged_by=user)
    _close(item, outcome=OfflineReview.MERGED, user=user)
    return survivor
