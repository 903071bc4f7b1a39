"""Personal data typed at an unconfirmed sign-up does not outlive its link; old form keys go too."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hom.accounts.models import User
from hom.submissions.tasks import purge_submissions
from migrants.models import Migrant, PendingSignUp
from migrants.services import pending_sign_ups_purge, sign_up_confirm_email
from migrants.tasks import purge_pending_sign_ups
from migrants.tests.test_rights import sign_up_data

pytestmark = pytest.mark.django_db


def _sign_up(client, office, email):
    client.post(reverse("migrants:sign_up"), sign_up_data(office, email=email))
    return User.objects.get(email=email)


def test_an_expired_sign_up_is_deleted_with_its_unused_account_and_a_recent_one_is_kept(client, office):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=4), tick=False):
        old = _sign_up(client, office, "ancienne@example.sn")
    recent = _sign_up(client, office, "recente@example.sn")
    assert PendingSignUp.objects.count() == 2

    assert purge_pending_sign_ups.delay().get() == 1

    assert not User.objects.filter(pk=old.pk).exists()
    assert list(PendingSignUp.objects.values_list("user__email", flat=True)) == ["recente@example.sn"]
    assert User.objects.filter(pk=recent.pk).exists()


def test_a_confirmed_sign_up_is_never_purged(client, office):
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        user = _sign_up(client, office, "confirmee@example.sn")
        sign_up_confirm_email(user=user)

    assert pending_sign_ups_purge() == 0

    assert Migrant.objects.filter(user=user).exists()


def test_the_purges_are_scheduled_and_old_form_keys_go():
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"migrants.tasks.purge_pending_sign_ups", "hom.submissions.tasks.purge_submissions"} <= tasks
    assert purge_submissions.delay().get() == 0
