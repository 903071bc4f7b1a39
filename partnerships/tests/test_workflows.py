"""The state machines of ``partnerships/workflows.py`` and the people search the event forms share."""
import pytest
from django.core.exceptions import ValidationError

from migrants.tests.factories import MigrantFactory
from partnerships import workflows
from partnerships.conventions.models import ConventionStatus, ReportItemStatus
from partnerships.events.selectors import participant_person_find, people_matching
from partnerships.models import IntroductionStatus

I = IntroductionStatus  # noqa: E741


def test_declined_and_completed_introductions_are_final():
    assert workflows.introduction_is_final(I.DECLINED)
    assert workflows.introduction_is_final(I.COMPLETED)
    assert not workflows.introduction_is_final(I.CONTACTED)
    assert workflows.introduction_may_move(I.PROPOSED, I.ACCEPTED)
    assert not workflows.introduction_may_move(I.DECLINED, I.ACCEPTED)
    assert set(workflows.INTRODUCTION_MOVES) == set(I.values)


@pytest.mark.django_db
def test_only_admins_get_the_moves_of_a_convention(users):
    assert workflows.convention_moves_for(ConventionStatus.ACTIVE, users["admin"]) == [
        ConventionStatus.SUSPENDED, ConventionStatus.CLOSED,
    ]
    assert workflows.convention_moves_for(ConventionStatus.ACTIVE, users["advisor"]) == []
    assert workflows.convention_moves_for(ConventionStatus.CLOSED, users["admin"]) == []
    assert not workflows.convention_may_move(ConventionStatus.DRAFT, ConventionStatus.ACTIVE)


def test_reports_are_reviewed_only_when_submitted_and_never_resent_once_approved():
    R = ReportItemStatus
    assert workflows.report_item_may_submit(R.DUE) and workflows.report_item_may_submit(R.SUBMITTED)
    assert not workflows.report_item_may_submit(R.ACCEPTED)
    assert workflows.report_item_awaits_review(R.SUBMITTED)
    assert not workflows.report_item_awaits_review(R.DUE)
    assert [workflows.report_item_status_colour(status) for status in R.values] == ["secondary", "info", "success"]


@pytest.mark.django_db
def test_the_people_search_finds_one_person_of_the_office_by_file_number_or_name(users):
    office = users["advisor"].office
    awa = MigrantFactory(office=office, first_name="Awa", last_name="Ndiaye")
    MigrantFactory(office=office, first_name="Awa", last_name="Ndour")
    MigrantFactory(office=users["other_office_advisor"].office, first_name="Moussa", last_name="Sarr")

    assert participant_person_find(office_id=office.pk, text=awa.file_number.lower()) == awa
    assert participant_person_find(office_id=office.pk, text="  awa NDIAYE ") == awa
    assert people_matching(office_id=office.pk, text="Awa") != []
    with pytest.raises(ValidationError, match="file number|numéro"):
        participant_person_find(office_id=office.pk, text="Awa")
    with pytest.raises(ValidationError):
        participant_person_find(office_id=office.pk, text="Moussa Sarr")  # another office's registry
    assert people_matching(office_id=office.pk, text="   ") == []
