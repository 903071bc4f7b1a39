"""Reads of campaigns: the group a campaign reaches (the registry's filters), who in it is left out and why,
the preview's segments and cost, and the delivery counts of each campaign."""
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from hom.accounts.access import get_visible_or_404
from hom.messaging import selectors as messaging
from hom.messaging.text import sms_segments

from ..filters import MigrantFilter
from ..models import Migrant
from .models import Campaign, CampaignChannel

# The registry's filters a campaign chooses its group with (the others do not make sense for a campaign).
FILTER_FIELDS = ("commune", "country", "situation", "sector", "need")
# The name of the approved WhatsApp template of campaigns in settings.WHATSAPP_TEMPLATES.
WHATSAPP_TEMPLATE_KIND = "campaign"
# Statuses of the ledger, in the order the pages show them.
STATUSES = ("queued", "sent", "delivered", "failed")


def group_filter(*, user, data: dict) -> MigrantFilter:
    """The registry's FilterSet on the persons of ``user``'s office not erased, bound to ``data``
    (the campaign's filters only). The caller checks ``is_valid()``: an invalid filter is ignored by
    django-filter, which would widen the group."""
    data = {name: value for name, value in (data or {}).items() if name in FILTER_FIELDS and value not in ("", None)}
    queryset = Migrant.objects.filter(office=user.office_id, erased_at__isnull=True)
    return MigrantFilter(data, queryset=queryset, request=SimpleNamespace(user=user))


def campaign_group(*, user, filters: dict) -> QuerySet:
    """Everyone the filters choose in the office of ``user`` (consenting or not); none when the filters
    cannot be read any more (a commune, a sector removed since): a campaign never reaches a wider group."""
    group = group_filter(user=user, data=filters)
    if not group.is_valid():
        return Migrant.objects.none()
    return group.qs.order_by()


def _consenting() -> Q:
    return Q(consent_contact=True, consent_withdrawn_on__isnull=True)


def _reachable(channel: str) -> Q:
    condition = _consenting() & ~Q(phone="")
    if channel == CampaignChannel.WHATSAPP:
        condition &= Q(phone_is_whatsapp=True)
    return condition


def recipients(*, user, filters: dict, channel: str) -> QuerySet:
    """The persons a campaign may write to, before the opt-outs: consenting, not withdrawn, with a phone
    (on WhatsApp for WhatsApp), ordered by id (the batches of the sending)."""
    return campaign_group(user=user, filters=filters).filter(_reachable(channel)).order_by("pk")


def phone_of(migrant) -> str:
    return migrant.phone.as_e164 if migrant.phone else ""


@dataclass
class GroupFacts:
    """What the preview shows: counts only, never a name."""

    total: int = 0
    no_consent: int = 0
    withdrawn: int = 0
    no_phone: int = 0
    not_on_whatsapp: int = 0
    opted_out: int = 0
    recipients: int = 0
    left_out: int = 0
    segments: object = None
    costs: dict = field(default_factory=dict)


def group_facts(*, user, filters: dict, channel: str, message: str) -> GroupFacts:
    """The group in counts: its size, who is left out and why, who will receive it, the text's segments and
    the cost per channel (two queries and the opt-outs' look-up)."""
    group = campaign_group(user=user, filters=filters)
    consenting = _consenting()
    counts = group.aggregate(
        total=Count("pk"),
        no_consent=Count("pk", filter=Q(consent_contact=False)),
        withdrawn=Count("pk", filter=Q(consent_contact=True, consent_withdrawn_on__isnull=False)),
        no_phone=Count("pk", filter=consenting & Q(phone="")),
        not_on_whatsapp=Count("pk", filter=consenting & ~Q(phone="") & Q(phone_is_whatsapp=False)),
    )
    if channel != CampaignChannel.WHATSAPP:
        counts["not_on_whatsapp"] = 0
    phones = [phone_of(migrant) for migrant in group.filter(_reachable(channel)).only("pk", "phone")]
    opted = messaging.opted_out(phones) if phones else set()
    facts = GroupFacts(**counts)
    facts.opted_out = sum(1 for phone in phones if phone in opted)
    facts.recipients = len(phones) - facts.opted_out
    facts.left_out = facts.total - facts.recipients
    facts.segments = sms_segments(message or "")
    facts.costs = channel_costs(segments=facts.segments.count, recipients=facts.recipients)
    return facts


