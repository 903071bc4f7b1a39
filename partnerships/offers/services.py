"""Writes of partner offers and referrals. Offers: the office's admins (or a national admin)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.models import Role
from hom.text import normalise
from partnerships.workflows import referral_may_move

from .models import OfferReferral, PartnerOffer, ReferralStatus

RELATIONS = ("regions_served", "communes_served")


def offer_may_edit(*, user, offer: PartnerOffer | None = None) -> bool:
    """An office admin edits their office's offers; a national admin any."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role != Role.ADMIN or not user.office_id:
        return False
    return offer is None or offer.office_id == user.office_id


def offer_search_text(offer: PartnerOffer) -> str:
    """What the catalogue's search reads: title, organisation, description and conditions, without accents."""
    return normalise(
        f"{offer.title} {offer.organisation.name} {offer.organisation.acronym} {offer.description} {offer.conditions}"
    )


def _save(offer: PartnerOffer, relations: dict) -> PartnerOffer:
    offer.search_text = offer_search_text(offer)
    offer.full_clean()
    offer.save()
    for name, values in relations.items():
        if values is not None:
            getattr(offer, name).set(values)
    return offer


def _codes(target_groups) -> str:
    return ",".join(target_groups or [])


@transaction.atomic
def offer_create(*, office, created_by, target_groups=(), regions_served=None, communes_served=None,
                 **fields) -> PartnerOffer:
    if not offer_may_edit(user=created_by):
        raise PermissionDenied
    offer = PartnerOffer(office=office, created_by=created_by, target_groups=_codes(target_groups), **fields)
    return _save(offer, {"regions_served": regions_served, "communes_served": communes_served})


@transaction.atomic
def offer_update(*, offer: PartnerOffer, user, target_groups=(), regions_served=None, communes_served=None,
                 **fields) -> PartnerOffer:
    if not offer_may_edit(user=user, offer=offer):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.target_groups = _codes(target_groups)
    return _save(offer, {"regions_served": regions_served, "communes_served": communes_served})


@transaction.atomic
def referral_create(*, migrant, offer: PartnerOffer, referred_by, note: str = "", referred_on=None) -> OfferReferral:
    """Refer a person to an offer. The office contacts the partner about them: only with their consent."""
    if not migrant.shares_with_partners:
        raise ValidationError(_("This person has not consented to sharing their data with partners."))
    if OfferReferral.objects.open().filter(migrant=migrant, offer=offer).exists():
        raise ValidationError(_("This person already has an open referral to this offer."))
    referral = OfferReferral(
        office=migrant.office, migrant=migrant, offer=offer, referred_by=referred_by, note=note,
        referred_on=referred_on or timezone.localdate(),
    )
    referral.full_clean()
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as error:  # two clicks at once
        raise ValidationError(_("This person already has an open referral to this offer.")) from error
    return referral


@transaction.atomic
def referral_move(*, referral: OfferReferral, status: str, outcome: str = "", moved_by=None) -> OfferReferral:
    """Moves the referral on; ``moved_by`` is who did it, in the history (outside a request too)."""
    referral = OfferReferral.objects.select_for_update().get(pk=referral.pk)
    if not referral_may_move(referral.status, status):
        raise ValidationError(_("A referral cannot go from “%(old)s” to “%(new)s”.") % {
            "old": referral.get_status_display(), "new": ReferralStatus(status).label,
        })
    referral.status = status
    referral.status_changed_on = timezone.localdate()
    if outcome:
        referral.outcome = outcome
    referral.full_clean()
    if moved_by is not None:
        referral._history_user = moved_by
    referral.save()
    return referral


@transaction.atomic
def referrals_erase_person(*, migrant) -> int:
    """Erasure: the referrals keep date, offer and status, lose their note and outcome, in the history too."""
    fields = {"note": "", "outcome": ""}
    count = OfferReferral.objects.filter(migrant=migrant).update(**fields)
    OfferReferral.history.model.objects.filter(migrant_id=migrant.pk).update(**fields)
    return count
