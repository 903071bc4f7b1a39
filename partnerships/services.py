"""Writes of the partnerships app: organisations and introductions."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.text import normalise

from .models import Introduction, IntroductionStatus, Organisation
from .workflows import introduction_is_final, introduction_may_move

ORGANISATION_RELATIONS = ("communes_served", "departments_served", "sectors", "partner_users")

# Which status may follow which: ``workflows.INTRODUCTION_MOVES``.


def search_text_for(*, name: str, acronym: str, city: str) -> str:
    return normalise(f"{name} {acronym} {city}")[:400]


def _save_organisation(organisation: Organisation, relations: dict) -> Organisation:
    organisation.search_text = search_text_for(name=organisation.name, acronym=organisation.acronym, city=organisation.city)
    organisation.full_clean()
    organisation.save()
    for name, values in relations.items():
        if values is not None:
            getattr(organisation, name).set(values)
    return organisation


@transaction.atomic
def organisation_create(*, name: str, kind: str, communes_served=None, departments_served=None, sectors=None,
                        partner_users=None, **fields) -> Organisation:
    organisation = Organisation(name=name, kind=kind, **fields)
    return _save_organisation(organisation, {
        "communes_served": communes_served, "departments_served": departments_served,
        "sectors": sectors, "partner_users": partner_users,
    })


@transaction.atomic
def organisation_update(*, organisation: Organisation, communes_served=None, departments_served=None, sectors=None,
                        partner_users=None, **fields) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    return _save_organisation(organisation, {
        "communes_served": communes_served, "departments_served": departments_served,
        "sectors": sectors, "partner_users": partner_users,
    })


@transaction.atomic
def introduction_create(*, migrant, organisation: Organisation, introduced_by, purpose: str, channel: str,
                        dossier=None, follow_up_on=None, introduced_on=None) -> Introduction:
    # Introducing a person hands their name to the organisation: only with their consent.
    if not migrant.shares_with_partners:
        raise ValidationError(_("This person has not consented to sharing their data with partners."))
    if dossier is not None and dossier.promoter_id != migrant.pk:
        raise ValidationError({"dossier": _("This dossier is not this person's.")})
    introduction = Introduction(
        office=migrant.office, migrant=migrant, organisation=organisation, dossier=dossier,
        introduced_by=introduced_by, purpose=purpose, channel=channel, follow_up_on=follow_up_on,
        introduced_on=introduced_on or timezone.localdate(),
    )
    introduction.full_clean()
    introduction.save()
    return introduction


@transaction.atomic
def introduction_move(*, introduction: Introduction, status: str, outcome: str = "", follow_up_on=None) -> Introduction:
    """Move an introduction to its next status; a final status clears the follow-up."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if not introduction_may_move(introduction.status, status):
        raise ValidationError({"status": _("An introduction cannot go from “%(old)s” to “%(new)s”.") % {
            "old": introduction.get_status_display(), "new": IntroductionStatus(status).label,
        }})
    introduction.status = status
    introduction.status_changed_on = timezone.localdate()
    if outcome:
        introduction.outcome = outcome
    final = introduction_is_final(status)
    introduction.follow_up_on = None if final else (follow_up_on or introduction.follow_up_on)
    introduction.full_clean()
    introduction.save()
    return introduction


@transaction.atomic
def introductions_erase_person(*, migrant) -> int:
    """The person's right to erasure: their introductions keep date, organisation and status, lose their text.

    Called by ``partnerships.personal_data.erase_person`` (the registry, ``migrants.personal_data``) from ``migrant_erase``.
    The history rows lose the same text.
    """
    fields = {"purpose": "—", "outcome": ""}
    count = Introduction.objects.filter(migrant=migrant).update(**fields)
    Introduction.history.model.objects.filter(migrant_id=migrant.pk).update(**fields)
    return count
