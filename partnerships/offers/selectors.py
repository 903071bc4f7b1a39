"""Reads of partner offers: the catalogue's search, and the referrals of a person or an office."""
import re
from functools import reduce
from operator import and_

from django.db.models import Q
from django.shortcuts import get_object_or_404

from hom.accounts.access import get_visible_or_404
from hom.text import normalise

from .models import OfferReferral, PartnerOffer

WORD = re.compile(r"\w{2,}")
MAX_WORDS = 8


def offers_for_catalogue(user):
    return PartnerOffer.objects.for_catalogue(user).select_related("organisation").order_by("title", "pk")


def offers_search(queryset, query: str):
    """Every word (accents ignored) in the title, organisation, description or conditions."""
    words = [normalise(word) for word in WORD.findall(query or "")[:MAX_WORDS]]
    if not words:
        return queryset
    return queryset.filter(reduce(and_, (Q(search_text__contains=word) for word in words)))


def offers_of_kind(queryset, kind: str):
    return queryset.filter(kind=kind)


def offers_for_target_group(queryset, group: str):
    return queryset.filter(target_groups__regex=rf"(^|,){re.escape(group)}(,|$)")


def offer_for_page(user, pk: int) -> PartnerOffer:
    return get_object_or_404(
        PartnerOffer.objects.for_catalogue(user).select_related("organisation", "office")
        .prefetch_related("regions_served", "communes_served"),
        pk=pk,
    )


def offer_for_edit(user, pk: int) -> PartnerOffer:
    return get_visible_or_404(PartnerOffer.objects.select_related("organisation"), user, pk=pk)


def offers_for_referral(user):
    """The offers an advisor may refer a person to: the catalogue they see."""
    return PartnerOffer.objects.for_catalogue(user).select_related("organisation").order_by("title", "pk")


def referrals_of_migrant(user, migrant):
    return (
        OfferReferral.objects.visible_to(user).filter(migrant=migrant)
        .select_related("offer", "offer__organisation")
    )


def referrals_open(user):
    return (
        OfferReferral.objects.visible_to(user).open()
        .select_related("migrant", "offer", "offer__organisation", "referred_by")
        .order_by("referred_on", "pk")
    )


def referral_for_move(user, pk: int) -> OfferReferral:
    return get_visible_or_404(OfferReferral.objects.select_related("offer"), user, pk=pk)
