"""Quiet hours (21:00–08:00 Africa/Dakar), the daily cap per number, and numbers that answered STOP."""
from datetime import datetime

import pytest
import time_machine

from hom.messaging import services
from hom.messaging.models import Channel, Message, MessageStatus, OptOut
from hom.messaging.selectors import opted_out
from hom.messaging.tasks import messages_send_due

from .conftest import DAKAR, NUMBER

pytestmark = pytest.mark.django_db


def enqueue(key, **kwargs):
    return services.message_enqueue(key=key, channel=kwargs.pop("channel", Channel.SMS), to=kwargs.pop("to", NUMBER),
                                    body="Rappel : formation demain à 9h.", **kwargs)


def at(hour, minute=0, day=1):
    return time_machine.travel(datetime(2026, 12, day, hour, minute, tzinfo=DAKAR), tick=False)


def test_a_message_queued_at_night_waits_for_eight_and_the_beat_task_sends_it_then(
    sms_folder, django_capture_on_commit_callbacks
):
    with at(22, 30), django_capture_on_commit_callbacks(execute=True):
        message = enqueue("notice:night")
    assert not sms_folder.exists() or list(sms_folder.iterdir()) == []
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.not_before == datetime(2026, 12, 2, 8, 0, tzinfo=DAKAR)

    with at(7, 59, day=2), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 0
    assert not sms_folder.exists() or list(sms_folder.iterdir()) == []

    with at(8, 0, day=2), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 1
    assert [path.name for path in sms_folder.iterdir()] == [f"221771234567-{message.pk}.txt"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1

    with at(8, 1, day=2), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 0  # sent once


def test_early_in_the_morning_waits_until_eight_the_same_day():
    with at(5, 10):
        assert enqueue("notice:dawn").not_before == datetime(2026, 12, 1, 8, 0, tzinfo=DAKAR)
    with at(8, 0):
        assert enqueue("notice:day").not_before is None
    with at(20, 59):
        assert enqueue("notice:evening").not_before is None


def test_a_message_sent_directly_at_night_is_not_sent(sms_folder):
    with at(23, 0):
        message = enqueue("notice:n")
        assert services.message_send(message_id=message.pk) is None
    assert not sms_folder.exists()


def test_the_daily_cap_per_number_fails_the_extra_messages(settings, sms_folder, django_capture_on_commit_callbacks):
    settings.SMS_DAILY_CAP = 2
    with at(10), django_capture_on_commit_callbacks(execute=True):
        first, second, third = (enqueue(f"campaign:{n}") for n in range(3))
        other = enqueue("campaign:other", to="+221776543210")
        whatsapp = enqueue("campaign:0", channel=Channel.WHATSAPP)
    assert [first.status, second.status, third.status] == [MessageStatus.QUEUED] * 2 + [MessageStatus.FAILED]
    assert third.error == "daily cap"
    assert other.status == MessageStatus.QUEUED and whatsapp.status == MessageStatus.QUEUED
    assert len(list(sms_folder.iterdir())) == 3  # two to the first number, one to the other

    with at(9, day=2):  # a new day in Dakar
        assert enqueue("campaign:next-day").status == MessageStatus.QUEUED


def test_an_opted_out_number_gets_a_failed_message_and_nothing_sent(sms_folder, django_capture_on_commit_callbacks):
    services.opt_out_record(phone="77 123 45 67", source="json")
    with at(10), django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue("notice:1")
    assert message.status == MessageStatus.FAILED and message.error == "opted out"
    assert callbacks == [] and not sms_folder.exists()
    assert opted_out(["+221771234567", "771234567", "+221776543210", "not a number"]) == {NUMBER}


def test_a_stop_after_queuing_cancels_the_waiting_message(sms_folder, django_capture_on_commit_callbacks):
    with at(22):
        message = enqueue("notice:late")
    services.opt_out_record(phone=NUMBER, source="twilio")
    with at(8, day=2), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.error == "opted out"
    assert not sms_folder.exists()
    assert OptOut.objects.get().history.count() == 1


def test_a_worker_killed_mid_send_leaves_a_claim_the_beat_task_takes_after_the_lease(
    sms_folder, django_capture_on_commit_callbacks
):
    with at(10):
        message = enqueue("notice:1")
        # A worker claimed it, then died before the gateway answered.
        Message.objects.filter(pk=message.pk).update(claimed_at=datetime(2026, 12, 1, 10, 0, tzinfo=DAKAR), attempts=1)
    with at(10, 4), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 0  # still within its lease
    with at(10, 6), django_capture_on_commit_callbacks(execute=True):
        assert messages_send_due.delay().get() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert len(list(sms_folder.iterdir())) == 1


def test_the_daily_counters_older_than_yesterday_are_forgotten():
    from hom.messaging.models import DailyCount

    with at(10, day=1):
        enqueue("notice:1")
    with at(10, day=2):
        enqueue("notice:2")
        assert services.daily_counts_purge() == 0  # yesterday's stays
    with at(10, day=3):
        assert services.daily_counts_purge() == 1
    assert list(DailyCount.objects.values_list("day__day", "count")) == [(2, 1)]
