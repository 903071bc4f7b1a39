"""Reads of cooperation requests and introductions, scoped by ``visible_to`` (office staff, or the
commune's authority)."""
from hom.accounts.access import get_visible_or_404
from partnerships.models import Organisation

from .models import (
    COOPERATION_ORGANISATION_KINDS,
    CooperationIntroduction,
    CooperationRequest,
    CooperationStatus,
)


def cooperation_introductions(user):
    """Every introduction ``user`` may read, open ones first by follow-up date."""
    return (
        CooperationIntroduction.objects.visible_to(user)
        .select_related("commune", "organisation", "introduced_by")
        .order_by("-introduced_on", "-pk")
    )


def cooperation_requests_open(user):
    return (
        CooperationRequest.objects.visible_to(user).open()
        .select_related("commune", "organisation", "requested_by")
        .order_by("created_at", "pk")
    )


def cooperation_requests_answered(user, *, limit: int = 50):
    """The newest requests the office answered, for the authority: with their introduction when one was made."""
    return (
        CooperationRequest.objects.visible_to(user).exclude(status="open")
        .select_related("commune", "organisation", "introduction__organisation")
        .order_by("-created_at", "-pk")[:limit]
    )


def cooperation_for_page(user, pk: int) -> CooperationIntroduction:
    return get_visible_or_404(
        CooperationIntroduction.objects.select_related("commune", "organisation", "introduced_by", "request"),
        user, pk=pk,
    )


def cooperation_history(introduction: CooperationIntroduction, *, limit: int = 30):
    """The introduction's newest changes, with who made each."""
    return introduction.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def cooperation_for_move(user, pk: int) -> CooperationIntroduction:
    return get_visible_or_404(CooperationIntroduction.objects.all(), user, pk=pk)


def request_for_staff(user, pk: int) -> CooperationRequest:
    return get_visible_or_404(CooperationRequest.objects.select_related("commune", "organisation"), user, pk=pk)


def organisations_for_cooperation():
    """The directory's diaspora associations and foreign local authorities (staff see every row)."""
    return Organisation.objects.filter(kind__in=COOPERATION_ORGANISATION_KINDS).order_by("name", "pk")


def organisations_an_authority_may_name():
    """An authority names an organisation among the published ones: it reads no other."""
    return organisations_for_cooperation().filter(is_published=True)


def cooperation_partners_of(commune):
    """The organisations of the commune's completed introductions that are published in the directory:
    names only, for the public commune profile."""
    completed = CooperationIntroduction.objects.filter(commune=commune, status=CooperationStatus.COMPLETED)
    return (
        Organisation.objects.filter(is_published=True, pk__in=completed.values("organisation_id"))
        .only("name", "acronym", "kind", "country")
        .order_by("name", "pk")
    )
