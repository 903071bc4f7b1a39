#!/usr/bin/env python
"""Time the catalogue's full-text search against a plain ``icontains`` query, on 100,000 rows.

PostgreSQL only. The script works in a database of its own (by default the name of
DATABASE_URL's database with ``_bench`` appended), creates it, migrates it, seeds the
opportunities with ``bulk_create``, fills the search columns in one UPDATE, ANALYZEs,
then runs each query several times and prints the medians and their ratio. It drops the
database at the end unless ``--keep`` is given. See bench/README.md.
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

WORDS = (
    "agriculture maraîchage arboriculture élevage aviculture volaille bétail embouche pêche aquaculture "
    "transformation agroalimentaire artisanat couture menuiserie commerce import-export transport logistique "
    "immobilier construction numérique services restauration coiffure tourisme hôtellerie formation éducation "
    "santé eau assainissement environnement développement social diaspora migrants retour réinsertion jeunes "
    "femmes association groupement entreprise crédit prêt subvention garantie accompagnement plan d'affaires "
    "région commune Sédhiou Kolda Ziguinchor Dakar Thiès Louga Matam Tambacounda Kédougou Saint-Louis banque "
    "microfinance équipement projet investissement emploi revenu activité production marché"
).split()


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query; the median is kept")
    parser.add_argument(
        "--query", action="append", help="a query to time (repeatable); default: élevage volaille, elevage, Sédhiou"
    )
    add_database_arguments(parser, default_database="hom_funding", suffix="_bench")
    return parser.parse_args()


def _seed(rows: int) -> None:
    from django.db import connection

    from projects.funding.models import FundingOpportunity, FundingStatus
    from projects.funding.services import search_text_of, search_vector_expression

    randomiser = random.Random(2026)
    # Mostly filler words, so that a domain word is as rare as in a real catalogue
    # (each appears in a few percent of the rows).
    filler = [
        "".join(randomiser.choices("bcdfghjklmnprstvz", k=3)) + randomiser.choice(["ade", "ion", "age", "ure", "ment"])
        for _ in range(5000)
    ]
    FundingOpportunity.objects.all().delete()
    batch = []
    started = time.perf_counter()
    for number in range(rows):
        keywords = " ".join(randomiser.sample(WORDS, 2))
        description = " ".join(randomiser.choices(filler, k=37) + randomiser.choices(WORDS, k=3))
        name = f"Programme {number} {randomiser.choice(filler)} {randomiser.choice(WORDS)}"
        funder = f"Fonds {randomiser.choice(WORDS)}"
        amount_max = randomiser.choice([None, 2_000_000, 5_000_000, 15_000_000, 50_000_000])
        batch.append(
            FundingOpportunity(
                name=name,
                funder_name=funder,
                keywords=keywords,
                description=description,
                status=randomiser.choice(FundingStatus.values),
                amount_max=amount_max,
                amount_max_xof=amount_max,
                search_terms=keywords,
                search_text=search_text_of(name, [funder, keywords, description]),
            )
        )
        if len(batch) == 5000:
            FundingOpportunity.objects.bulk_create(batch)
            batch = []
    FundingOpportunity.objects.bulk_create(batch)
    FundingOpportunity.objects.update(search_vector=search_vector_expression())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_fundingopportunity")
    print(f"seeded {rows:,} opportunities in {time.perf_counter() - started:.1f} s")


def _time(label: str, run, repeat: int) -> tuple[float, int]:
    durations, found = [], 0
    run()  # warm the caches once
    for _ in range(repeat):
        started = time.perf_counter()
        found = run()
        durations.append(time.perf_counter() - started)
    median = statistics.median(durations)
    print(f"{label:<42} median {median * 1000:8.1f} ms   ({found:,} rows match)")
    return median, found


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_bench"):
        from django.db.models import F, Q

        from projects.funding.models import FundingOpportunity
        from projects.funding.selectors import opportunities_search, search_words

        _seed(arguments.rows)
        base = FundingOpportunity.objects.all()
        total = base.count()
        for query in arguments.query or ["élevage volaille", "elevage", "Sédhiou"]:
            words = search_words(query)

            def full_text(query=query):
                results = opportunities_search(base, query)
                list(results.values_list("pk", flat=True)[:20])
                return results.count()

            def plain(words=words):
                condition = Q()
                for word in words:
                    for field in ("name", "funder_name", "keywords", "description"):
                        condition |= Q(**{f"{field}__icontains": word})
                results = base.filter(condition).order_by(F("deadline").asc(nulls_last=True), "name")
                list(results.values_list("pk", flat=True)[:20])
                return results.count()

            print(f"\nquery {query!r} on {total:,} rows, first page of 20 + count")
            full_text_time, _ = _time("full-text (french_unaccent, GIN, ts_rank)", full_text, arguments.repeat)
            plain_time, _ = _time("plain icontains on 4 columns", plain, arguments.repeat)
            print(f"ratio icontains / full-text: {plain_time / full_text_time:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
