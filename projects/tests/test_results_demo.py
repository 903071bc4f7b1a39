"""The demo's results after funding: funded dossiers of Sédhiou followed up, one check overdue, idempotent."""
from django.utils import timezone

from hom.accounts.demo import seed as seed_accounts
from hom.notifications.models import ReminderKind
from projects import reminders
from projects.demo import seed
from projects.results.models import ResultCheck


def test_the_demo_follows_up_funded_dossiers_of_sedhiou_with_one_check_overdue(db):
    seed_accounts()

    seed()
    recorded = set(ResultCheck.objects.filter(recorded_at__isnull=False).values_list("pk", "recorded_at"))
    seed()

    assert set(ResultCheck.objects.filter(recorded_at__isnull=False).values_list("pk", "recorded_at")) == recorded
    followed = ResultCheck.objects.filter(recorded_at__isnull=False).values("dossier").distinct()
    assert followed.count() == 3
    assert not ResultCheck.objects.filter(dossier__in=followed).exclude(dossier__office__code="SED").exists()
    assert ResultCheck.objects.filter(months=12, state="operating").exists()
    due = [
        item for item in reminders.dossiers_waiting(timezone.localdate(), None)
        if item.kind == ReminderKind.RESULT_CHECK
    ]
    assert len({item.object_key for item in due}) == 1
