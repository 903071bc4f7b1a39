#!/usr/bin/env python
"""Fourteen offices on one deployment: one office's key pages alone, then at national size (issue 23).

PostgreSQL only, in a throwaway database of its own (bench/benchdb.py; ``--keep`` keeps it). It
loads the reference territories (``load_territories``), creates one office per region (fourteen,
as ``hom.accounts.Office`` models them: one per region) with ``--advisors`` advisors each, and
spreads ``--people`` persons and ``--visits`` visits unevenly over them (Sédhiou 20 %, Kolda 15 %,
Ziguinchor 10 %, the others 3 to 8 %), seeded on the server by bench/seeding.py: one need per visit,
one visit in three by one of the office's advisors, one in 200 with a follow-up for them, one person
in ten with a phone, one in twelve with a dossier, one dossier in three with a funding application.

In one run:

1. **alone**: the measured office (``--office``, default Sédhiou) is seeded with its share,
   ``ANALYZE``, the monthly summaries built (the nightly task: the report reads them), and its
   advisor's key pages timed in-process with Django's test client, production settings (DEBUG off,
   cached templates, manifest static files): registry list, registry search by a name and by a
   phone, person page, dossier page, follow-ups, office dashboard, the needs report (the office's,
   the last twelve months) uncached (the cache emptied before each request) and cached; median
   of ``--repeat`` rounds after a warm-up, the pages taken in turn within each round;
2. **national**: the thirteen other offices are seeded, ``ANALYZE``, the summaries brought up to
   date (the nightly task, incremental), and the same pages timed again;
3. **plans**: the SELECTs of the registry list, search and person page that read the persons or
   the visits are captured as the app sends them and ``EXPLAIN``\\ ed (FORMAT JSON) at national
   size; printed one line per plan node; a sequential scan of ``migrants_migrant`` or
   ``migrants_visit`` fails the run (exit status 1, the page and query named);
4. **the year's report** of the largest office, uncached, at national size: its median, and
   when over one second the ``EXPLAIN ANALYZE`` of its slowest query.

It prints, per page, the median ms alone and national, their ratio and the query count (which
must be the same alone and national: the run fails otherwise); its last line is ``ratio X``, the
worst page's national / alone ratio. See bench/README.md.

    .venv/bin/python bench/national.py                                  # 1,000,000 persons, 10,000,000 visits
    .venv/bin/python bench/national.py --people 100000 --visits 500000  # a few minutes
"""

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402
from bench.seeding import (  # noqa: E402
    last_id,
    name_of,
    seed_applications,
    seed_dossiers,
    seed_needs,
    seed_persons,
    seed_visits,
)

