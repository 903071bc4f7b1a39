"""`send_reminders`: the same service where there is no beat; --dry-run writes nothing."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.models import Digest, Notification, Reminder
from hom.notifications.tests.conftest import TODAY
from migrants.tests.factories import MigrantFactory, VisitFactory


def _run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_each_persons_items_and_writes_nothing(users, follow_up, today):
    follow_up(TODAY - timedelta(days=1))

    output = _run("--dry-run")

    assert "advisor@example.sn" in output
    assert "NEW follow_up" in output
    assert "Relancer Awa Sané" in output
    assert (Digest.objects.count(), Reminder.objects.count(), Notification.objects.count()) == (0, 0, 0)
    assert mail.outbox == []


def test_the_command_sends_once_and_only_for_the_office_asked(users, other_office, follow_up, today):
    follow_up(TODAY)
    kolda = UserFactory(role=Role.ADVISOR, office=other_office, email="kolda.advisor@example.sn")
    VisitFactory(migrant=MigrantFactory(office=other_office), follow_up_on=TODAY, follow_up_advisor=kolda)

    first = _run("--office", "SED")
    second = _run("--office", "sed")

    assert [email.to for email in mail.outbox] == [["advisor@example.sn"]]
    assert "1 digests, 0 already done, 0 failed" in first
    assert "0 digests, 1 already done, 0 failed" in second


def test_an_unknown_office_or_day_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No office"):
        _run("--office", "XXX")
    with pytest.raises(CommandError, match="--day"):
        _run("--day", "27/11/2026")


def test_a_failed_email_is_reported_and_the_others_are_sent(users, office, follow_up, today, flaky_email):
    colleague = UserFactory(role=Role.ADVISOR, office=office, email="colleague@example.sn")
    follow_up(TODAY)
    follow_up(TODAY, advisor=colleague)
    flaky_email["advisor@example.sn"] = 1

    output = _run("--day", TODAY.isoformat())

    assert "1 digests, 0 already done, 1 failed" in output
    assert [email.to for email in mail.outbox] == [["colleague@example.sn"]]


def test_on_the_demo_data_the_dry_run_lists_each_advisors_follow_ups_and_waiting_dossiers(db):
    call_command("seed_demo", stdout=StringIO())

    output = _run("--dry-run")

    sedhiou_advisor = output.split("<conseiller@demo.hom>")[1].split("\n\n")[0]
    assert "follow_up" in sedhiou_advisor
    assert "dossier_waiting" in sedhiou_advisor
    assert "<conseiller.kolda@demo.hom>" in output
    assert Reminder.objects.count() == 0
