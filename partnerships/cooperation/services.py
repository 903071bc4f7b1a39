"""Writes of cooperation requests and introductions. The commune's authority requests; the
office's staff introduce, move and close. Each write names who made it in the history."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.models import STAFF_ROLES, Office, Role
from partnerships.workflows import cooperation_may_move

from .models import (
    COOPERATION_ORGANISATION_KINDS,
    CooperationIntroduction,
    CooperationRequest,
    CooperationStatus,
    RequestStatus,
)


def office_of_commune(commune) -> Office:
    """The office of the commune's region; a ValidationError when no office covers it."""
    office = Office.objects.filter(region_id=commune.department.region_id).first()
    if office is None:
        raise ValidationError(_("No office covers this commune yet."))
    return office


def _is_staff_of(user, office_id) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.role in STAFF_ROLES and user.office_id == office_id)


@transaction.atomic
def cooperation_request_create(*, commune, requested_by, looking_for: str, purpose: str,
                               organisation=None) -> CooperationRequest:
    """An authority asks the office of its commune for an introduction."""
    if requested_by.role != Role.AUTHORITY or not requested_by.communes.filter(pk=commune.pk).exists():
        raise PermissionDenied
    request = CooperationRequest(
        office=office_of_commune(commune), commune=commune, requested_by=requested_by,
        looking_for=looking_for, purpose=purpose, organisation=organisation,
    )
    request.full_clean()
    request._history_user = requested_by
    request.save()
    return request


@transaction.atomic
def cooperation_request_close(*, request: CooperationRequest, closed_by, answer: str) -> CooperationRequest:
    """Staff close an open request without an introduction, saying why (the authority reads it)."""
    request = CooperationRequest.objects.select_for_update().get(pk=request.pk)
    if not _is_staff_of(closed_by, request.office_id):
        raise PermissionDenied
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is already answered."))
    if not answer.strip():
        raise ValidationError(_("Say why the request is closed: the commune reads it."))
    request.status = RequestStatus.CLOSED
    request.answer = answer.strip()
    request.full_clean()
    request._history_user = closed_by
    request.save()
    return request


@transaction.atomic
def cooperation_create(*, commune, organisation, introduced_by, purpose: str, description: str,
                       follow_up_on=None, introduced_on=None, request: CooperationRequest | None = None,
                       ) -> CooperationIntroduction:
    """Staff of the commune's office introduce it to an association or a foreign local authority;
    an open request of the commune, when given, is answered by it."""
    office = office_of_commune(commune)
    if not _is_staff_of(introduced_by, office.pk):
        raise PermissionDenied
    if organisation.kind not in COOPERATION_ORGANISATION_KINDS:
        raise ValidationError(_("A commune is introduced to a diaspora association or a foreign local authority."))
    if request is not None:
        request = CooperationRequest.objects.select_for_update().get(pk=request.pk)
        if request.commune_id != commune.pk or request.status != RequestStatus.OPEN:
            raise ValidationError(_("This request is already answered."))
    if CooperationIntroduction.objects.open().filter(commune=commune, organisation=organisation).exists():
        raise ValidationError(_("The commune already has an open introduction to this organisation."))
    introduction = CooperationIntroduction(
        office=office, commune=commune, organisation=organisation, introduced_by=introduced_by, purpose=purpose,
        description=description, follow_up_on=follow_up_on, introduced_on=introduced_on or timezone.localdate(),
        request=request,
    )
    introduction.full_clean()
    introduction._history_user = introduced_by
    try:
        with transaction.atomic():
            introduction.save()
    except IntegrityError as error:  # two clicks at once
        raise ValidationError(_("The commune already has an open introduction to this organisation.")) from error
    if request is not None:
        request.status = RequestStatus.INTRODUCED
        request._history_user = introduced_by
        request.save()
    return introduction


@transaction.atomic
def cooperation_move(*, introduction: CooperationIntroduction, moved_by, status: str, outcome: str = "",
                     follow_up_on=None) -> CooperationIntroduction:
    """Move the introduction along its workflow; a final move ends the follow-up."""
    introduction = CooperationIntroduction.objects.select_for_update().get(pk=introduction.pk)
    if not _is_staff_of(moved_by, introduction.office_id):
        raise PermissionDenied
    if not cooperation_may_move(introduction.status, status):
        raise ValidationError(_("An introduction cannot go from “%(old)s” to “%(new)s”.") % {
            "old": introduction.get_status_display(), "new": CooperationStatus(status).label,
        })
    introduction.status = status
    introduction.status_changed_on = timezone.localdate()
    if outcome:
        introduction.outcome = outcome
    if status in (CooperationStatus.DECLINED, CooperationStatus.COMPLETED):
        introduction.follow_up_on = None
    elif follow_up_on is not None:
        introduction.follow_up_on = follow_up_on
    introduction.full_clean()
    introduction._history_user = moved_by
    introduction.save()
    return introduction