# (region, office code, share of the persons and visits in per cent): Casamance's offices large.
OFFICES = [
    ("SN11", "SED", 20),
    ("SN07", "KOL", 15),
    ("SN14", "ZIG", 10),
    ("SN01", "DAK", 8),
    ("SN12", "TAM", 7),
    ("SN13", "THI", 6),
    ("SN05", "KAO", 5),
    ("SN10", "SAI", 5),
    ("SN09", "MAT", 5),
    ("SN02", "DIO", 4),
    ("SN03", "FAT", 4),
    ("SN04", "KAF", 4),
    ("SN08", "LOU", 4),
    ("SN06", "KED", 3),
]
PHONE_EVERY = 10
FOLLOW_UP_EVERY = 200
DOSSIER_EVERY = 12
APPLICATION_EVERY = 3
PLANNED_PAGES = ("registry list", "registry search, name", "registry search, phone", "person page")
SCANNED_TABLES = ("migrants_migrant", "migrants_visit")
REPORT_UNCACHED = "needs report, uncached"


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000, help="persons in all offices")
    parser.add_argument("--visits", type=int, default=10_000_000, help="visits in all offices")
    parser.add_argument("--advisors", type=int, default=3, help="advisors per office")
    parser.add_argument(
        "--office",
        default="SED",
        choices=[code for _region, code, _share in OFFICES],
        help="the office whose pages are timed",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds; the median is kept")
    add_database_arguments(parser, default_database="hom", suffix="_national_bench")
    return parser.parse_args()


def _production_settings() -> None:
    """Production's settings (DEBUG off: cached templates, manifest static files), for the test client."""
    for name, value in {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MFA_REQUIRED": "0",
    }.items():
        os.environ[name] = value


class Step:
    """Prints how long a step of the seeding took."""

    def __init__(self, label):
        self.label = label

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            print(f"  {self.label}: {time.perf_counter() - self.started:.1f} s", flush=True)


def _static_files() -> None:
    """The manifest the production pages need; collected again only when a static file is newer than it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [Path(storage.path(name)) for finder in finders.get_finders() for name, storage in finder.list([])]
    if not manifest.exists() or max(path.stat().st_mtime for path in sources) > manifest.stat().st_mtime:
        call_command("collectstatic", interactive=False, verbosity=0)


def _offices(advisors: int) -> dict:
    """The fourteen offices and their advisors: ``{code: (office, [advisors])}``."""
    from hom.accounts.models import Office, Role, User
    from hom.territories.models import Region

    regions = {region.code: region for region in Region.objects.all()}
    offices = {}
    for region_code, code, _share in OFFICES:
        region = regions[region_code]
        office = Office.objects.create(code=code, name=f"Bureau de {region.name}", region=region)
        staff = [
            User.objects.create_user(
                email=f"advisor{number}@{code.lower()}.bench.sn",
                password=None,
                role=Role.ADVISOR,
                office=office,
                first_name=f"Conseiller {number}",
                last_name=region.name,
            )
            for number in range(1, advisors + 1)
        ]
        offices[code] = (office, staff)
    return offices


def _seed_office(cursor, arguments, offices, code, index) -> None:
    """One office's share: persons, visits and needs, dossiers, applications."""
    from hom.territories.models import Commune, NeedCategory, Sector
    from projects.funding.models import FundingOpportunity

    office, staff = offices[code]
    share = next(share for _region, office_code, share in OFFICES if office_code == code)
    persons = max(arguments.people * share // 100, 1)
    visits = arguments.visits * share // 100
    communes = Commune.objects.filter(department__region=office.region).values_list("pk", flat=True)
    with Step(f"{code}: {persons:,} persons, {visits:,} visits, dossiers and applications"):
        first, _last = seed_persons(
            cursor,
            office=office.pk,
            communes=communes,
            count=persons,
            prefix=f"{code}-B-",
            phone_prefix=f"+2217{index:02d}",
            phone_every=PHONE_EVERY,
        )
        after = last_id(cursor, "migrants_visit")
        seed_visits(
            cursor,
            first_person=first,
            persons=persons,
            count=visits,
            advisors=[advisor.pk for advisor in staff],
            follow_up_every=FOLLOW_UP_EVERY,
        )
        seed_needs(cursor, needs=NeedCategory.objects.values_list("pk", flat=True), after=after)
        seed_dossiers(
            cursor,
            office=office.pk,
            code=code,
            advisors=[advisor.pk for advisor in staff],
            sectors=Sector.objects.values_list("pk", flat=True),
            every=DOSSIER_EVERY,
        )
        seed_applications(
            cursor,
            office=office.pk,
            every=APPLICATION_EVERY,
            opportunities=FundingOpportunity.objects.values_list("pk", flat=True),
        )


def _nightly() -> None:
    """ANALYZE, then the nightly task (the monthly summaries the report reads), then VACUUM ANALYZE
    (autovacuum's work in production: the rebuilt months' old rows gone, the visibility maps set)."""
    from django.db import connection

    from hom.reports.tasks import rebuild_visit_summaries

    with connection.cursor() as cursor:
        with Step("ANALYZE"):
            cursor.execute("ANALYZE")
        with Step("monthly summaries (the nightly task)"):
            rebuild_visit_summaries()
        with Step("VACUUM ANALYZE"):
            cursor.execute("VACUUM ANALYZE")


def _pages(offices, code, persons_in_office) -> list[tuple[str, str]]:
    """(label, path) of the key pages of the office's first advisor."""
    from migrants.models import Migrant
    from projects.models import ProjectDossier

    office, staff = offices[code]
    dossier = ProjectDossier.objects.filter(office=office, advisor=staff[0]).order_by("pk").first()
    phone = (
        Migrant.objects.filter(office=office)
        .exclude(phone="")
        .order_by("pk")
        .values_list("phone", flat=True)[len(str(persons_in_office)) % 7]
    )
    name = " ".join(name_of(persons_in_office // 2 + 7)).lower()
    return [
        ("registry list", "/migrants/"),
        ("registry search, name", f"/migrants/?q={name.replace(' ', '+')}"),
        ("registry search, phone", f"/migrants/?q={str(phone).replace('+', '%2B')}"),
        ("person page", f"/migrants/{dossier.promoter_id}/"),
        ("dossier page", f"/projects/{dossier.pk}/"),
        ("follow-ups", "/migrants/follow-ups/"),
        ("office dashboard", "/"),
        (REPORT_UNCACHED, f"/reports/office/{code}/"),
        ("needs report, cached", f"/reports/office/{code}/"),
    ]


def _client(user):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _request(client, label, path):
    """One request; its duration, its queries (as sent, with their durations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    # Uncached: the report computed and not kept (the other cached lists, the session, stay as they are).
    uncached = override_settings(REPORTS_CACHE_SECONDS=0) if label == REPORT_UNCACHED else nullcontext()
    with uncached, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{label} ({path}) answered {response.status_code}")
    return elapsed, list(queries.captured_queries)


def _time_pages(client, pages, repeat) -> dict:
    """``{label: (median seconds, fewest queries)}``; the pages in turn, ``repeat`` rounds after a warm-up.

    The fewest: a request that saves the session again (once a minute, hom/accounts/sessions.py) sends
    one query more."""
    for label, path in pages:
        _request(client, label, path)
    durations = {label: [] for label, _path in pages}
    counts = {label: set() for label, _path in pages}
    for _round in range(repeat):
        for label, path in pages:
            elapsed, queries = _request(client, label, path)
            durations[label].append(elapsed)
            counts[label].add(len(queries))
    return {label: (statistics.median(durations[label]), min(counts[label])) for label, _path in pages}


def _scans(node):
    """The plan's reads of tables and indexes, in order: ``Index Scan migrant_office_name_idx``..."""
    if "Relation Name" in node or "Index Name" in node:
        yield f"{node['Node Type']} {node.get('Index Name') or node['Relation Name']}"
    for child in node.get("Plans", []):
        yield from _scans(child)


def _seq_scans(node):
    if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in SCANNED_TABLES:
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from _seq_scans(child)


def _plans(client, pages) -> list[str]:
    """EXPLAIN the SELECTs of the planned pages that read the persons or the visits; the failures."""
    from django.db import connection

    failures = []
    print("\nplans at national size (the SELECTs reading the persons or the visits):")
    for label, path in pages:
        if label not in PLANNED_PAGES:
            continue
        _elapsed, queries = _request(client, label, path)
        for number, query in enumerate(queries, start=1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(table in sql for table in SCANNED_TABLES):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            tables = sorted({table for table in SCANNED_TABLES if table in sql})
            print(
                f"- {label}, query {number} ({', '.join(tables)}; {plan['Plan Rows']} rows, cost "
                f"{plan['Total Cost']:.0f}): {plan['Node Type']} < {'; '.join(_scans(plan))}"
            )
            failures += [f"{label}, query {number}: Seq Scan on {table}" for table in _seq_scans(plan)]
    return failures


def _year_report(client, code, repeat) -> None:
    """The largest office's report of the last twelve months, uncached, at national size."""
    from django.db import connection

    path = f"/reports/office/{code}/"
    _request(client, REPORT_UNCACHED, path)
    runs = [_request(client, REPORT_UNCACHED, path) for _ in range(max(repeat // 2, 3))]
    median = statistics.median(elapsed for elapsed, _queries in runs)
    print(
        f"\nthe year's needs report of the largest office ({code}), uncached, national size: "
        f"median {median * 1000:.0f} ms ({'under' if median < 1 else 'OVER'} 1 s)"
    )
    slowest = max(runs[-1][1], key=lambda query: float(query["time"]))
    print(f"  its slowest query: {float(slowest['time']) * 1000:.0f} ms")
    if median >= 1:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
            print("  " + "\n  ".join(row[0] for row in cursor.fetchall()))


def main() -> int:
    arguments = _arguments()
    _production_settings()
    whole = time.perf_counter()
    with throwaway_database(arguments, suffix="_national_bench"):
        from django.core.management import call_command
        from django.db import connection

        print(f"migrated in {time.perf_counter() - whole:.1f} s", flush=True)
        with Step("territories (load_territories)"):
            call_command("load_territories", verbosity=0, stdout=io.StringIO())
        with Step(f"{len(OFFICES)} offices, {arguments.advisors} advisors each"):
            offices = _offices(arguments.advisors)
        with Step("static files (collectstatic, when they changed)"):
            _static_files()
        code = arguments.office
        codes = [office_code for _region, office_code, _share in OFFICES]
        share = next(share for _region, office_code, share in OFFICES if office_code == code)
        persons_in_office = max(arguments.people * share // 100, 1)

        print(f"\nalone: {code} only", flush=True)
        with connection.cursor() as cursor:
            _seed_office(cursor, arguments, offices, code, codes.index(code))
        _nightly()
        client = _client(offices[code][1][0])
        pages = _pages(offices, code, persons_in_office)
        alone = _time_pages(client, pages, arguments.repeat)

        print("\nnational: the thirteen other offices", flush=True)
        with connection.cursor() as cursor:
            for index, other in enumerate(codes):
                if other != code:
                    _seed_office(cursor, arguments, offices, other, index)
        _nightly()
        national = _time_pages(client, pages, arguments.repeat)

        failures = _plans(client, pages)
        largest = max(OFFICES, key=lambda office: office[2])[1]
        _year_report(_client(offices[largest][1][0]), largest, arguments.repeat)

    print(
        f"\n{arguments.people:,} persons and {arguments.visits:,} visits in {len(OFFICES)} offices; "
        f"the pages of {code}'s advisor ({persons_in_office:,} persons), median of {arguments.repeat}"
    )
    print(f"{'page':<26} {'alone ms':>9} {'national ms':>12} {'ratio':>6} {'queries':>8}")
    worst = 0.0
    for label, _path in pages:
        (before, counts_before), (after, counts_after) = alone[label], national[label]
        ratio = after / before
        worst = max(worst, ratio)
        counts = str(counts_after) if counts_before == counts_after else f"{counts_before}/{counts_after}"
        print(f"{label:<26} {before * 1000:9.1f} {after * 1000:12.1f} {ratio:6.2f} {counts:>8}")
        if counts_before != counts_after:
            failures.append(f"{label}: {counts_before} queries alone, {counts_after} national")
    print(f"whole run: {time.perf_counter() - whole:.0f} s")
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"ratio {worst:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
