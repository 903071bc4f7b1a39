"""Writes of campaigns: write one, send it now or at a time, cancel it, and the fan-out a worker runs.

The fan-out is exactly once: a worker claims the campaign with a conditional UPDATE (SCHEDULED and due →
SENDING, or SENDING with a claim older than ``CLAIM_LEASE``: its worker died), then enqueues one message per
recipient, in batches of ``BATCH_SIZE`` each in its own transaction, with the key ``campaign:<pk>:<migrant
pk>``: a claim taken again after a crash, or any rerun, finds the messages already there and adds nothing.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.messaging import selectors as messaging
from hom.messaging.services import message_enqueue
from hom.messaging.text import sms_segments
from hom.outbox.services import outbox_enqueue

from . import selectors
from .models import Campaign, CampaignChannel, CampaignState

SEND_TASK = "migrants.tasks.send_campaign"
# A campaign fits in two SMS at most: 306 characters in GSM-7, 134 with a character outside it (UCS-2).
MAX_SEGMENTS = 2
BATCH_SIZE = 500
# A SENDING campaign whose claim was not renewed for this long lost its worker: another may take it.
CLAIM_LEASE = timedelta(minutes=15)
MAX_LENGTHS = {"GSM-7": 306, "UCS-2": 134}


def _message_error(message: str) -> str | None:
    if not message.strip():
        return _("Write the message.")
    segments = sms_segments(message)
    if segments.count > MAX_SEGMENTS:
        return _(
            "The message is too long: %(length)s characters make %(count)s SMS. A campaign is at most 2 SMS, "
            "that is %(limit)s characters with this text (%(encoding)s)."
        ) % {"length": segments.length, "count": segments.count, "limit": MAX_LENGTHS.get(segments.encoding, 134),
             "encoding": segments.encoding}
    return None


def _filters_clean(*, user, filters: dict) -> dict:
    group = selectors.group_filter(user=user, data=filters)
    if not group.is_valid():
        raise ValidationError({name: errors for name, errors in group.form.errors.items()})
    return {name: str(value) for name, value in group.data.items()}


@transaction.atomic
def campaign_create(*, created_by, title: str, message: str, channel: str, filters: dict) -> Campaign:
    """A draft campaign of ``created_by``'s office to the group the registry's ``filters`` choose."""
    if created_by.office_id is None:
        raise ValidationError(_("Only the admin of an office can write a campaign."))
    errors = {}
    if error := _message_error(message):
        errors["message"] = error
    if channel == CampaignChannel.WHATSAPP and not selectors.whatsapp_available():
        errors["channel"] = _("WhatsApp is not configured for this office.")
    try:
        filters = _filters_clean(user=created_by, filters=filters)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    campaign = Campaign(office_id=created_by.office_id, created_by=created_by, title=title.strip(),
                        message=message.strip(), channel=channel, filters=filters)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_send(*, campaign: Campaign, by, at=None) -> Campaign:
    """Send a draft now (``at`` empty: a worker starts at once) or at a time in the future (the beat task
    ``send_due_campaigns`` starts it then). ``by`` is kept as who sent it, in the campaign and its history."""
    now = timezone.now()
    if at is not None and at <= now:
        raise ValidationError({"at": _("Choose a time in the future.")})
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("This campaign was already sent, scheduled or cancelled."))
    campaign.state = CampaignState.SCHEDULED
    campaign.scheduled_for = at
    campaign.sent_by = by
    campaign.save()
    if at is None:
        outbox_enqueue(task=SEND_TASK, args=[campaign.pk])
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, by) -> Campaign:
    """Cancel a draft or a scheduled campaign whose sending has not started."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state not in (CampaignState.DRAFT, CampaignState.SCHEDULED):
        raise ValidationError(_("This campaign is being sent or was sent: it cannot be cancelled any more."))
    campaign.state = CampaignState.CANCELLED
    campaign.cancelled_by = by
    campaign.save()
    return campaign


def _claimable(now) -> Q:
    due = Q(state=CampaignState.SCHEDULED) & (Q(scheduled_for__isnull=True) | Q(scheduled_for__lte=now))
    return due | Q(state=CampaignState.SENDING, claimed_at__lt=now - CLAIM_LEASE)


def campaign_claim(*, campaign_id: int) -> Campaign | None:
    """Take the campaign for sending, once: one conditional UPDATE; None when it is not due or another has it."""
    now = timezone.now()
    taken = Campaign.objects.filter(_claimable(now), pk=campaign_id).update(state=CampaignState.SENDING, claimed_at=now)
    if not taken:
        return None
    return Campaign.objects.select_related("created_by", "office").get(pk=campaign_id)


def _enqueue(campaign: Campaign, migrant, phone: str):
    whatsapp = campaign.channel == CampaignChannel.WHATSAPP
    return message_enqueue(
        key=f"campaign:{campaign.pk}:{migrant.pk}", channel=campaign.channel, to=phone, body=campaign.message,
        office=campaign.office, source=campaign.source, person_key=f"migrants.migrant:{migrant.pk}",
        template=selectors.whatsapp_template() if whatsapp else "", params=[campaign.message] if whatsapp else None,
    )


def campaign_fan_out(*, campaign_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Claim the campaign and enqueue its messages, batch by batch; the number of recipients (0 when
    nothing was claimed). Opted-out numbers are left out here, at the time of sending."""
    campaign = campaign_claim(campaign_id=campaign_id)
    if campaign is None:
        return 0
    group = selectors.recipients(user=campaign.created_by, filters=campaign.filters, channel=campaign.channel)
    campaign.recipients_count = group.count()  # before the opt-outs; exact once sent
    campaign.save(update_fields=["recipients_count"])
    reached, last = 0, 0
    while True:
        batch = list(group.filter(pk__gt=last).only("pk", "phone")[:batch_size])
        if not batch:
            break
        last = batch[-1].pk
        phones = {migrant.pk: selectors.phone_of(migrant) for migrant in batch}
        opted = messaging.opted_out(list(phones.values()))
        with transaction.atomic():
            for migrant in batch:
                if phones[migrant.pk] in opted:
                    continue
                try:
                    _enqueue(campaign, migrant, phones[migrant.pk])
                except ValueError:  # a number the gateway cannot read: left out
                    continue
                reached += 1
            # The claim renewed: the lease counts from the last batch.
            Campaign.objects.filter(pk=campaign.pk).update(claimed_at=timezone.now())
    campaign.refresh_from_db()
    campaign.state = CampaignState.SENT
    campaign.sent_at = timezone.now()
    campaign.recipients_count = reached
    campaign.save()
    return reached


def campaigns_send_due(*, now=None) -> int:
    """For the beat task: publish the sending of every scheduled campaign now due, and of every campaign whose
    worker was lost. Each is claimed by its worker: a campaign published twice is sent once."""
    now = now or timezone.now()
    due = list(Campaign.objects.filter(_claimable(now)).values_list("pk", flat=True))
    for campaign_id in due:
        with transaction.atomic():
            outbox_enqueue(task=SEND_TASK, args=[campaign_id])
    return len(due)
