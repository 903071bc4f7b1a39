#!/usr/bin/env python
"""Time the migrant <-> association matching on 5,000 organisations and 20,000 migrants.

PostgreSQL only. Like ``funding_search.py``, the script works in a database of its own
(by default the name of DATABASE_URL's database with ``_matching_bench`` appended): it
creates it, migrates it, seeds organisations, persons, their sectors and some dossiers
with ``bulk_create``, ANALYZEs, then times both directions of the matching (the ranked
first 20, as the pages show them) for several persons and organisations, prints the
medians and the number of queries, and drops the database unless ``--keep`` is given.
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402

COUNTRIES = {
    "ES": ["Barcelona", "Sabadell", "Lleida", "Madrid", "Almería", "Girona"],
    "FR": ["Paris", "Montreuil", "Marseille", "Lyon"],
    "IT": ["Treviso", "Milano", "Brescia", "Roma"],
    "GM": ["Banjul", "Serrekunda"],
    "US": ["New York"],
    "SN": ["Dakar", "Sédhiou", "Ziguinchor"],
}
LANGUAGES = ["mandingue, français", "diola, français", "peul, wolof", "catalan, espagnol, mandingue", "italien, wolof"]


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--migrants", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=15, help="persons and organisations matched; median kept")
    add_database_arguments(parser, default_database="hom_partnerships", suffix="_matching_bench")
    return parser.parse_args()


def _seed(organisations: int, migrants: int):
    from django.db import connection

    from hom.accounts.models import Office, Role, User
    from hom.territories.models import Commune, Department, Region, Sector
    from migrants.models import Migrant, Situation
    from partnerships.models import Organisation, OrganisationKind
    from partnerships.services import search_text_for
    from projects.models import ProjectDossier

    randomiser = random.Random(2026)
    started = time.perf_counter()
    office = Office.objects.create(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = User.objects.create_user("bench@example.sn", role=Role.ADVISOR, office=office)
    communes = list(Commune.objects.select_related("department"))
    # Most persons and associations come from Casamance, as in the office's real registry.
    casamance = [commune for commune in communes if commune.department.region.code in {"SN11", "SN14", "SN07"}]
    departments = list(Department.objects.all())
    sectors = list(Sector.objects.all())

    def commune():
        return randomiser.choice(casamance if randomiser.random() < 0.7 else communes)

    rows = []
    for number in range(organisations):
        country = randomiser.choice(list(COUNTRIES))
        city = randomiser.choice(COUNTRIES[country])
        name = f"Association {number} des ressortissants"
        rows.append(Organisation(
            name=name, kind=randomiser.choice(OrganisationKind.values), country=country, city=city,
            languages=randomiser.choice(LANGUAGES), search_text=search_text_for(name=name, acronym="", city=city),
        ))
    rows = Organisation.objects.bulk_create(rows, batch_size=2000)
    Organisation.communes_served.through.objects.bulk_create([
        Organisation.communes_served.through(organisation_id=row.pk, commune_id=commune().pk)
        for row in rows for _ in range(randomiser.randint(0, 3))
    ], ignore_conflicts=True)
    Organisation.departments_served.through.objects.bulk_create([
        Organisation.departments_served.through(organisation_id=row.pk, department_id=randomiser.choice(departments).pk)
        for row in rows if randomiser.random() < 0.3
    ], ignore_conflicts=True)
    Organisation.sectors.through.objects.bulk_create([
        Organisation.sectors.through(organisation_id=row.pk, sector_id=randomiser.choice(sectors).pk)
        for row in rows for _ in range(randomiser.randint(0, 3))
    ], ignore_conflicts=True)

    people = []
    for number in range(migrants):
        abroad = randomiser.random() < 0.6
        country = randomiser.choice(["ES", "FR", "IT", "GM", "US"]) if abroad else ""
        people.append(Migrant(
            file_number=f"SED-2026-{number:06d}", office=office, first_name="Awa", last_name=f"Sané {number}",
            search_name=f"awa sane {number}", commune_of_origin=commune(),
            situation=Situation.ABROAD if abroad else Situation.RETURNED, country_of_residence=country,
            city_of_residence=randomiser.choice(COUNTRIES[country]) if abroad else "",
            languages=randomiser.choice(LANGUAGES), consent_sharing=randomiser.random() < 0.6,
        ))
    people = Migrant.objects.bulk_create(people, batch_size=2000)
    Migrant.sectors_of_interest.through.objects.bulk_create([
        Migrant.sectors_of_interest.through(migrant_id=person.pk, sector_id=randomiser.choice(sectors).pk)
        for person in people for _ in range(randomiser.randint(0, 2))
    ], ignore_conflicts=True)
    ProjectDossier.objects.bulk_create([
        ProjectDossier(reference=f"SED-P-2026-{number:05d}", office=office, promoter=person, title="Projet",
                       sector=randomiser.choice(sectors))
        for number, person in enumerate(randomiser.sample(people, migrants // 5))
    ], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {organisations:,} organisations and {migrants:,} persons in {time.perf_counter() - started:.1f} s")
    return advisor, rows, people


def _time(label: str, run, arguments_list) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run(arguments_list[0])  # warm the caches once
    durations, queries, found = [], 0, 0
    for argument in arguments_list:
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            found = len(run(argument))
            durations.append(time.perf_counter() - started)
        queries = len(context.captured_queries)
    print(
        f"{label:<44} median {statistics.median(durations) * 1000:7.1f} ms   max {max(durations) * 1000:7.1f} ms"
        f"   {queries} queries   ({found} shown)"
    )


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_matching_bench"):

        from migrants.models import Migrant
        from migrants.selectors import migrant_for_page
        from partnerships.selectors import migrants_matching, organisations_matching

        advisor, organisations, people = _seed(arguments.organisations, arguments.migrants)
        randomiser = random.Random(7)
        persons = [migrant_for_page(advisor, person.pk) for person in randomiser.sample(people, arguments.samples)]
        associations = randomiser.sample(organisations, arguments.samples)
        print(f"\n{Migrant.objects.count():,} persons, {len(organisations):,} organisations; "
              f"{arguments.samples} samples each, first 20 ranked")
        _time("associations for a person", lambda person: organisations_matching(advisor, person), persons)
        _time("persons (and dossiers) for an association", lambda association: migrants_matching(
            advisor, association
        ), associations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
