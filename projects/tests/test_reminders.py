"""The projects' due items for one person (the dashboard's Today card) are exactly their share of
the whole run (the morning digest), read in one query per provider."""
from datetime import timedelta

import pytest
from django.utils import timezone

from hom.notifications.due import due_items
from hom.notifications.models import OfficeReminderSettings
from migrants.tests.factories import MigrantFactory
from projects import reminders
from projects.models import DossierStatus, ProjectDossier
from projects.tests.factories import DossierFactory


@pytest.fixture
def dossiers(users, office, other_office):
    now = timezone.now()
    OfficeReminderSettings.objects.create(office=other_office, waiting_days=2)
    made = []
    for place, advisor in ((office, users["advisor"]), (office, None), (other_office, users["other_office_advisor"])):
        for days in (1, 3, 8, 20):
            for status in (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW, DossierStatus.CHANGES_REQUESTED):
                dossier = DossierFactory(
                    promoter=MigrantFactory(office=place, user=None), advisor=advisor, status=status,
                    submitted_at=now - timedelta(days=days),
                )
                made.append(dossier)
    sent_back = DossierFactory(
        promoter=MigrantFactory(office=office, user=users["migrant"]), status=DossierStatus.CHANGES_REQUESTED,
        submitted_at=now - timedelta(days=12),
    )
    ProjectDossier.objects.filter(pk=sent_back.pk).update(updated_at=now - timedelta(days=10))
    return [*made, sent_back]


@pytest.mark.parametrize("name", ["advisor", "admin", "other_office_advisor", "superuser", "migrant"])
def test_a_persons_items_are_their_share_of_the_whole_run(users, dossiers, name):
    today = timezone.localdate()
    everyone = due_items(today=today)
    person = users[name]

    mine = due_items(today=today, recipient=person)

    assert mine == [item for item in everyone if item.recipient_id == person.pk]
    if name != "superuser":
        assert mine, "the fixture gives each of them something due"


def test_dossiers_waiting_for_one_person_is_one_query(users, dossiers, django_assert_num_queries):
    today = timezone.localdate()

    with django_assert_num_queries(1):
        advisor_items = list(reminders.dossiers_waiting(today, None, recipient=users["advisor"]))
    with django_assert_num_queries(1):
        admin_items = list(reminders.dossiers_waiting(today, None, recipient=users["admin"]))

    # A provider may yield others' items too (``due_items`` keeps the recipient's): theirs are there.
    assert users["advisor"].pk in {item.recipient_id for item in advisor_items}
    assert users["admin"].pk in {item.recipient_id for item in admin_items}
