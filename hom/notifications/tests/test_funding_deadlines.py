"""Due items of projects: funding deadlines within 14 days for the dossiers still to present."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.due import due_items
from hom.notifications.models import ReminderKind
from hom.notifications.services import digest_send
from hom.notifications.tests.conftest import TODAY
from migrants.tests.factories import MigrantFactory
from projects.funding.models import ApplicationStatus
from projects.reminders import funding_deadlines
from projects.tests.factories import DossierFactory
from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory


def _application(office, advisor, closes_in, status=ApplicationStatus.PLANNED, name=None, **kwargs):
    dossier = DossierFactory(promoter=MigrantFactory(office=office), advisor=advisor, title="Poulailler de Bambali")
    extra = {"name": name} if name else {}
    opportunity = FundingOpportunityFactory(deadline=TODAY + timedelta(days=closes_in), **extra)
    if status != ApplicationStatus.PLANNED:
        kwargs.setdefault("submitted_on", TODAY - timedelta(days=1))
    return FundingApplicationFactory(dossier=dossier, opportunity=opportunity, status=status, **kwargs)


def _funding(items):
    return [item for item in items if item.kind == ReminderKind.FUNDING_DEADLINE]


def test_a_deadline_within_14_days_reminds_the_dossiers_advisor(users, office, today):
    soon = _application(office, users["advisor"], closes_in=10, name="Fonds d'appui aux initiatives")
    _application(office, users["advisor"], closes_in=15)
    _application(office, users["advisor"], closes_in=-1)

    items = _funding(due_items(today=today))

    assert [(item.object_key, item.recipient_id) for item in items] == [
        (f"projects.application:{soon.pk}", users["advisor"].pk)
    ]
    assert items[0].url == f"/projects/{soon.dossier_id}/#applications"
    with translation.override("en"):
        assert str(items[0].title) == (
            f"Present dossier {soon.dossier.reference} to “Fonds d'appui aux initiatives” before its deadline"
        )
    assert (items[0].due_on, items[0].shown_on) == (TODAY - timedelta(days=4), TODAY + timedelta(days=10))


def test_the_reminder_keeps_its_key_and_date_every_morning_until_the_deadline(users, office, today):
    application = _application(office, users["advisor"], closes_in=10)

    mornings = [list(funding_deadlines(TODAY + timedelta(days=day), None)) for day in (0, 3, 10)]

    assert {(item.object_key, item.due_on) for items in mornings for item in items} == {
        (f"projects.application:{application.pk}", TODAY - timedelta(days=4))
    }
    assert list(funding_deadlines(TODAY + timedelta(days=11), None)) == []


def test_a_submitted_or_decided_application_is_done_with_its_deadline(users, office, today):
    _application(office, users["advisor"], closes_in=5, status=ApplicationStatus.SUBMITTED)
    _application(
        office, users["advisor"], closes_in=5, status=ApplicationStatus.REFUSED, decided_on=TODAY
    )

    assert _funding(due_items(today=today)) == []


def test_a_dossier_without_advisor_reminds_the_office_admins(users, office, today):
    _application(office, None, closes_in=3)

    items = _funding(due_items(today=today))

    assert [item.recipient_id for item in items] == [users["admin"].pk]
    assert _funding(due_items(today=today, recipient=users["admin"])) == items
    assert _funding(due_items(today=today, recipient=users["advisor"])) == []


def test_other_offices_and_other_advisors_do_not_get_it(users, office, other_office, today):
    _application(office, users["advisor"], closes_in=3)
    colleague = UserFactory(role=Role.ADVISOR, office=office)

    assert list(funding_deadlines(today, other_office)) == []
    assert list(funding_deadlines(today, office, recipient=colleague)) == []
    assert list(funding_deadlines(today, None, recipient=users["other_office_advisor"])) == []
    assert len(list(funding_deadlines(today, office, recipient=users["advisor"]))) == 1


def test_it_is_announced_once_then_listed_until_done(users, office, today, mailoutbox):
    application = _application(office, users["advisor"], closes_in=10)

    first = digest_send(recipient=users["advisor"], day=TODAY)
    second = digest_send(recipient=users["advisor"], day=TODAY + timedelta(days=1))
    application.status, application.submitted_on = ApplicationStatus.SUBMITTED, TODAY + timedelta(days=2)
    application.save()
    third = digest_send(recipient=users["advisor"], day=TODAY + timedelta(days=2))

    assert (first.new_count, first.item_count) == (1, 1)
    assert (second.new_count, second.item_count) == (0, 1)
    assert third.item_count == 0
    notification = users["advisor"].notifications.get(kind=ReminderKind.FUNDING_DEADLINE)
    assert notification.due_on == TODAY + timedelta(days=10)  # the deadline is what the person sees
    assert "07/12/2026" in mailoutbox[0].body


def test_the_number_of_queries_does_not_grow_with_the_deadlines(users, office, today):
    def make(count):  # half with an advisor, half left to the office admins
        for number in range(count):
            _application(office, users["advisor"] if number % 2 else None, closes_in=5)

    def run():
        with CaptureQueriesContext(connection) as captured:
            items = list(funding_deadlines(today, office))
        return len(captured), len(items)

    make(2)
    with_two = run()
    make(18)
    with_twenty = run()

    assert with_two == (2, 2)
    assert with_twenty == (2, 20)
