"""Writes of transfers: make one (the holding office's admin), request one (another office), accept, refuse.

The person's ``office`` changes; the other apps move what is still open with them through the hook they
declare on their AppConfig (``transfer_hooks``: dotted paths of ``fn(*, migrant, from_office, to_office)``,
called in the same transaction). Visits already made stay where they were made (they are counted there).
"""
from django.apps import apps
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..models import Migrant, Visit
from .models import Transfer, TransferState

REQUEST_SALT = "migrants.transfers.request"


def transfer_hooks() -> list:
    return [import_string(path) for config in apps.get_app_configs() for path in getattr(config, "transfer_hooks", ())]


def _move(transfer: Transfer, *, by) -> Transfer:
    migrant = Migrant.objects.select_for_update().get(pk=transfer.migrant_id)
    if migrant.office_id != transfer.from_office_id:
        raise ValidationError(_("This person is no longer registered at this office."))
    moved = 0
    for hook in transfer_hooks():
        moved += hook(migrant=migrant, from_office=transfer.from_office, to_office=transfer.to_office) or 0
    # Open follow-ups go with the person (the new office owes them: Visit.objects.follow_ups_owed_by); who
    # was to do them is of the old office, so the person's new advisor will.
    for visit in Visit.objects.filter(migrant=migrant, follow_up_advisor__isnull=False).open_follow_ups():
        visit.follow_up_advisor = None
        visit._history_user = by
        visit.save(update_fields=["follow_up_advisor", "updated_at"])
    migrant.office = transfer.to_office
    migrant.advisor = None
    migrant._history_user = by
    migrant._change_reason = (_("Transferred to %(office)s: %(reason)s") % {
        "office": transfer.to_office.name, "reason": transfer.reason})[:100]
    migrant.save(update_fields=["office", "advisor", "updated_at"])
    transfer.state = TransferState.DONE
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.dossiers_moved = moved
    transfer._history_user = by
    transfer.save()
    return transfer


@transaction.atomic
def transfer_make(*, migrant: Migrant, to_office, made_by, reason: str) -> Transfer:
    """The holding office's admin moves the person (and their open dossiers) to ``to_office``."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the person is transferred."))
    if to_office.pk == migrant.office_id:
        raise ValidationError(_("Choose another office than the person's."))
    if migrant.erased_at is not None:
        raise ValidationError(_("An erased record cannot be transferred."))
    transfer = Transfer(migrant=migrant, from_office_id=migrant.office_id, to_office=to_office, reason=reason,
                        requested_by=made_by, requested_at=timezone.now())
    transfer.from_office = migrant.office
    return _move(transfer, by=made_by)


def request_token(*, migrant: Migrant, office) -> str:
    """What the duplicate notice carries instead of the person's id: signed, for this requesting office only."""
    return signing.dumps({"m": migrant.pk, "o": office.pk}, salt=REQUEST_SALT)


@transaction.atomic
def transfer_request(*, token: str, requested_by, reason: str = "") -> Transfer:
    """Another office asks for the person it met at registration (from the duplicate notice's token)."""
    try:
        data = signing.loads(token, salt=REQUEST_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        raise ValidationError(_("This request is not valid any more: check the registration again.")) from None
    if data.get("o") != requested_by.office_id:
        raise ValidationError(_("This request is not valid any more: check the registration again."))
    migrant = Migrant.objects.filter(pk=data.get("m"), erased_at__isnull=True).exclude(
        office=requested_by.office_id).select_related("office").first()
    if migrant is None:
        raise ValidationError(_("This request is not valid any more: check the registration again."))
    existing = Transfer.objects.filter(migrant=migrant, to_office=requested_by.office_id,
                                       state=TransferState.REQUESTED).first()
    if existing:
        return existing
    return Transfer.objects.create(
        migrant=migrant, from_office=migrant.office, to_office=requested_by.office, state=TransferState.REQUESTED,
        reason=reason.strip()[:300], requested_by=requested_by, requested_at=timezone.now(),
    )


@transaction.atomic
def transfer_decide(*, transfer: Transfer, decided_by, accept: bool) -> tuple[Transfer, bool]:
    """The holding office's admin accepts (the transfer is made) or refuses; a second decision does nothing.

    Returns the transfer and whether this call decided it."""
    transfer = Transfer.objects.select_for_update().select_related("from_office", "to_office").get(pk=transfer.pk)
    if transfer.state != TransferState.REQUESTED:
        return transfer, False
    if not decided_by.is_superuser and decided_by.office_id != transfer.from_office_id:
        raise ValidationError(_("Only the office holding the person decides."))
    if accept:
        if not transfer.reason:
            transfer.reason = _("requested by %(office)s") % {"office": transfer.to_office.name}
        return _move(transfer, by=decided_by), True
    transfer.state = TransferState.REFUSED
    transfer.decided_by = decided_by
    transfer.decided_at = timezone.now()
    transfer._history_user = decided_by
    transfer.save()
    return transfer, True
