"""Writes of the partnerships app: organisations and introductions."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.models import Role
from hom.notifications.models import INTRODUCTION_ACCEPTED
from hom.outbox.services import outbox_enqueue
from hom.text import normalise
from migrants.notices.services import notice_send

from .models import Introduction, IntroductionStatus, Organisation
from .workflows import introduction_is_final, introduction_may_move

ORGANISATION_RELATIONS = ("communes_served", "departments_served", "sectors")

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
                        **fields) -> Organisation:
    organisation = Organisation(name=name, kind=kind, **fields)
    return _save_organisation(organisation, {
        "communes_served": communes_served, "departments_served": departments_served, "sectors": sectors,
    })


@transaction.atomic
def organisation_update(*, organisation: Organisation, communes_served=None, departments_served=None, sectors=None,
                        **fields) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    return _save_organisation(organisation, {
        "communes_served": communes_served, "departments_served": departments_served, "sectors": sectors,
    })


# --- Partner accounts of an organisation ---------------------------------------------------
# Linking a partner account opens the organisation's conventions, report files and minutes to
# it: an administrator's decision, taken here only (never through the organisation's form).


def partner_links_allowed(*, user, organisation: Organisation) -> bool:
    """The national admin for any organisation; an office admin for one party to their office's conventions."""
    from .conventions.models import ConventionParty

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role != Role.ADMIN or not user.office_id:
        return False
    return ConventionParty.objects.filter(organisation=organisation, convention__office_id=user.office_id).exists()


def _check_partner_link(*, organisation: Organisation, partner, by) -> None:
    if not partner_links_allowed(user=by, organisation=organisation):
        raise PermissionDenied
    if partner.role != Role.PARTNER:
        raise ValidationError({"partner": _("Only a partner account can be linked to an organisation.")})


@transaction.atomic
def organisation_partner_link(*, organisation: Organisation, partner, linked_by) -> Organisation:
    """Give ``partner`` the organisation's partner pages; the history records who and when."""
    _check_partner_link(organisation=organisation, partner=partner, by=linked_by)
    if not partner.is_active:
        raise ValidationError({"partner": _("This account is not active.")})
    organisation._history_user = linked_by
    organisation.partner_users.add(partner)
    return organisation


@transaction.atomic
def organisation_partner_unlink(*, organisation: Organisation, partner, unlinked_by) -> Organisation:
    _check_partner_link(organisation=organisation, partner=partner, by=unlinked_by)
    organisation._history_user = unlinked_by
    organisation.partner_users.remove(partner)
    return organisation


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
    if status == IntroductionStatus.ACCEPTED:
        # The person is told on their channels (migrants.notices), with the move (hom.outbox): never lost.
        outbox_enqueue(task="partnerships.tasks.introduction_notify", args=[introduction.pk])
    return introduction


def notice_send_for_introduction(*, introduction: Introduction) -> list:
    """Tell the person that the organisation they were introduced to accepted. Safe to run twice."""
    migrant = introduction.migrant
    return notice_send(
        migrant=migrant, kind=INTRODUCTION_ACCEPTED, key=f"partnerships.introduction:{introduction.pk}:accepted",
        text=lambda: _("%(organisation)s accepted the introduction the office made: they will contact you.") % {
            "organisation": introduction.organisation.name},
        path=reverse("migrants:detail", args=[migrant.pk]), subject=lambda: _("HOM: an introduction was accepted"),
    )


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
