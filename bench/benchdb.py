"""The throwaway PostgreSQL database every benchmark works in.

A benchmark never touches the application's or the tests' databases: it creates its
own on the server of ``--database-url``, migrates it, runs, and drops it (``--keep``
keeps it for a look afterwards).
"""
import os
import sys
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse


def add_database_arguments(parser, *, default_database: str, suffix: str = "_bench") -> None:
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_database}"),
        help="the server to use; the benchmark creates its own database on it",
    )
    parser.add_argument("--bench-database", help=f"name of the benchmark's database (default: <name>{suffix})")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")


def _urls(url: str, name: str | None, suffix: str) -> tuple[str, str, str]:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("The benchmark needs PostgreSQL: pass --database-url postgres://...")
    bench_name = name or f"{parsed.path.lstrip('/')}{suffix}"
    return urlunparse(parsed._replace(path=f"/{bench_name}")), urlunparse(parsed._replace(path="/postgres")), bench_name


def _admin_execute(maintenance_url: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(maintenance_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


@contextmanager
def throwaway_database(arguments, *, suffix: str = "_bench"):
    """Create, point Django at and migrate the benchmark's database; drop it on the way out."""
    bench_url, maintenance_url, bench_name = _urls(arguments.database_url, arguments.bench_database, suffix)
    _admin_execute(maintenance_url, f'DROP DATABASE IF EXISTS "{bench_name}"')
    _admin_execute(maintenance_url, f'CREATE DATABASE "{bench_name}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("REDIS_URL", None)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if not arguments.keep:
            _admin_execute(maintenance_url, f'DROP DATABASE IF EXISTS "{bench_name}"')
