"""Reads of offline capture: the office's registrations to review, each beside its likely duplicates."""
from dataclasses import dataclass

from django.core.paginator import Paginator

from .. import selectors as registry
from ..models import Migrant, OfflineItem

REVIEWS_PER_PAGE = 10


class ClientIdTaken(Exception):
    """The client id was already used by another office's record: the sender gets nothing back."""


def received_item(client_id, user) -> OfflineItem | None:
    """The ledger's entry of a client id already received from ``user``'s office, or None.

    A client id received from another office raises ClientIdTaken: its sender learns nothing of it.
    """
    item = OfflineItem.objects.select_related("migrant", "visit").filter(client_id=client_id).first()
    if item is not None and item.office_id != user.office_id:
        raise ClientIdTaken(client_id)
    return item


@dataclass
class Review:
    item: OfflineItem
    person: Migrant
    candidates: list[Migrant]


def reviews_pending(user, *, page: int | str = 1):
    """One page of the office's pending reviews, oldest first, each with its candidates found now.

    The candidates are looked up again on the page (the registry changes between the sync and
    the review): a handful of indexed queries per registration, ten registrations a page.
    """
    items = (OfflineItem.objects.visible_to(user).pending_review().filter(migrant__isnull=False)
             .select_related("migrant__commune_of_origin", "entered_by").order_by("received_at", "pk"))
    page_obj = Paginator(items, REVIEWS_PER_PAGE).get_page(page)
    reviews = []
    for item in page_obj.object_list:
        person = item.migrant
        candidates = registry.migrant_duplicates(
            office=person.office_id, first_name=person.first_name, last_name=person.last_name,
            birth_year=person.birth_year, commune=person.commune_of_origin_id, phone=person.phone or "",
            email=person.email or "", exclude_pk=person.pk,
        )
        reviews.append(Review(item=item, person=person, candidates=candidates))
    return page_obj, reviews


def review_for(user, pk) -> OfflineItem:
    from hom.accounts.access import get_visible_or_404

    return get_visible_or_404(OfflineItem.objects.pending_review().select_related("migrant"), user, pk=pk)
