"""Due items of partnerships: introductions to follow up, convention reports, meeting actions."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from django.utils import translation

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.due import due_items
from hom.notifications.models import ReminderKind
from hom.notifications.services import digest_send
from hom.notifications.tests.conftest import TODAY
from migrants.tests.factories import MigrantFactory
from partnerships.conventions.models import ConventionStatus, ReportItemStatus
from partnerships.models import IntroductionStatus
from partnerships.reminders import convention_reports_due, introductions_due, meeting_actions_due
from partnerships.tests.convention_factories import (
    ActionItemFactory,
    ConventionFactory,
    ConventionPartyFactory,
    MeetingFactory,
    ReportingObligationFactory,
    ReportItemFactory,
)
from partnerships.tests.factories import IntroductionFactory, OrganisationFactory


def _of_kind(kind, items):
    return [item for item in items if item.kind == kind]


def _count_queries(provider, today, office):
    with CaptureQueriesContext(connection) as captured:
        items = list(provider(today, office))
    return len(captured), len(items)


def _convention_url(convention):
    try:
        return convention.get_absolute_url()
    except NoReverseMatch:  # the conventions' pages are built in parallel
        return ""


# --- Introductions ---------------------------------------------------------------------------


@pytest.fixture
def introduction(users, office):
    """def make(follow_up_on, **kwargs) -> an introduction made by the Sédhiou advisor."""

    organisation = OrganisationFactory(name="Entreprendre au Sénégal")

    def make(follow_up_on, **kwargs):
        kwargs.setdefault("introduced_by", users["advisor"])
        migrant = MigrantFactory(office=office, first_name="Awa", last_name="Sané", consent_sharing=True)
        return IntroductionFactory(
            migrant=migrant,
            organisation=organisation,
            introduced_on=TODAY - timedelta(days=30),
            follow_up_on=follow_up_on,
            **kwargs,
        )

    return make


def test_an_introduction_whose_follow_up_has_come_reminds_who_made_it(users, introduction, today):
    overdue = introduction(TODAY - timedelta(days=2))
    due_today = introduction(TODAY)
    introduction(TODAY + timedelta(days=1))
    introduction(TODAY - timedelta(days=1), status=IntroductionStatus.COMPLETED)

    items = _of_kind(ReminderKind.INTRODUCTION, due_items(today=today))

    assert [(item.object_key, item.due_on, item.recipient_id) for item in items] == [
        (f"partnerships.introduction:{overdue.pk}:2026-11-25", TODAY - timedelta(days=2), users["advisor"].pk),
        (f"partnerships.introduction:{due_today.pk}:2026-11-27", TODAY, users["advisor"].pk),
    ]
    assert items[0].url == f"/partnerships/{overdue.organisation_id}/"
    with translation.override("en"):
        assert str(items[0].title) == "Follow up the introduction of Awa Sané to Entreprendre au Sénégal"


def test_a_new_follow_up_date_is_a_new_reminder(users, introduction, today):
    item = introduction(TODAY - timedelta(days=1))
    first = digest_send(recipient=users["advisor"], day=TODAY)

    item.follow_up_on = TODAY + timedelta(days=3)
    item.save()
    second = digest_send(recipient=users["advisor"], day=TODAY + timedelta(days=3))

    assert (first.new_count, second.new_count) == (1, 1)
    assert users["advisor"].reminders.filter(kind=ReminderKind.INTRODUCTION).count() == 2


def test_an_introduction_made_by_nobody_goes_to_the_persons_advisor(users, office, introduction, today):
    item = introduction(TODAY, introduced_by=None)
    item.migrant.advisor = users["admin"]
    item.migrant.save()

    assert [i.recipient_id for i in introductions_due(today, office)] == [users["admin"].pk]
    assert len(list(introductions_due(today, office, recipient=users["admin"]))) == 1
    assert list(introductions_due(today, office, recipient=users["advisor"])) == []


def test_introductions_of_another_office_stay_out(users, other_office, introduction, today):
    introduction(TODAY)

    assert list(introductions_due(today, other_office)) == []
    assert list(introductions_due(today, None, recipient=users["other_office_advisor"])) == []


def test_introductions_take_the_same_queries_for_2_or_20(users, introduction, office, today):
    for _ in range(2):
        introduction(TODAY)
    with_two = _count_queries(introductions_due, today, office)
    for _ in range(18):
        introduction(TODAY)

    assert _count_queries(introductions_due, today, office) == (with_two[0], 20)
    assert with_two == (1, 2)


# --- Convention reports ----------------------------------------------------------------------


@pytest.fixture
def report(users, office):
    """def make(due_on, **kwargs) -> a report owed by a partner organisation on a Sédhiou convention."""

    def make(due_on, convention=None, status=ReportItemStatus.DUE, **kwargs):
        convention = convention or ConventionFactory(office=office, advisor=users["advisor"], title="Jeunes ruraux")
        organisation = OrganisationFactory()
        party = ConventionPartyFactory(convention=convention, organisation=organisation)
        obligation = ReportingObligationFactory(convention=convention, party=party, title="Rapport trimestriel")
        extra = {"file": "conventions/rapport.pdf"} if status != ReportItemStatus.DUE else {}
        return ReportItemFactory(obligation=obligation, due_on=due_on, status=status, **extra, **kwargs)

    return make


def test_a_report_due_within_7_days_or_late_reminds_the_advisor_and_the_owing_partner(users, report, today):
    late = report(TODAY - timedelta(days=3))
    soon = report(TODAY + timedelta(days=7))
    report(TODAY + timedelta(days=8))
    report(TODAY - timedelta(days=1), status=ReportItemStatus.SUBMITTED)
    late.party.organisation.partner_users.add(users["partner"])

    items = _of_kind(ReminderKind.CONVENTION_REPORT, due_items(today=today))

    assert sorted((item.object_key, item.recipient_id, item.due_on) for item in items) == sorted(
        [
            (f"partnerships.report:{late.pk}", users["advisor"].pk, TODAY - timedelta(days=10)),
            (f"partnerships.report:{late.pk}", users["partner"].pk, TODAY - timedelta(days=10)),
            (f"partnerships.report:{soon.pk}", users["advisor"].pk, TODAY),
        ]
    )
    assert {item.url for item in items} == {_convention_url(late.convention), _convention_url(soon.convention)}
    with translation.override("en"):
        assert str(items[0].title) == (
            f"Report “Rapport trimestriel” from {late.party.organisation.name}, convention “Jeunes ruraux”"
        )
    assert {item.shown_on for item in items} == {TODAY - timedelta(days=3), TODAY + timedelta(days=7)}


def test_reports_of_conventions_not_running_are_not_reminded(users, office, report, today):
    for status in (ConventionStatus.DRAFT, ConventionStatus.NEGOTIATION, ConventionStatus.CLOSED):
        report(TODAY, convention=ConventionFactory(office=office, advisor=users["advisor"], status=status))
    report(TODAY, convention=ConventionFactory(office=office, advisor=users["advisor"], status=ConventionStatus.SUSPENDED))

    assert len(list(convention_reports_due(today, office))) == 1


def test_a_convention_without_advisor_reminds_its_office_admins(users, office, report, today):
    report(TODAY, convention=ConventionFactory(office=office, advisor=None))

    assert [item.recipient_id for item in convention_reports_due(today, None)] == [users["admin"].pk]
    assert len(list(convention_reports_due(today, None, recipient=users["admin"]))) == 1
    assert list(convention_reports_due(today, None, recipient=users["advisor"])) == []


def test_a_partner_hears_only_of_the_reports_its_organisation_owes(users, office, report, today):
    ours = report(TODAY)
    report(TODAY)
    ours.party.organisation.partner_users.add(users["partner"])

    items = list(convention_reports_due(today, None, recipient=users["partner"]))

    assert [(item.object_key, item.recipient_id) for item in items] == [
        (f"partnerships.report:{ours.pk}", users["partner"].pk)
    ]


def test_reports_of_another_office_stay_out(users, other_office, report, today):
    report(TODAY)

    assert list(convention_reports_due(today, other_office)) == []
    assert list(convention_reports_due(today, None, recipient=users["other_office_advisor"])) == []


def test_the_advisor_and_the_partner_get_the_late_report_in_their_digest(users, report, today, mailoutbox):
    late = report(TODAY - timedelta(days=1))
    late.party.organisation.partner_users.add(users["partner"])

    digests = [digest_send(recipient=users[name], day=TODAY) for name in ("advisor", "partner")]

    assert [(digest.item_count, digest.new_count) for digest in digests] == [(1, 1), (1, 1)]
    assert sorted(email.to[0] for email in mailoutbox) == ["advisor@example.sn", "partner@example.sn"]
    assert all("26/11/2026" in email.body for email in mailoutbox)
    assert users["partner"].notifications.get().url == _convention_url(late.convention)


def test_reports_take_the_same_queries_for_2_or_20(users, office, report, today):
    def make(count):  # unassigned conventions, owed by partners with an account: every lookup runs
        for _ in range(count):
            item = report(TODAY, convention=ConventionFactory(office=office, advisor=None))
            item.party.organisation.partner_users.add(UserFactory(role=Role.PARTNER))

    make(2)
    with_two = _count_queries(convention_reports_due, today, office)
    make(18)

    assert with_two == (3, 4)
    assert _count_queries(convention_reports_due, today, office) == (3, 40)


# --- Meeting actions -------------------------------------------------------------------------


@pytest.fixture
def action(users, office):
    """def make(due_on, **kwargs) -> an action decided at a meeting of a Sédhiou convention."""

    def make(due_on, convention=None, **kwargs):
        convention = convention or ConventionFactory(office=office, advisor=users["advisor"], title="Jeunes ruraux")
        meeting = MeetingFactory(convention=convention)
        return ActionItemFactory(meeting=meeting, due_on=due_on, description="Envoyer la liste des bénéficiaires", **kwargs)

    return make


def test_an_action_due_or_overdue_reminds_its_owner(users, action, today):
    colleague = UserFactory(role=Role.ADVISOR, office=users["advisor"].office)
    overdue = action(TODAY - timedelta(days=4), owner=colleague)
    due_today = action(TODAY, owner=colleague)
    action(TODAY + timedelta(days=1), owner=colleague)
    action(TODAY - timedelta(days=1), owner=colleague, done_on=TODAY)

    items = _of_kind(ReminderKind.MEETING_ACTION, due_items(today=today))

    assert [(item.object_key, item.due_on, item.recipient_id) for item in items] == [
        (f"partnerships.action:{overdue.pk}", TODAY - timedelta(days=4), colleague.pk),
        (f"partnerships.action:{due_today.pk}", TODAY, colleague.pk),
    ]
    with translation.override("en"):
        assert str(items[0].title) == (
            "Meeting action: Envoyer la liste des bénéficiaires (convention “Jeunes ruraux”)"
        )


def test_an_action_without_owner_goes_to_the_advisor_then_the_office_admins(users, office, action, today):
    followed = action(TODAY, owner=None)
    unfollowed = action(TODAY, owner=None, convention=ConventionFactory(office=office, advisor=None))

    items = list(meeting_actions_due(today, None))

    assert sorted((item.object_key, item.recipient_id) for item in items) == sorted(
        [
            (f"partnerships.action:{followed.pk}", users["advisor"].pk),
            (f"partnerships.action:{unfollowed.pk}", users["admin"].pk),
        ]
    )
    assert [i.object_key for i in meeting_actions_due(today, None, recipient=users["admin"])] == [
        f"partnerships.action:{unfollowed.pk}"
    ]
    assert [i.object_key for i in meeting_actions_due(today, None, recipient=users["advisor"])] == [
        f"partnerships.action:{followed.pk}"
    ]


def test_actions_of_another_office_stay_out(users, other_office, action, today):
    action(TODAY, owner=users["advisor"])

    assert list(meeting_actions_due(today, other_office)) == []
    assert list(meeting_actions_due(today, None, recipient=users["other_office_advisor"])) == []


def test_actions_take_the_same_queries_for_2_or_20(users, office, action, today):
    def make(count):
        for number in range(count):
            convention = ConventionFactory(office=office, advisor=None)
            action(TODAY, convention=convention, owner=users["advisor"] if number % 2 else None)

    make(2)
    with_two = _count_queries(meeting_actions_due, today, office)
    make(18)

    assert with_two == (2, 2)
    assert _count_queries(meeting_actions_due, today, office) == (2, 20)


def test_an_overdue_action_is_announced_once_and_listed_until_done(users, action, today):
    item = action(TODAY - timedelta(days=1), owner=users["advisor"])

    first = digest_send(recipient=users["advisor"], day=TODAY)
    second = digest_send(recipient=users["advisor"], day=TODAY + timedelta(days=1))
    item.done_on = TODAY + timedelta(days=1)
    item.save()
    third = digest_send(recipient=users["advisor"], day=TODAY + timedelta(days=2))

    assert [(d.item_count, d.new_count) for d in (first, second, third)] == [(1, 1), (1, 0), (0, 0)]
