"""With the demo data, `send_reminders --dry-run` lists what falls due for the Sédhiou advisor."""
from io import StringIO

import pytest
from django.core.management import call_command

from hom.notifications.models import Digest, Notification, Reminder


@pytest.fixture
def advisors_dry_run(db) -> str:
    """The part of the dry run addressed to conseiller@demo.hom, after seed_demo."""
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out, stderr=StringIO())
    assert (Digest.objects.count(), Reminder.objects.count()) == (0, 0)
    return out.getvalue().split("<conseiller@demo.hom>")[1].split("\n\n")[0]


def _kinds(section: str) -> set[str]:
    return {line.split()[1] for line in section.splitlines()[1:] if line.strip()}


def test_the_demo_advisor_has_follow_ups_waiting_dossiers_and_funding_deadlines(advisors_dry_run):
    assert {"follow_up", "dossier_waiting", "funding_deadline"} <= _kinds(advisors_dry_run)
    assert "SED-P-" in advisors_dry_run and "/projects/" in advisors_dry_run
    assert Notification.objects.filter(reminder__isnull=False).count() == 0


def test_the_demo_advisor_has_an_introduction_to_follow_up(advisors_dry_run):
    assert "introduction" in _kinds(advisors_dry_run)


def test_the_demo_advisor_hears_of_the_late_convention_report_and_the_overdue_meeting_action(advisors_dry_run):
    kinds = _kinds(advisors_dry_run)
    assert {"convention_report", "meeting_action"} <= kinds
    assert "Grdr" in advisors_dry_run and "/partnerships/conventions/" in advisors_dry_run
    assert "/partnerships/meetings/" in advisors_dry_run


def test_the_dry_run_lists_every_kind_of_due_item_for_the_demo_advisor(advisors_dry_run):
    assert _kinds(advisors_dry_run) == {
        "follow_up", "dossier_waiting", "funding_deadline", "introduction", "convention_report", "meeting_action",
        "result_check",
    }
