"""Reads on the message ledger, for the apps that send (notices, campaigns, phone sign-up)."""
from django.conf import settings
from django.db.models import Count, QuerySet

from .models import Channel, Message, MessageStatus, OptOut
from .phones import to_e164


def messages_for_person(person_key: str) -> QuerySet:
    """The messages sent to one person (``"migrants.migrant:34"``), newest first."""
    return Message.objects.filter(person_key=person_key).order_by("-queued_at", "-pk")


def status_counts(source: str) -> dict[str, int]:
    """``{status: count}`` of a batch (``"migrants.campaign:12"``): every status present, 0 when none."""
    counts = dict.fromkeys(MessageStatus.values, 0)
    rows = Message.objects.filter(source=source).values("status").annotate(count=Count("pk")).order_by()
    counts.update({row["status"]: row["count"] for row in rows})
    return counts


def opted_out(phones) -> set[str]:
    """The numbers among ``phones`` (``PhoneNumber`` or strings) that answered STOP, in E.164.
    Invalid numbers are left out (nothing can be sent to them anyway)."""
    numbers = set()
    for phone in phones:
        try:
            numbers.add(to_e164(phone))
        except ValueError:
            continue
    if not numbers:
        return set()
    return set(OptOut.objects.filter(phone__in=numbers).values_list("phone", flat=True))


def cost_fcfa(channel: str, segments: int, recipients: int) -> int:
    """What sending costs in FCFA: per segment and recipient for SMS, per message for WhatsApp."""
    if channel == Channel.WHATSAPP:
        return settings.WHATSAPP_COST_FCFA_PER_MESSAGE * recipients
    return settings.SMS_COST_FCFA_PER_SEGMENT * segments * recipients


def channel_configured(channel: str) -> bool:
    """SMS always is (the console by default); WhatsApp needs ``WHATSAPP_URL``."""
    if channel == Channel.WHATSAPP:
        return bool(settings.WHATSAPP_URL)
    return channel == Channel.SMS
