"""The notification task with a real Celery worker (needs Redis)."""
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.notifications.models import Notification
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory
from projects import services, tasks
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory


def test_a_real_worker_notifies_the_promoter_once_even_when_the_task_runs_twice(settings, reference_data):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: a real worker needs the Redis broker")
    from hom.celery import ALL_QUEUES, app

    office = OfficeFactory(code="TSK", region=Region.objects.get(code="SN01"))
    advisor = UserFactory(role=Role.ADVISOR, office=office)
    account = UserFactory(role=Role.MIGRANT, email="worker.test@example.sn")
    dossier = DossierFactory(
        promoter=MigrantFactory(office=office, user=account), status=DossierStatus.SUBMITTED, submitted_at="2026-11-20T10:00:00Z"
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=100)
    FinancingLineFactory(dossier=dossier, amount=100)
    app.conf.task_always_eager = False

    with start_worker(app, queues=ALL_QUEUES, perform_ping_check=False, shutdown_timeout=30):
        # The service queues the task once committed; it is then queued a second time.
        transition = services.dossier_transition(dossier=dossier, actor=advisor, to_status=DossierStatus.IN_REVIEW)
        tasks.dossier_notify_promoter.delay(transition.pk).get(timeout=30)

    assert Notification.objects.filter(object_key=f"projects.transition:{transition.pk}").count() == 1
    assert [message.to for message in mail.outbox] == [["worker.test@example.sn"]]
