"""Reads of transfers: each office's sent and received lists, one request to decide, the offices that know a person."""
from django.db.models import QuerySet

from hom.accounts.access import get_visible_or_404

from .models import Transfer


def _base(user) -> QuerySet:
    return Transfer.objects.visible_to(user).select_related(
        "migrant", "from_office", "to_office", "requested_by", "decided_by")


def transfers_sent(user, *, limit: int = 50) -> list:
    """What left the office: persons it transferred, and requests of others it holds the person of."""
    return list(_base(user).filter(from_office=user.office_id)[:limit])


def transfers_received(user, *, limit: int = 50) -> list:
    """What came to the office: persons transferred to it, and its own requests (the person unnamed until done)."""
    return list(_base(user).filter(to_office=user.office_id)[:limit])


def transfer_to_decide(user, pk) -> Transfer:
    """A request only the holding office decides: any other office's user gets 404."""
    queryset = _base(user)
    if not user.is_superuser:
        queryset = queryset.filter(from_office=user.office_id)
    return get_visible_or_404(queryset, user, pk=pk)


def known_elsewhere(duplicates) -> list[dict]:
    """The offices (names only) of likely duplicates held elsewhere, one entry per office."""
    seen = {}
    for migrant in duplicates:
        seen.setdefault(migrant.office_id, {"office": migrant.office.name, "migrant": migrant})
    return list(seen.values())