def whatsapp_template() -> str:
    return (getattr(settings, "WHATSAPP_TEMPLATES", None) or {}).get(WHATSAPP_TEMPLATE_KIND, "")


def whatsapp_available() -> bool:
    """WhatsApp is offered when its gateway is configured and an approved campaign template is named."""
    return messaging.channel_configured(CampaignChannel.WHATSAPP) and bool(whatsapp_template())


def channel_costs(*, segments: int, recipients: int) -> dict:
    """The cost in FCFA of sending to ``recipients`` persons, per channel offered."""
    costs = {CampaignChannel.SMS.label: messaging.cost_fcfa(CampaignChannel.SMS, max(segments, 1), recipients)}
    if whatsapp_available():
        costs[CampaignChannel.WHATSAPP.label] = messaging.cost_fcfa(CampaignChannel.WHATSAPP, 1, recipients)
    return costs


def campaigns_visible_to(user) -> QuerySet:
    return Campaign.objects.visible_to(user).select_related("created_by", "sent_by", "office")


def _message_model():
    return apps.get_model("messaging", "Message")


def campaign_counts(campaigns) -> None:
    """Set ``counts`` (every status, 0 when none, and ``total``) on each campaign: one grouped query for all."""
    campaigns = list(campaigns)
    by_source = {campaign.source: {status: 0 for status in STATUSES} for campaign in campaigns}
    if by_source:
        rows = (
            _message_model().objects.filter(source__in=by_source).values_list("source", "status")
            .annotate(count=Count("pk")).order_by()
        )
        for source, status, count in rows:
            by_source[source][status] = count
    for campaign in campaigns:
        counts = by_source[campaign.source]
        counts["total"] = sum(counts[status] for status in STATUSES)
        campaign.counts = counts
    return campaigns


def campaign_list(user, *, limit: int = 100) -> list:
    return campaign_counts(campaigns_visible_to(user)[:limit])


def campaign_for_page(user, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("created_by", "sent_by", "cancelled_by", "office"),
                              user, pk=pk)


def campaign_for_sending(user, pk: int) -> Campaign:
    """A campaign its office's admin may send or cancel: of their own office only (a national admin reads
    every office's campaigns but sends none: 404)."""
    return get_object_or_404(Campaign.objects.visible_to(user).filter(office_id=user.office_id or 0), pk=pk)


def campaign_status_counts(campaign: Campaign) -> dict:
    counts = dict(messaging.status_counts(campaign.source))
    counts["total"] = sum(counts.get(status, 0) for status in STATUSES)
    return counts


def campaign_progress(campaign: Campaign, counts: dict) -> int:
    """Per cent of the recipients whose message is in the ledger (queued or further)."""
    if not campaign.recipients_count:
        return 100 if campaign.state == "sent" else 0
    return min(100, round(100 * counts["total"] / campaign.recipients_count))


def group_labels(campaign: Campaign) -> list[tuple[str, str]]:
    """The campaign's group as the page reads it: (filter's label, chosen value's name)."""
    group = group_filter(user=campaign.created_by, data=campaign.filters)
    if not group.is_valid():
        return [(name, str(value)) for name, value in campaign.filters.items()]
    labels = []
    for name in FILTER_FIELDS:
        value = group.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        form_field = group.form.fields[name]
        if not hasattr(value, "pk"):
            value = dict(form_field.choices).get(value, value)
        labels.append((str(form_field.label), str(value)))
    return labels


def campaign_history(campaign: Campaign, *, limit: int = 20) -> list:
    return list(campaign.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
