#!/usr/bin/env python
"""The registry's import against ``COPY`` into a table of the same shape, at office scale.

PostgreSQL only. In a throwaway database (``<name>_imports_bench``) it seeds 200,000 persons
(160,000 in Sédhiou's office, as ``bench/reports_aggregates.py`` does, by ``INSERT ... SELECT
FROM generate_series``), then ``--repeat`` times, in turn:

- the import: a file of ``--rows`` persons (names, sex, year of birth, a phone each, an email
  for one in two, a commune of the region, situation, country) is uploaded and checked
  (``import_create``, ``import_check``: timed apart), queued, then run through the real
  service (``migrants.imports.import_run``, as the Celery worker runs it: the claim, the row
  checks again, the duplicate lookups, the file numbers, the persons, their history, the
  commit);
- ``COPY``: the same persons, as they were written, copied with ``COPY ... FROM STDIN`` (from
  this process, through the same connection) into ``bench_copy``, a table created ``LIKE
  migrants_migrant INCLUDING ALL`` (same columns, defaults, constraints and indexes) and filled
  beforehand with the same 200,000 persons, then committed.

It prints the median rows/s of each, the ratio of the medians and, as its last line, ``ratio X``:
the median over the files of import / COPY, each file's import and COPY run back to back (the
issue's done means: at least 0.30). ``COPY`` writes one table; the import writes the history
rows too and checks every row first: the ratio counts all of that against the import.
"""
import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402

HEADERS = ["Prénom", "Nom", "Sexe", "Année de naissance", "Téléphone", "E-mail", "Commune", "Situation", "Pays"]
FIRST_NAMES = ["Awa", "Fatou", "Mariama", "Aminata", "Khady", "Binta", "Seynabou", "Ousmane", "Lamine", "Moussa",
               "Ibrahima", "Mamadou", "Saliou", "Abdoulaye", "Boubacar", "Sékou", "Aliou", "Djibril", "Coumba", "Nafi"]
LAST_NAMES = ["Sané", "Badji", "Diatta", "Mané", "Sagna", "Coly", "Goudiaby", "Diédhiou", "Sonko", "Tamba",
              "Dabo", "Cissé", "Baldé", "Diallo", "Kanté", "Camara", "Sow", "Mballo", "Seydi", "Touré"]
ASCII = {"Sékou": "Sekou"}
SITUATIONS = ["Diaspora", "Au Sénégal", "De retour", "Projet de départ", ""]
COUNTRIES = ["France", "Espagne", "Italie", "Gambie", "", "Belgique", "Mauritanie"]


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--migrants", type=int, default=200_000, help="persons seeded (four in five in Sédhiou)")
    parser.add_argument("--rows", type=int, default=5_000, help="rows of each imported file")
    parser.add_argument("--repeat", type=int, default=3, help="imports and COPYs, in turn; the medians are kept")
    add_database_arguments(parser, default_database="hom", suffix="_imports_bench")
    return parser.parse_args()


