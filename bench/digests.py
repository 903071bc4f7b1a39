#!/usr/bin/env python
"""The daily digest's claim: items claimed per second, one by one (before) and set-based (now).

PostgreSQL only. In a throwaway database (``<name>_digests_bench``), seeds ``--recipients``
advisors of Sédhiou's office and ``--items`` open follow-ups due today or overdue, spread
evenly over them, on persons seeded by ``INSERT ... SELECT FROM generate_series`` (no row
crosses the wire). The due items are read once from the providers (``due_items``, untimed),
then, for each advisor in turn, the claim is timed as ``digest_send`` makes it:

- ``in turn``: the first advisors (about ``2 × --old-items`` items), one claimed the old way,
  the next the new way, and so on, so that the machine's load weighs on both alike. The old
  way is a copy of the claim before issue 18, kept here: the ``Digest`` row committed on its
  own, then a savepoint and two inserts per item (a commit each); it is slow;
- ``every advisor, set-based, first morning``: the ``Digest`` row and ``services._claim_reminders``
  in one transaction and one commit (the ledger rows and their notifications in one
  ``INSERT ... ON CONFLICT DO NOTHING`` statement): every item of the digest new;
- ``every advisor, set-based, next morning``: the same items again the day after (overdue, announced
  before: nothing new, every row a conflict), the common case of a daily run;
- ``whole digest_send``, first and next morning: for scale, the service itself for the first
  ``--whole-digests`` advisors (its providers' queries, the claim, the email rendered to
  memory, the digest marked sent).

The ledger, notifications and digests are emptied between runs. It prints items/s of each,
and as its last line ``items/s X``: the lower of the two set-based claims. See bench/README.md.
"""
import argparse
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=1_000, help="advisors with something due")
    parser.add_argument("--items", type=int, default=100_000, help="due follow-ups, spread over the advisors")
    parser.add_argument("--migrants", type=int, default=20_000, help="persons the follow-ups are about")
    parser.add_argument("--old-items", type=int, default=5_000, help="items claimed the old way (it is slow)")
    parser.add_argument("--whole-digests", type=int, default=100, help="advisors sent the whole digest_send (0: none)")
    add_database_arguments(parser, default_database="hom", suffix="_digests_bench")
    return parser.parse_args()


SEED_FOLLOW_UPS = """
INSERT INTO migrants_visit (
    office_id, migrant_id, occurred_at, channel, place, services_given, notes, referral_to, outcome,
    follow_up_on, follow_up_advisor_id, follow_up_done, sex, age_group, created_at, updated_at, record_key, person_key)
SELECT migrant.office_id, migrant.id, now() - (n %% 90) * interval '1 day', 'office', '', '', '', '', '',
    %(today)s::date - (n %% 30), (%(advisors)s)[1 + n %% array_length(%(advisors)s, 1)], false, '', '',
    now(), now(), floor(random() * 256), migrant.record_key
FROM generate_series(1, %(items)s) AS n
JOIN migrants_migrant AS migrant ON migrant.id = %(first_migrant)s + (n::bigint * 104729) %% %(migrants)s
"""


