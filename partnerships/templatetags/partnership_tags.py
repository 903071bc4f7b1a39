"""Template tags for other apps' pages: a person's introductions, a partner's conventions."""
from django import template

from partnerships import selectors, workflows

register = template.Library()


@register.simple_tag
def migrant_introductions(migrant, user):
    # ``has_introductions``: read with the person on their page (``migrant_page_exists``); no query when False.
    if not getattr(migrant, "has_introductions", True):
        return []
    return list(selectors.introductions_of_migrant(user, migrant))


@register.inclusion_tag("partnerships/conventions/_partner_card.html", takes_context=True)
def partner_conventions_card(context):
    """The partner's home page: their conventions and the reports their organisations owe."""
    from django.utils import timezone

    from partnerships.conventions.selectors import conventions_of_partner

    return {"conventions": conventions_of_partner(context["request"].user), "today": timezone.localdate()}


# --- What the pages show of the state machines (``partnerships.workflows``) --------------


@register.filter
def convention_status_colour(status) -> str:
    return workflows.convention_status_colour(status)


@register.filter
def convention_move_button(status) -> str:
    """The button of a move: a danger when it ends the convention."""
    return "btn-outline-danger" if status in workflows.CONVENTION_ENDING_MOVES else "btn-outline-primary"


@register.filter
def report_status_colour(status) -> str:
    return workflows.report_item_status_colour(status)


@register.filter
def report_awaits_review(status) -> bool:
    return workflows.report_item_awaits_review(status)


@register.filter
def report_is_due(status) -> bool:
    return workflows.report_item_is_due(status)


@register.filter
def introduction_is_open(status) -> bool:
    """An introduction that may still move (neither declined nor completed)."""
    return not workflows.introduction_is_final(status)


@register.simple_tag
def migrant_offer_referrals(migrant, user):
    """The person's referrals to partner offers (staff of their office; the person themselves)."""
    from partnerships.offers.selectors import referrals_of_migrant

    if not getattr(migrant, "has_offer_referrals", True):  # read with the person (``migrant_page_exists``)
        return []
    return list(referrals_of_migrant(user, migrant))


@register.filter
def referral_moves(status):
    """The statuses a referral may go to from ``status`` (``workflows.REFERRAL_MOVES``), in order."""
    from partnerships.offers.models import ReferralStatus
    from partnerships.workflows import REFERRAL_MOVES

    allowed = REFERRAL_MOVES.get(status, ())
    return [choice for choice in ReferralStatus if choice in allowed]
