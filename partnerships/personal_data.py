"""What the partnerships hold about a person (registry: ``migrants.personal_data``): introductions, events, referrals.

Merge: two open introductions of the two records to one organisation become one (the survivor's,
with both histories and both outcomes); two registrations for one event become one (attended if
either attended). Erasure: the introductions lose their text (``services.introductions_erase_person``);
the event registrations stay as anonymous counts; the referrals to offers lose their note and outcome
(``offers.services.referrals_erase_person``). Two open referrals to one offer become one on a merge.
"""
from django.db import transaction

from hom.notifications.personal_data import notifications_forget

from .events.models import EventParticipant
from .models import OPEN_INTRODUCTION_STATUSES, Introduction
from .offers.models import OPEN_REFERRAL_STATUSES, OfferReferral
from .offers.services import referrals_erase_person
from .services import introductions_erase_person


def _date(value):
    return value.isoformat() if value else None


def export_person(*, migrant, staff: bool) -> dict:
    introductions = Introduction.objects.filter(migrant=migrant).select_related("organisation", "introduced_by")
    participations = EventParticipant.objects.filter(migrant=migrant).select_related("event").order_by("event__starts_on", "pk")
    referrals = OfferReferral.objects.filter(migrant=migrant).select_related("offer", "offer__organisation", "referred_by")
    return {
        "offer_referrals": [
            {"offer": referral.offer.title, "organisation": referral.offer.organisation.name,
             "date": _date(referral.referred_on), "status": referral.get_status_display(), "note": referral.note,
             "outcome": referral.outcome, **({"referred_by": str(referral.referred_by or "")} if staff else {})}
            for referral in referrals.order_by("referred_on", "pk")
        ],
        "introductions": [
            {"organisation": introduction.organisation.name, "date": _date(introduction.introduced_on),
             "status": introduction.get_status_display(), "purpose": introduction.purpose,
             "outcome": introduction.outcome,
             **({"introduced_by": str(introduction.introduced_by or "")} if staff else {})}
            for introduction in introductions.order_by("introduced_on", "pk")
        ],
        "events": [
            {"event": participation.event.title, "date": _date(participation.event.starts_on),
             "registered_at": _date(participation.created_at), "attended": participation.attended}
            for participation in participations
        ],
    }


@transaction.atomic
def erase_person(*, migrant, account) -> None:
    keys = [f"partnerships.introduction:{pk}" for pk in Introduction.objects.filter(migrant=migrant).values_list("pk", flat=True)]
    introductions_erase_person(migrant=migrant)
    referrals_erase_person(migrant=migrant)
    notifications_forget(key_prefixes=keys)


def _fold(model, kept, folded) -> None:
    """Delete ``folded`` and give its history to ``kept``: one row, both histories."""
    history = model.history.model.objects
    folded_pk = folded.pk
    folded.delete()
    history.filter(id=folded_pk, history_type="-").delete()
    history.filter(id=folded_pk).update(id=kept.pk)


@transaction.atomic
def merge_persons(*, survivor, duplicate) -> None:
    survivor_open = {
        introduction.organisation_id: introduction
        for introduction in Introduction.objects.select_for_update().filter(
            migrant=survivor, status__in=OPEN_INTRODUCTION_STATUSES
        )
    }
    for introduction in Introduction.objects.select_for_update().filter(
        migrant=duplicate, status__in=OPEN_INTRODUCTION_STATUSES, organisation_id__in=list(survivor_open)
    ):
        kept = survivor_open[introduction.organisation_id]
        outcomes = [text for text in (kept.outcome, introduction.outcome) if text]
        if introduction.purpose and introduction.purpose not in kept.purpose:
            kept.purpose = f"{kept.purpose}\n{introduction.purpose}"
        kept.outcome = "\n".join(outcomes)
        if introduction.follow_up_on and (kept.follow_up_on is None or introduction.follow_up_on < kept.follow_up_on):
            kept.follow_up_on = introduction.follow_up_on
        kept.introduced_on = min(kept.introduced_on, introduction.introduced_on)
        _fold(Introduction, kept, introduction)
        kept._change_reason = "merged"
        kept.full_clean(exclude=["migrant"])
        kept.save()

    # Two open referrals to one offer become one (the survivor's), like introductions.
    survivor_referrals = {
        referral.offer_id: referral
        for referral in OfferReferral.objects.select_for_update().filter(migrant=survivor, status__in=OPEN_REFERRAL_STATUSES)
    }
    for referral in OfferReferral.objects.select_for_update().filter(
        migrant=duplicate, status__in=OPEN_REFERRAL_STATUSES, offer_id__in=list(survivor_referrals)
    ):
        kept = survivor_referrals[referral.offer_id]
        if referral.note and referral.note not in kept.note:
            kept.note = "\n".join(text for text in (kept.note, referral.note) if text)
        kept.outcome = "\n".join(text for text in (kept.outcome, referral.outcome) if text)
        kept.referred_on = min(kept.referred_on, referral.referred_on)
        _fold(OfferReferral, kept, referral)
        kept._change_reason = "merged"
        kept.save()

    survivor_events = {
        participation.event_id: participation
        for participation in EventParticipant.objects.select_for_update().filter(migrant=survivor)
    }
    for participation in EventParticipant.objects.select_for_update().filter(
        migrant=duplicate, event_id__in=list(survivor_events)
    ):
        kept = survivor_events[participation.event_id]
        known = [value for value in (kept.attended, participation.attended) if value is not None]
        kept.attended = any(known) if known else None
        _fold(EventParticipant, kept, participation)
        kept._change_reason = "merged"
        kept.save()
