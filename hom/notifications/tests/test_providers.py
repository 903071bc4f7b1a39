"""Due items: follow-ups, dossiers waiting for review, changes requested and left untouched."""
from datetime import datetime, timedelta

import time_machine

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.due import due_items
from hom.notifications.models import OfficeReminderSettings, ReminderKind
from hom.notifications.tests.conftest import DAKAR, TODAY
from migrants.tests.factories import MigrantFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory


def _submitted(office, advisor, days_ago, status=DossierStatus.SUBMITTED):
    submitted_at = datetime(2026, 11, 27, 9, 0, tzinfo=DAKAR) - timedelta(days=days_ago)
    promoter = MigrantFactory(office=office)
    return DossierFactory(promoter=promoter, advisor=advisor, status=status, submitted_at=submitted_at)


def test_follow_ups_due_today_or_overdue_go_to_the_advisor_who_owes_them(users, follow_up, today):
    due_today = follow_up(TODAY)
    overdue = follow_up(TODAY - timedelta(days=3))
    follow_up(TODAY + timedelta(days=1))
    follow_up(TODAY - timedelta(days=1), follow_up_done=True)

    items = due_items(today=today)

    assert [(item.object_key, item.recipient_id) for item in items] == [
        (f"migrants.visit:{overdue.pk}", users["advisor"].pk),
        (f"migrants.visit:{due_today.pk}", users["advisor"].pk),
    ]
    assert str(items[0].title) == "Relancer Awa Sané"
    assert items[0].url == f"/migrants/{overdue.migrant_id}/"


def test_a_follow_up_without_a_named_advisor_goes_to_the_visit_advisor(users, office, follow_up, today):
    visit = follow_up(TODAY, advisor=None)
    visit.follow_up_advisor, visit.advisor = None, users["admin"]
    visit.save()

    items = due_items(today=today, recipient=users["admin"])

    assert [item.recipient_id for item in items] == [users["admin"].pk]


def test_a_dossier_waiting_n_days_reminds_its_advisor_then_the_office_admin_after_2n(users, office, today):
    _submitted(office, users["advisor"], days_ago=6)
    week = _submitted(office, users["advisor"], days_ago=7)
    fortnight = _submitted(office, users["advisor"], days_ago=14, status=DossierStatus.IN_REVIEW)

    items = [item for item in due_items(today=today) if item.kind == ReminderKind.DOSSIER_WAITING]

    assert sorted((item.object_key.split(":")[1], item.recipient_id) for item in items) == sorted(
        [
            (str(week.pk), users["advisor"].pk),
            (str(fortnight.pk), users["advisor"].pk),
            (str(fortnight.pk), users["admin"].pk),
        ]
    )


def test_the_delay_is_set_per_office(users, office, today):
    OfficeReminderSettings.objects.create(office=office, waiting_days=3)
    dossier = _submitted(office, users["advisor"], days_ago=3)

    items = due_items(today=today, office=office)

    assert [(item.recipient_id, item.due_on) for item in items] == [(users["advisor"].pk, TODAY)]
    assert str(items[0].title) == f"Le dossier {dossier.reference} attend votre examen"


def test_an_unassigned_dossier_reminds_the_office_admin_after_n_days(users, office, today):
    _submitted(office, None, days_ago=7)

    items = due_items(today=today)

    assert [item.recipient_id for item in items] == [users["admin"].pk]


def test_changes_requested_and_untouched_for_n_days_remind_the_promoter(users, office, today):
    promoter = MigrantFactory(office=office, user=users["migrant"])
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=DAKAR), tick=False):
        untouched = DossierFactory(
            promoter=promoter, status=DossierStatus.CHANGES_REQUESTED, submitted_at=datetime(2026, 11, 1, tzinfo=DAKAR)
        )
    with time_machine.travel(datetime(2026, 11, 22, 10, 0, tzinfo=DAKAR), tick=False):
        DossierFactory(
            promoter=promoter, status=DossierStatus.CHANGES_REQUESTED, submitted_at=datetime(2026, 11, 1, tzinfo=DAKAR)
        )

    items = due_items(today=today, recipient=users["migrant"])

    assert [(item.object_key, item.due_on) for item in items] == [
        (f"projects.dossier:{untouched.pk}:changes", TODAY)
    ]


def test_other_offices_items_stay_out_of_an_office_run(users, other_office, follow_up, today):
    follow_up(TODAY)
    kolda_advisor = UserFactory(role=Role.ADVISOR, office=other_office)

    assert due_items(today=today, office=other_office) == []
    assert due_items(today=today, recipient=kolda_advisor) == []