def _seed(arguments, today) -> list:
    from django.db import connection

    from bench.reports_aggregates import _seed as seed_persons
    from hom.accounts.models import Office, Role, User

    seed_persons(arguments.migrants, 0)
    office = Office.objects.get(code="SED")
    advisors = User.objects.bulk_create(
        User(email=f"advisor{n}@bench.sn", first_name="Conseiller", last_name=f"{n:05d}", role=Role.ADVISOR,
             office=office, password="!")
        for n in range(arguments.recipients)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM migrants_migrant WHERE office_id = %s", [office.pk])
        first_migrant = cursor.fetchone()[0]
        cursor.execute(
            SEED_FOLLOW_UPS,
            {"today": today, "advisors": [advisor.pk for advisor in advisors], "items": arguments.items,
             "first_migrant": first_migrant, "migrants": arguments.migrants * 4 // 5},
        )
        cursor.execute("ANALYZE")
    print(f"seeded {arguments.items:,} follow-ups for {len(advisors):,} advisors in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    return advisors


def _old_claim_reminders(*, digest, items) -> set[tuple]:
    """The claim before issue 18, kept for comparison: a savepoint and two inserts per item."""
    from django.db import IntegrityError, transaction

    from hom.notifications.models import Notification, Reminder

    new = set()
    for item in items:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    recipient_id=item.recipient_id, kind=item.kind, object_key=item.object_key, due_on=item.due_on,
                    digest=digest,
                )
                Notification.objects.create(
                    recipient_id=item.recipient_id, kind=item.kind, title=str(item.title)[:300], url=item.url,
                    object_key=item.object_key, due_on=item.shown_on, reminder=reminder,
                )
        except IntegrityError:
            continue
        new.add(item.claim_key)
    earlier = Reminder.objects.filter(digest=digest).values_list("recipient_id", "kind", "object_key", "due_on")
    return new | set(earlier)


def _empty_the_ledger() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification, notifications_reminder, notifications_digest")
        cursor.execute("ANALYZE notifications_notification, notifications_reminder, notifications_digest")


def _old_claim(*, advisor, day, items) -> set[tuple]:
    """The claim before issue 18: the digest's row committed on its own, then the items one by one."""
    from hom.notifications import services

    digest = services._claim_digest(recipient=advisor, day=day)
    return _old_claim_reminders(digest=digest, items=items)


def _new_claim(*, advisor, day, items) -> set[tuple]:
    """The claim of ``digest_send`` now: the digest's row and its items in one transaction."""
    from django.db import transaction

    from hom.notifications import services

    with transaction.atomic():
        digest = services._claim_digest(recipient=advisor, day=day)
        return services._claim_reminders(digest=digest, items=items)


def _commit_latency() -> float:
    """Median time of a one-row transaction's commit, in ms (a logged table: the WAL is flushed), the floor of a claim."""
    import statistics

    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE commit_probe (n integer)")
    durations = []
    for n in range(50):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO commit_probe VALUES (%s)", [n])
        durations.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE commit_probe")
    return statistics.median(durations) * 1000


def _report(label, digests, count, new, elapsed) -> float:
    rate = count / elapsed
    print(f"{label:<44} {digests:>6,} digests {count:>9,} items ({new:>7,} new) {elapsed:8.2f} s "
          f"{rate:>9,.0f} items/s", flush=True)
    return rate


def _time_claims(label, claim, work, day) -> float:
    """Claim each advisor's digest of ``day`` and its items, as ``digest_send`` does; items per second."""
    from django.utils import translation

    count = sum(len(items) for _advisor, items in work)
    new = 0
    with translation.override("fr"):
        started = time.perf_counter()
        for advisor, items in work:
            keys = claim(advisor=advisor, day=day, items=items)
            new += sum(1 for item in items if item.claim_key in keys)
        elapsed = time.perf_counter() - started
    return _report(label, len(work), count, new, elapsed)


def _time_in_turn(work, day) -> tuple[float, float]:
    """Old and new claims by turns, advisor after advisor (old, new, old, new...), so that a load
    coming and going on a shared machine weighs on both alike; items per second of each."""
    from django.utils import translation

    spent, counts, new = [0.0, 0.0], [0, 0], [0, 0]
    with translation.override("fr"):
        for index, (advisor, items) in enumerate(work):
            way = index % 2
            started = time.perf_counter()
            keys = (_old_claim, _new_claim)[way](advisor=advisor, day=day, items=items)
            spent[way] += time.perf_counter() - started
            counts[way] += len(items)
            new[way] += sum(1 for item in items if item.claim_key in keys)
    return tuple(
        _report(label, len(work[way::2]), counts[way], new[way], spent[way])
        for way, label in enumerate(("in turn: one by one (before issue 18)", "in turn: set-based"))
    )


def _time_digest_send(label, work, day) -> float:
    """The whole ``digest_send`` per advisor: providers, claim, the email (to memory), marked sent."""
    from django.conf import settings
    from django.core import mail

    from hom.notifications import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    started = time.perf_counter()
    digests = [services.digest_send(recipient=advisor, day=day) for advisor, _items in work]
    elapsed = time.perf_counter() - started
    assert len(mail.outbox) == len(work), "one email per digest"
    count = sum(digest.item_count for digest in digests)
    return _report(label, len(work), count, sum(digest.new_count for digest in digests), elapsed)


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_digests_bench"):
        from django.utils import timezone

        from hom.notifications.due import due_items
        from hom.notifications.models import Notification, Reminder

        today = timezone.localdate()
        advisors = _seed(arguments, today)
        started = time.perf_counter()
        by_recipient = defaultdict(list)
        for item in due_items(today=today):
            by_recipient[item.recipient_id].append(item)
        work = [(advisor, by_recipient[advisor.pk]) for advisor in advisors if by_recipient[advisor.pk]]
        print(f"read {sum(len(items) for _a, items in work):,} due items from the providers in "
              f"{time.perf_counter() - started:.1f} s (untimed below)\n", flush=True)

        print(f"commit of a one-row transaction (fsync; the floor of a claim): median {_commit_latency():.2f} ms",
              flush=True)
        turns, taken = [], 0
        for advisor, items in work:
            if taken >= 2 * arguments.old_items:
                break
            turns.append((advisor, items))
            taken += len(items)
        old, new = _time_in_turn(turns, today)
        _empty_the_ledger()
        first = _time_claims("every advisor, set-based, first morning", _new_claim, work, today)
        announced = Reminder.objects.count(), Notification.objects.count()
        following = _time_claims("every advisor, set-based, next morning", _new_claim, work, today + timedelta(days=1))
        total = sum(len(items) for _advisor, items in work)
        after = Reminder.objects.count(), Notification.objects.count()
        assert announced == after == (total, total), f"each item claimed and told once: {announced}, {after}"
        if arguments.whole_digests:
            _empty_the_ledger()
            sample = work[: arguments.whole_digests]
            _time_digest_send("whole digest_send, first morning", sample, today)
            _time_digest_send("whole digest_send, next morning", sample, today + timedelta(days=1))
        print(f"commit of a one-row transaction, again: median {_commit_latency():.2f} ms", flush=True)
        print(f"\nset-based / one by one, in turn: {new / old:.1f}×; "
              f"against the old way's rate: {first / old:.1f}× (first morning), {following / old:.1f}× (next morning)")
        print(f"items/s {min(first, following):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
