from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from partnerships.events import services
from partnerships.tests.convention_factories import ActionItemFactory, MeetingFactory
from partnerships.tests.event_factories import convention_with_party
from partnerships.tests.factories import OrganisationFactory


@pytest.fixture
def convention(office, partner_organisation):
    return convention_with_party(office, partner_organisation)


def test_a_meeting_needs_a_place_unless_it_is_remote(convention, users):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(convention=convention, created_by=users["advisor"], held_at=timezone.now())

    assert "Indiquez le lieu" in str(error.value)


def test_a_remote_meeting_needs_no_place(convention, users):
    meeting = services.meeting_create(
        convention=convention, created_by=users["advisor"], held_at=timezone.now(), is_remote=True,
    )

    assert meeting.pk and meeting.place == ""


def test_only_parties_can_be_present(convention, users):
    stranger = OrganisationFactory(name="Not a party")

    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            convention=convention, created_by=users["advisor"], held_at=timezone.now(), place="Sédhiou",
            organisations=[stranger],
        )

    assert "organisations" in error.value.message_dict


def test_a_meeting_update_is_kept_in_its_history(convention, users, partner_organisation):
    meeting = services.meeting_create(
        convention=convention, created_by=users["advisor"], held_at=timezone.now(), place="ARD Sédhiou",
        organisations=[partner_organisation],
    )

    services.meeting_update(meeting=meeting, minutes="Le comité a validé le plan de travail.")

    meeting.refresh_from_db()
    assert meeting.minutes == "Le comité a validé le plan de travail."
    assert meeting.history.count() == 2
    assert list(meeting.organisations.all()) == [partner_organisation]


def test_an_action_is_owned_by_staff_of_the_office(convention, users):
    meeting = MeetingFactory(convention=convention)

    action = services.action_add(
        meeting=meeting, description="Envoyer le compte rendu", due_on=timezone.localdate(), owner=users["advisor"],
    )

    assert action.convention == convention
    assert action.owner == users["advisor"]


def test_an_action_cannot_be_owned_by_staff_of_another_office(convention, users):
    meeting = MeetingFactory(convention=convention)

    with pytest.raises(ValidationError) as error:
        services.action_add(
            meeting=meeting, description="Envoyer le compte rendu", due_on=timezone.localdate(),
            owner=users["other_office_advisor"],
        )

    assert "owner" in error.value.message_dict


def test_an_action_of_a_partner_user_gets_their_party_organisation(convention, users, partner_organisation):
    meeting = MeetingFactory(convention=convention)

    action = services.action_add(
        meeting=meeting, description="Transmettre la liste des porteurs", due_on=timezone.localdate(),
        owner=users["partner"],
    )

    assert action.owner_organisation == partner_organisation


def test_a_partner_user_of_no_party_cannot_own_an_action(convention):
    meeting = MeetingFactory(convention=convention)
    outsider = UserFactory(role=Role.PARTNER)
    OrganisationFactory(partner_users=[outsider])

    with pytest.raises(ValidationError) as error:
        services.action_add(
            meeting=meeting, description="Transmettre", due_on=timezone.localdate(), owner=outsider,
        )

    assert "owner" in error.value.message_dict


def test_the_owners_organisation_must_be_a_party(convention, users):
    meeting = MeetingFactory(convention=convention)

    with pytest.raises(ValidationError) as error:
        services.action_add(
            meeting=meeting, description="Transmettre", due_on=timezone.localdate(),
            owner_organisation=OrganisationFactory(),
        )

    assert "owner_organisation" in error.value.message_dict


def test_an_action_done_then_reopened_keeps_both_changes(convention):
    action = ActionItemFactory(meeting=MeetingFactory(convention=convention),
                               due_on=timezone.localdate() - timedelta(days=3))

    services.action_done(action=action)
    done_on = type(action).objects.get(pk=action.pk).done_on
    reopened = services.action_reopen(action=action)

    assert done_on == timezone.localdate()
    assert reopened.done_on is None
    assert [row.done_on for row in action.history.order_by("history_date")][-2:] == [timezone.localdate(), None]
