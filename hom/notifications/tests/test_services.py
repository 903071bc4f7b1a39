"""The digest: claimed once per person and day, each item announced new once, one email."""
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from hom.notifications import services
from hom.notifications.models import Digest, DigestState, Notification, NotificationPreference, Reminder, ReminderKind
from hom.notifications.tests.conftest import TODAY


def test_the_digest_sends_one_email_with_a_link_to_each_item_and_makes_notifications(users, follow_up, today, settings):
    settings.SITE_URL = "https://hom.example.sn/"
    visit = follow_up(TODAY)

    digest = services.digest_send(recipient=users["advisor"], day=today)

    assert digest.state == DigestState.SENT
    assert (digest.item_count, digest.new_count) == (1, 1)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["advisor@example.sn"]
    assert email.subject == "HOM\u00a0: 1 rappel pour le 27/11/2026"
    assert f"https://hom.example.sn/migrants/{visit.migrant_id}/" in email.body
    assert "[nouveau] Relancer Awa Sané" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="https://hom.example.sn/migrants/{visit.migrant_id}/">Relancer Awa Sané</a>' in html
    assert list(Notification.objects.values_list("recipient", "title")) == [(users["advisor"].pk, "Relancer Awa Sané")]


def test_running_the_digest_twice_the_same_day_sends_nothing_the_second_time(users, follow_up, today):
    follow_up(TODAY)
    services.digest_send(recipient=users["advisor"], day=today)

    second = services.digest_send(recipient=users["advisor"], day=today)

    assert second is None
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 1


def test_an_overdue_item_is_in_every_digest_until_done_but_new_only_the_first_time(users, follow_up, today):
    visit = follow_up(TODAY)
    services.digest_send(recipient=users["advisor"], day=today)
    tomorrow = today + timedelta(days=1)

    with time_machine.travel(timedelta(days=1)):
        digest = services.digest_send(recipient=users["advisor"], day=tomorrow)
        visit.follow_up_done = True
        visit.save()
        after_done = services.digest_send(recipient=users["advisor"], day=tomorrow + timedelta(days=1))

    assert (digest.item_count, digest.new_count) == (1, 0)
    assert "[nouveau]" not in mail.outbox[1].body
    assert "Relancer Awa Sané" in mail.outbox[1].body
    assert after_done.state == DigestState.EMPTY
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 1


def test_a_person_with_nothing_due_gets_no_email(users, today):
    digest = services.digest_send(recipient=users["advisor"], day=today)

    assert digest.state == DigestState.EMPTY
    assert mail.outbox == []


def test_preferences_choose_the_kinds_and_may_turn_email_off(users, follow_up, today):
    follow_up(TODAY)
    NotificationPreference.objects.create(recipient=users["advisor"], kinds=[ReminderKind.DOSSIER_WAITING])
    NotificationPreference.objects.create(recipient=users["admin"], email_enabled=False)
    follow_up(TODAY, advisor=users["admin"])

    services.digest_send(recipient=users["advisor"], day=today)
    admin_digest = services.digest_send(recipient=users["admin"], day=today)

    assert mail.outbox == []
    assert admin_digest.state == DigestState.SENT
    assert Notification.objects.get().recipient == users["admin"]


def test_the_email_speaks_the_recipient_language(users, follow_up, today):
    NotificationPreference.objects.create(recipient=users["advisor"], language="en")
    follow_up(TODAY)

    services.digest_send(recipient=users["advisor"], day=today)

    assert mail.outbox[0].subject == "HOM: 1 reminder for 27/11/2026"
    assert "[new] Follow up with Awa Sané" in mail.outbox[0].body
    assert Notification.objects.get().title == "Follow up with Awa Sané"


def test_a_failed_email_marks_the_digest_failed_and_a_retry_sends_it_with_its_items_still_new(
    users, follow_up, today, flaky_email
):
    follow_up(TODAY)
    flaky_email["advisor@example.sn"] = 1

    with pytest.raises(services.DigestEmailFailed):
        services.digest_send(recipient=users["advisor"], day=today)
    failed = Digest.objects.get()
    retried = services.digest_send(recipient=users["advisor"], day=today)

    assert failed.state == DigestState.FAILED
    assert "SMTPServerDisconnected" in failed.last_error
    assert (retried.state, retried.attempts, retried.new_count) == (DigestState.SENT, 2, 1)
    assert len(mail.outbox) == 1
    assert "[nouveau]" in mail.outbox[0].body
    assert Notification.objects.count() == 1


def test_a_digest_left_claimed_by_a_dead_worker_is_taken_again_after_the_lease(users, follow_up, today):
    follow_up(TODAY)
    Digest.objects.create(recipient=users["advisor"], day=today, claimed_at=today_morning(hours=-1))

    digest = services.digest_send(recipient=users["advisor"], day=today)

    assert digest.state == DigestState.SENT
    assert len(mail.outbox) == 1


def test_a_digest_claimed_moments_ago_is_left_to_its_worker(users, follow_up, today):
    follow_up(TODAY)
    Digest.objects.create(recipient=users["advisor"], day=today, claimed_at=today_morning(hours=0))

    assert services.digest_send(recipient=users["advisor"], day=today) is None
    assert mail.outbox == []


def today_morning(*, hours):
    from django.utils import timezone

    return timezone.now() + timedelta(hours=hours)


def test_the_preview_writes_nothing_and_tells_what_is_new(users, follow_up, today):
    follow_up(TODAY)
    follow_up(TODAY - timedelta(days=2))
    services.digest_send(recipient=users["advisor"], day=today - timedelta(days=1))

    lines = services.digest_preview(recipient=users["advisor"], day=today)

    assert [line.is_new for line in lines] == [True, False]
    assert Digest.objects.count() == 1
    assert Reminder.objects.count() == 1


def test_marking_read_and_saving_preferences(users):
    from hom.notifications.tests.factories import NotificationFactory

    one, _other = NotificationFactory.create_batch(2, recipient=users["advisor"])

    services.notification_mark_read(notification=one)
    remaining = services.notifications_mark_all_read(user=users["advisor"])
    preference = services.preference_update(
        recipient=users["advisor"], kinds=["follow_up"], email_enabled=False, language="en"
    )

    assert remaining == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert (preference.kinds, preference.email_enabled, preference.language) == (["follow_up"], False, "en")
