"""A migrant's dossier moved: one notification per move under the same bell, emailed once;
the old ``projects.Notification`` rows are moved here by a data migration."""
from datetime import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.notifications import services
from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.notifications.tests.conftest import DAKAR
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory
from projects import services as project_services
from projects.models import DossierStatus, DossierTransition
from projects.tasks import dossier_notify_promoter
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory


@pytest.fixture
def moved(users, office, django_capture_on_commit_callbacks):
    """A Sédhiou dossier of the migrant user, sent back to them for changes by the advisor."""
    dossier = DossierFactory(
        promoter=MigrantFactory(office=office, user=users["migrant"]),
        status=DossierStatus.SUBMITTED,
        submitted_at=datetime(2026, 11, 20, 10, 0, tzinfo=DAKAR),
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=100)
    FinancingLineFactory(dossier=dossier, amount=100)
    with django_capture_on_commit_callbacks(execute=True):
        transition = project_services.dossier_transition(
            dossier=dossier, actor=users["advisor"], to_status=DossierStatus.CHANGES_REQUESTED, comment="Le devis, svp."
        )
    return transition


def test_the_migrant_finds_the_move_under_the_bell_and_on_the_notifications_page(client, users, moved):
    client.force_login(users["migrant"])

    dashboard = client.get("/").content.decode()
    page = client.get(reverse("notifications:list")).content.decode()

    assert 'data-testid="notification-count">1<' in dashboard
    assert f"Votre dossier {moved.dossier.reference}" in page
    assert "Modifications demandées" in page
    assert [message.to for message in mail.outbox] == [["migrant@example.sn"]]


def test_opening_the_dossier_marks_its_moves_read(client, users, moved):
    client.force_login(users["migrant"])

    client.get(reverse("projects:detail", args=[moved.dossier_id]))

    assert Notification.objects.get(object_key=f"projects.transition:{moved.pk}").read_at is not None
    assert 'data-testid="notification-count"' not in client.get("/").content.decode()


def test_the_move_is_told_and_emailed_once_however_often_the_task_runs(users, moved):
    dossier_notify_promoter(moved.pk)
    dossier_notify_promoter(moved.pk)

    assert Notification.objects.filter(recipient=users["migrant"], kind=DOSSIER_MOVED).count() == 1
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_notification_of_the_same_move(users, moved):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=users["migrant"], kind=DOSSIER_MOVED, title="Encore", object_key=f"projects.transition:{moved.pk}"
        )

    again, created = services.notification_record(
        recipient=users["migrant"], kind=DOSSIER_MOVED, object_key=f"projects.transition:{moved.pk}", title="Encore"
    )
    assert created is False and again.title.startswith("Votre dossier")


def test_another_person_reaching_the_migrants_notification_gets_404(client, users, moved):
    notification = Notification.objects.get(recipient=users["migrant"])
    client.force_login(users["advisor"])

    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404


# --- The data migration ---------------------------------------------------------------------

BEFORE = [("notifications", "0003_dossier_moved_notifications"), ("projects", "0006_funding_application")]
AFTER = [("notifications", "0004_move_dossier_notifications"), ("projects", "0007_remove_notification")]


def test_the_migration_moves_the_old_dossier_notifications_and_back(django_db_serialized_rollback, reference_data):
    try:
        office = OfficeFactory(code="MIG", region=Region.objects.get(code="SN11"))
        account = UserFactory(role=Role.MIGRANT, email="awa@example.sn")
        advisor = UserFactory(role=Role.ADVISOR, office=office)
        dossier = DossierFactory(promoter=MigrantFactory(office=office, user=account), reference="MIG-P-1")
        transition = DossierTransition.objects.create(
            dossier=dossier, from_status=DossierStatus.SUBMITTED, to_status=DossierStatus.IN_REVIEW, actor=advisor
        )
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        OldNotification = executor.loader.project_state(BEFORE).apps.get_model("projects", "Notification")
        old = OldNotification.objects.create(
            recipient_id=account.pk, transition_id=transition.pk, message="Votre dossier MIG-P-1 est en cours d'examen."
        )
        read_at = datetime(2026, 11, 20, 9, 0, tzinfo=DAKAR)
        OldNotification.objects.filter(pk=old.pk).update(read_at=read_at, emailed_at=read_at, created_at=read_at)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        moved = Notification.objects.get(recipient=account)
        assert (moved.kind, moved.object_key, moved.url) == (
            DOSSIER_MOVED, f"projects.transition:{transition.pk}", f"/projects/{dossier.pk}/"
        )
        assert moved.title == "Votre dossier MIG-P-1 est en cours d'examen."
        assert (moved.read_at, moved.emailed_at, moved.created_at) == (read_at, read_at, read_at)

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("projects", "Notification").objects.get()
        assert (back.transition_id, back.message, back.read_at) == (transition.pk, moved.title, read_at)
        assert not Notification.objects.filter(kind=DOSSIER_MOVED).exists()

    finally:
        # Forward to the latest state of every app, whatever happened above: migrating back to BEFORE
        # also unapplied every later migration that depends on it (record keys, ...), which the
        # tests after this one need.
        _migrate_to_latest()


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
