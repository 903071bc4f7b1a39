import datetime

import pytest
from django.db import IntegrityError

from partnerships.conventions.models import (
    Convention,
    ConventionStatus,
    ReportItem,
    ReportItemStatus,
)
from partnerships.workflows import CONVENTION_TRANSITIONS

from .convention_factories import (
    ActionItemFactory,
    ContributionFactory,
    ConventionFactory,
    ConventionPartyFactory,
    EventParticipantFactory,
    ReportItemFactory,
)

pytestmark = pytest.mark.django_db


def test_every_status_has_its_moves_and_closed_is_final():
    assert set(CONVENTION_TRANSITIONS) == set(ConventionStatus.values)
    assert CONVENTION_TRANSITIONS[ConventionStatus.CLOSED] == ()


def test_a_convention_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        ConventionFactory(starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 1))


def test_an_organisation_is_party_to_a_convention_once():
    party = ConventionPartyFactory()
    with pytest.raises(IntegrityError):
        ConventionPartyFactory(convention=party.convention, organisation=party.organisation)


def test_a_contribution_belongs_to_a_party_of_the_same_convention():
    contribution = ContributionFactory()
    assert contribution.party.convention == contribution.budget_line.convention


def test_a_report_is_late_only_while_still_due_after_its_date():
    today = datetime.date(2026, 11, 27)
    late = ReportItemFactory(due_on=datetime.date(2026, 9, 30))
    ReportItemFactory(due_on=datetime.date(2026, 12, 31))
    assert list(ReportItem.objects.late(today)) == [late]
    assert late.is_late(today)


def test_a_submitted_report_needs_its_file():
    with pytest.raises(IntegrityError):
        ReportItemFactory(status=ReportItemStatus.SUBMITTED)


def test_an_event_participant_is_a_person_or_an_organisation_not_both_nor_none():
    with pytest.raises(IntegrityError):
        EventParticipantFactory()


def test_a_partner_sees_only_the_conventions_their_organisation_is_party_to(users):
    mine = ConventionPartyFactory().convention
    mine.parties.first().organisation.partner_users.add(users["partner"])
    ConventionFactory()
    assert list(Convention.objects.visible_to(users["partner"])) == [mine]


def test_staff_see_their_office_conventions_and_overdue_actions_filter_open_ones(users):
    convention = ConventionFactory(office=users["advisor"].office)
    ConventionFactory(office=users["other_office_advisor"].office)
    overdue = ActionItemFactory(meeting__convention=convention, due_on=datetime.date(2026, 1, 5))
    ActionItemFactory(meeting__convention=convention, due_on=datetime.date(2026, 1, 5), done_on=datetime.date(2026, 1, 4))
    assert list(Convention.objects.visible_to(users["advisor"])) == [convention]
    assert list(convention.actions.overdue(datetime.date(2026, 11, 27))) == [overdue]
