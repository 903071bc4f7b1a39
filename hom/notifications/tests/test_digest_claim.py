"""The digest's set-based claim (issue 18): a fixed number of statements whatever the number of
items, all or nothing, announced items left as they were, the bell's counts forgotten.

Runs on SQLite (``bulk_create(ignore_conflicts=True)``) and on PostgreSQL (one
``INSERT ... ON CONFLICT DO NOTHING`` statement): both paths of ``services._claim_reminders``.
"""
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.notifications import services
from hom.notifications.counts import cache_key
from hom.notifications.due import DueItem
from hom.notifications.models import Digest, DigestState, Notification, Reminder, ReminderKind
from hom.notifications.tests.conftest import TODAY
from hom.territories.models import Region


def _items(recipient, count, *, due_on=TODAY, start=0):
    return [
        DueItem(
            kind=ReminderKind.FOLLOW_UP,
            object_key=f"migrants.visit:{n}",
            due_on=due_on,
            recipient_id=recipient.pk,
            title=f"Relancer la personne n° {n}",
            url=f"/migrants/{n}/",
            deadline=due_on + timedelta(days=3),
        )
        for n in range(start, start + count)
    ]


def _digest(recipient, day=TODAY):
    return Digest.objects.create(recipient=recipient, day=day, claimed_at=timezone.now())


def _claim_counting_queries(recipient, count, day):
    digest = _digest(recipient, day)
    with CaptureQueriesContext(connection) as captured:
        new = services._claim_reminders(digest=digest, items=_items(recipient, count, start=count * 1000))
    return new, len(captured.captured_queries)


def test_the_claim_takes_as_many_queries_for_20_items_as_for_2(users):
    two, queries_for_two = _claim_counting_queries(users["advisor"], 2, TODAY)
    twenty, queries_for_twenty = _claim_counting_queries(users["advisor"], 20, TODAY + timedelta(days=1))

    assert (len(two), len(twenty)) == (2, 20)
    assert queries_for_twenty == queries_for_two
    assert Reminder.objects.count() == Notification.objects.count() == 22


def test_each_claimed_item_gets_its_ledger_row_and_its_notification(users):
    digest = _digest(users["advisor"])
    items = _items(users["advisor"], 3)

    new = services._claim_reminders(digest=digest, items=items)

    assert new == {item.claim_key for item in items}
    notification = Notification.objects.get(object_key="migrants.visit:1")
    assert (notification.recipient, notification.kind, notification.title, notification.url) == (
        users["advisor"], ReminderKind.FOLLOW_UP, "Relancer la personne n° 1", "/migrants/1/",
    )
    assert notification.due_on == TODAY + timedelta(days=3)  # the deadline, shown
    assert notification.reminder.due_on == TODAY  # the stable date of the claim
    assert notification.reminder.digest == digest
    assert notification.read_at is None and notification.created_at is not None


def test_items_announced_before_stay_as_they_were_and_only_the_others_are_new(users):
    yesterday = _digest(users["advisor"], TODAY - timedelta(days=1))
    services._claim_reminders(digest=yesterday, items=_items(users["advisor"], 2))
    today = _digest(users["advisor"])
    items = _items(users["advisor"], 4)

    new = services._claim_reminders(digest=today, items=items)

    assert new == {item.claim_key for item in items[2:]}
    assert Reminder.objects.filter(digest=yesterday).count() == 2
    assert Reminder.objects.filter(digest=today).count() == 2
    assert Notification.objects.count() == 4


def test_the_same_item_twice_in_one_claim_is_claimed_once(users):
    digest = _digest(users["advisor"])
    items = _items(users["advisor"], 2)

    new = services._claim_reminders(digest=digest, items=items + items[:1])

    assert len(new) == 2
    assert Reminder.objects.count() == Notification.objects.count() == 2


def test_the_claim_forgets_the_bell_count_of_its_recipient_only(users):
    for user in (users["advisor"], users["admin"]):
        cache.set(cache_key(user.pk), 0, 60)

    services._claim_reminders(digest=_digest(users["advisor"]), items=_items(users["advisor"], 2))

    assert cache.get(cache_key(users["advisor"].pk)) is None
    assert cache.get(cache_key(users["admin"].pk)) == 0


def test_a_worker_killed_before_the_claim_commits_leaves_nothing_and_the_next_run_sends_every_item_once(
    users, follow_up, today
):
    follow_up(TODAY)
    follow_up(TODAY - timedelta(days=1))

    # Struck after the claim's inserts, before its commit (the lines are made inside the claim).
    with mock.patch.object(services, "_lines", side_effect=RuntimeError("worker killed")):
        with pytest.raises(RuntimeError):
            services.digest_send(recipient=users["advisor"], day=today)

    assert (Digest.objects.count(), Reminder.objects.count(), Notification.objects.count()) == (0, 0, 0)
    digest = services.digest_send(recipient=users["advisor"], day=today)
    assert (digest.state, digest.attempts, digest.item_count, digest.new_count) == (DigestState.SENT, 1, 2, 2)
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("[nouveau]") == 2
    assert Reminder.objects.count() == Notification.objects.count() == 2


def test_a_digest_with_nothing_due_is_marked_empty_in_its_claim(users, today):
    digest = services.digest_send(recipient=users["advisor"], day=today)

    assert Digest.objects.get().state == digest.state == DigestState.EMPTY
    assert services.digest_send(recipient=users["advisor"], day=today) is None


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write anyway")


def _backends_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql(reason="concurrent writers need PostgreSQL; SQLite serialises every write anyway")
def test_two_digests_of_the_same_person_claiming_the_same_items_at_once_neither_deadlock_nor_tell_twice(
    postgresql_only, transactional_db, django_db_serialized_rollback, reference_data
):
    """Yesterday's digest retried while today's runs: the same items, listed in opposite orders.

    A third claim holds the middle item, uncommitted, so that both claims are under way when it
    lets go. Inserted in key order, the second claim waits behind the first from its first row:
    no deadlock, each item announced once. In the orders given, each would hold half the rows
    and wait for the other's half: PostgreSQL would kill one (deadlock detected)."""
    office = OfficeFactory(code="SED", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(role=Role.ADVISOR, office=office, email="advisor@example.sn")
    items = sorted(_items(advisor, 200, due_on=TODAY - timedelta(days=3)), key=lambda item: item.claim_key)
    holder, yesterday, today = (_digest(advisor, TODAY - timedelta(days=days)) for days in (2, 1, 0))
    holding, release = threading.Event(), threading.Event()
    claimed, failures = [], []

    def hold_the_middle_item():
        try:
            with transaction.atomic():
                services._claim_reminders(digest=holder, items=[items[100]])
                holding.set()
                release.wait(timeout=30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def claim(digest, listed):
        try:
            claimed.append(services._claim_reminders(digest=digest, items=listed))
        except Exception as error:  # collected and asserted below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_the_middle_item)]
    threads[0].start()
    assert holding.wait(timeout=30)
    threads += [
        threading.Thread(target=claim, args=(yesterday, items)),
        threading.Thread(target=claim, args=(today, list(reversed(items)))),
    ]
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 30
    while _backends_waiting_on_a_lock() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(len(new) for new in claimed) == [0, 200]
    assert Reminder.objects.count() == Notification.objects.count() == 200
