#!/usr/bin/env python
"""Time the nightly summaries' run, incremental after one day of new visits, against the full rebuild.

PostgreSQL only, in a database of its own (``<DATABASE_URL's database>_incr``, dropped at the
end unless ``--keep``). Seeds like reports_aggregates.py (two offices, ``--migrants`` persons,
``--visits`` visits over two years, one need each, by ``INSERT ... SELECT`` on the server),
runs ``VACUUM ANALYZE`` (what autovacuum keeps up in production; ``--wide`` first gives every
visit ~600 characters of text, as real visits have), then:

- the full rebuild, every month (``rebuild_report_summaries --all``; what the nightly task did
  before);
- the incremental run with nothing changed (only the check, ``services.months_changed``);
- one day of new visits (``--visits`` / 730, this month, needs included) and one visit deleted
  by SQL from an old month, then the incremental run (the nightly task now), which must
  rebuild exactly those two months;
- the check alone, median of ``--repeat``, with its query plan (an index-only scan of
  ``visit_summary_fingerprint_idx``);
- whether a year's needs report reads the same figures from the summaries as live.

See bench/README.md.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402
from bench.reports_aggregates import _seed  # noqa: E402

ONE_DAY = """
INSERT INTO migrants_visit (
    office_id, migrant_id, occurred_at, channel, place, services_given, notes, referral_to, outcome,
    follow_up_done, sex, age_group, created_at, updated_at, record_key, person_key)
SELECT migrant.office_id, migrant.id, greatest(date_trunc('month', now()), now() - (n %% 600) * interval '1 minute'),
    'office', '', '', '', '', '', false, '', '', now(), now(), floor(random() * 256), migrant.record_key
FROM generate_series(1, %(visits)s) AS n
JOIN migrants_migrant AS migrant ON migrant.id = %(first_migrant)s + (n::bigint * 7907) %% %(migrants)s
RETURNING id
"""


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--migrants", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the check; the median is kept")
    parser.add_argument(
        "--wide", action="store_true",
        help="give every visit ~600 characters of services and notes, as real visits have (rows ~8 times wider)",
    )
    add_database_arguments(parser, default_database="hom_reports", suffix="_incr")
    return parser.parse_args()


def _timed(label, run):
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    print(f"{label:<62} {elapsed:8.2f} s  ({result})", flush=True)
    return result, elapsed


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_incr"):
        from django.db import connection
        from django.utils import timezone

        from hom.accounts.models import Role, User
        from hom.reports.models import SummaryMonth
        from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
        from hom.reports.sections import report_sections
        from hom.reports.services import month_of, months_changed
        from hom.reports.tasks import rebuild_visit_summaries
        from hom.territories.models import NeedCategory
        from migrants.models import Visit

        _seed(arguments.migrants, arguments.visits)
        with connection.cursor() as cursor:
            if arguments.wide:
                started = time.perf_counter()
                cursor.execute(
                    "UPDATE migrants_visit SET services_given = repeat('conseil ', 40) || id, "
                    "notes = repeat('note ', 60) || id"
                )
                cursor.execute("VACUUM FULL migrants_visit")
                print(f"widened the visits in {time.perf_counter() - started:.1f} s", flush=True)
            cursor.execute("VACUUM ANALYZE migrants_visit")
            cursor.execute("SELECT pg_size_pretty(pg_relation_size('migrants_visit'))")
            print(f"visits table: {cursor.fetchone()[0]}", flush=True)
        ok = True
        _months, full = _timed("full rebuild, every month (--all)", lambda: rebuild_visit_summaries(full=True))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _timed("incremental run, nothing changed", rebuild_visit_summaries)

        day = max(arguments.visits // 730, 1)
        old = Visit.objects.order_by("occurred_at").values_list("pk", "occurred_at")[:1][0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM migrants_migrant")
            first_migrant = cursor.fetchone()[0]
            cursor.execute(ONE_DAY, {"visits": day, "first_migrant": first_migrant, "migrants": arguments.migrants})
            new_ids = [row[0] for row in cursor.fetchall()]
            need = NeedCategory.objects.values_list("pk", flat=True)[:1][0]
            cursor.execute(
                "INSERT INTO migrants_visit_needs (visit_id, needcategory_id) SELECT id, %s FROM unnest(%s) AS id",
                [need, new_ids],
            )
            cursor.execute("DELETE FROM migrants_visit_needs WHERE visit_id = %s", [old[0]])
            cursor.execute("DELETE FROM migrants_visit WHERE id = %s", [old[0]])
        print(f"one day of new visits: {day:,}; one visit of {old[1]:%m/%Y} deleted by SQL")
        expected = sorted({month_of(timezone.now()), month_of(old[1])})
        changed = months_changed()
        print(f"months changed: {', '.join(f'{month:%m/%Y}' for month in changed)}")
        ok &= changed == expected
        before = dict(SummaryMonth.objects.values_list("month", "built_at"))
        rebuilt, incremental = _timed("incremental run after one day (the nightly task)", rebuild_visit_summaries)
        after = dict(SummaryMonth.objects.values_list("month", "built_at"))
        touched = sorted(month for month in after if after[month] != before.get(month))
        print(f"months rewritten: {', '.join(f'{month:%m/%Y}' for month in touched)}")
        ok &= rebuilt == len(expected) and touched == expected

        durations = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            months_changed()
            durations.append(time.perf_counter() - started)
        check = statistics.median(durations)
        print(f"{'the check alone (months_changed), median':<62} {check:8.2f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE migrants_visit")  # autovacuum's work after the day's inserts
            cursor.execute(
                "EXPLAIN ANALYZE SELECT date_trunc('month', occurred_at AT TIME ZONE 'Africa/Dakar'), count(*), "
                "sum(record_key), max(created_at), max(updated_at) FROM migrants_visit GROUP BY 1"
            )
            print("plan of the visits' GROUP BY:\n  " + "\n  ".join(row[0] for row in cursor.fetchall()))

        national = User(email="bench@example.sn", role=Role.ADMIN, is_superuser=True, is_active=True)
        period = Period.calendar_years(timezone.localdate().year)
        office = Territory(TerritoryKind.OFFICE, "SED", "Bureau de Sédhiou")

        def tables(from_summary):
            scope = report_scope(national, office, period, from_summary=from_summary)
            return [(table.body, table.rows) for section in report_sections(scope) for table in section.tables]

        same = tables(True) == tables(False)
        print(f"same figures live and from the summaries: {'yes' if same else 'NO'}")
        print(f"ratio incremental / full: {incremental / full:.3f}")
        ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
