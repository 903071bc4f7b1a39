"""The opportunity's rules: constraints, FCFA equivalents, own-contribution rule."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from projects.funding.models import Currency, FundingOpportunity
from projects.tests.funding_factories import FundingOpportunityFactory


def test_an_amount_in_euros_gets_its_fcfa_equivalent_at_the_peg(db):
    opportunity = FundingOpportunityFactory(amount_min=1000, amount_max=15000, currency=Currency.EUR)

    assert opportunity.amount_min_xof == 655957
    assert opportunity.amount_max_xof == 9839355


def test_the_rate_is_a_setting(db, settings):
    settings.EUR_TO_XOF = 650

    opportunity = FundingOpportunityFactory(amount_max=100, currency=Currency.EUR)

    assert opportunity.amount_max_xof == 65000


def test_amounts_in_fcfa_are_kept_as_they_are(db):
    opportunity = FundingOpportunityFactory(amount_min=5_000_000, amount_max=15_000_000)

    assert (opportunity.amount_min_xof, opportunity.amount_max_xof) == (5_000_000, 15_000_000)


@pytest.mark.parametrize(
    ("fields", "message_field"),
    [
        ({"amount_min": 10, "amount_max": 5}, "__all__"),
        ({"youth_min_age": 40, "youth_max_age": 18}, "__all__"),
        ({"max_share_funded_percent": 120}, "__all__"),
        ({"min_own_contribution_percent": 101}, "__all__"),
        ({"is_rolling": True, "deadline": "2027-01-31"}, "__all__"),
        ({"required_documents": ["PASSPORT"]}, "required_documents"),
    ],
)
def test_inconsistent_values_are_refused_with_a_message(db, fields, message_field):
    with pytest.raises(ValidationError) as error:
        FundingOpportunityFactory(**fields)

    assert message_field in error.value.message_dict


def test_the_database_refuses_a_minimum_above_the_maximum(db):
    opportunity = FundingOpportunityFactory(amount_min=1, amount_max=2)

    with pytest.raises(IntegrityError):
        FundingOpportunity.objects.filter(pk=opportunity.pk).update(amount_min=3)


@pytest.mark.parametrize(
    ("max_share", "min_own", "required"),
    [(80, None, 20), (None, 30, 30), (70, 20, 30), (None, None, None)],
)
def test_the_own_contribution_rule_is_the_stricter_of_the_two_ways_to_state_it(db, max_share, min_own, required):
    opportunity = FundingOpportunity(max_share_funded_percent=max_share, min_own_contribution_percent=min_own)

    assert opportunity.required_own_contribution_percent == required


def test_required_documents_are_shown_by_label(db):
    opportunity = FundingOpportunity(required_documents=["NINEA", "BUSINESS_PLAN"])

    with translation.override("en"):
        labels = opportunity.get_required_documents_display()

    assert labels == ["NINEA", "Business plan"]