def _files(count: int, rows: int, communes: list[str]):
    """``count`` files of ``rows`` distinct persons each (no duplicate across files either)."""
    chooser = random.Random(18)
    seen = set()
    phone = 0
    for _ in range(count):
        file_rows = []
        while len(file_rows) < rows:
            person = (chooser.choice(FIRST_NAMES), f"{chooser.choice(LAST_NAMES)} {chooser.randrange(1, 400)}",
                      chooser.randrange(1950, 2006), chooser.choice(communes))
            if person in seen:
                continue
            seen.add(person)
            phone += 1
            number = f"{7_700_000_00 + phone * 7:09d}"
            email = f"{ASCII.get(person[0], person[0]).lower()}.{phone}@exemple.sn" if phone % 2 else ""
            file_rows.append([
                person[0], person[1], chooser.choice(["F", "M", "H", ""]), str(person[2]),
                f"{number[:2]} {number[2:5]} {number[5:7]} {number[7:]}", email, person[3],
                chooser.choice(SITUATIONS), chooser.choice(COUNTRIES),
            ])
        yield file_rows


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_imports_bench"):
        from django.db import connection, transaction

        from bench.reports_aggregates import _seed
        from hom.accounts.models import Office, Role, User
        from hom.territories.models import Commune
        from migrants import imports
        from migrants.models import ImportStatus, Migrant

        _seed(arguments.migrants, 0)
        office = Office.objects.get(code="SED")
        advisor = User.objects.create_user(email="conseiller@bench.sn", password=None, role=Role.ADVISOR,
                                           office=office)
        communes = list(Commune.objects.filter(department__region=office.region).values_list("name", flat=True))
        print(f"{office.migrants.count():,} persons in Sédhiou's office, {len(communes)} communes in its region",
              flush=True)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_copy (LIKE migrants_migrant INCLUDING ALL)")
            cursor.execute("INSERT INTO bench_copy SELECT * FROM migrants_migrant")
            cursor.execute("ANALYZE")
        columns = [field.column for field in Migrant._meta.concrete_fields]
        column_list = ", ".join(f'"{column}"' for column in columns)

        checks, runs, copies = [], [], []
        for number, rows in enumerate(_files(arguments.repeat, arguments.rows, communes), start=1):
            migrant_import = imports.import_create(office=office, uploaded_by=advisor, file_name=f"bench-{number}.csv",
                                                   headers=HEADERS, rows=rows)
            started = time.perf_counter()
            imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
            checks.append(time.perf_counter() - started)
            if migrant_import.status != ImportStatus.READY:
                sys.exit(f"the bench file does not pass the check: {migrant_import.errors[:3]}")
            imports.import_queue(migrant_import=migrant_import)
            started = time.perf_counter()
            imports.import_run(migrant_import=migrant_import)
            runs.append(time.perf_counter() - started)
            if migrant_import.status != ImportStatus.DONE or migrant_import.imported_count != len(rows):
                sys.exit(f"the import did not run: {migrant_import.status} {migrant_import.errors}")

            # The same persons, as the import wrote them, for COPY.
            buffer = io.StringIO()
            with connection.cursor() as cursor:
                cursor.execute("SELECT max(id) FROM bench_copy")
                copied_up_to = cursor.fetchone()[0]
                cursor.copy_expert(
                    f"COPY (SELECT {column_list} FROM migrants_migrant WHERE id > {copied_up_to} ORDER BY id) "
                    "TO STDOUT", buffer,
                )
            buffer.seek(0)
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.copy_expert(f"COPY bench_copy ({column_list}) FROM STDIN", buffer)
            copies.append(time.perf_counter() - started)
            print(f"file {number}: check {len(rows) / checks[-1]:8,.0f} rows/s, "
                  f"import {len(rows) / runs[-1]:8,.0f} rows/s, COPY {len(rows) / copies[-1]:8,.0f} rows/s, "
                  f"import / COPY {copies[-1] / runs[-1]:.3f}", flush=True)

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM migrants_migrant")
            persons = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM migrants_historicalmigrant")
            history = cursor.fetchone()[0]
        imported = arguments.rows * arguments.repeat
        print(f"{imported:,} persons imported, {history:,} history rows, {persons:,} persons in all")
        check, run, copy = (arguments.rows / statistics.median(found) for found in (checks, runs, copies))
        print(f"check (import_check, {arguments.rows:,} rows)  median {check:10,.0f} rows/s")
        print(f"import (import_run, {arguments.rows:,} rows)   median {run:10,.0f} rows/s")
        print(f"COPY into bench_copy ({arguments.rows:,} rows) median {copy:10,.0f} rows/s")
        print(f"ratio of the medians {run / copy:.3f}")
        # Each import and its COPY run back to back, under the same load of a shared machine: the
        # median of the pairs' ratios is the figure that load moves least.
        print(f"ratio {statistics.median(copy / run for run, copy in zip(runs, copies, strict=True)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
