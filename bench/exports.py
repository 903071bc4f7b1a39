#!/usr/bin/env python
"""Memory and first byte of the registry's exports (CSV and XLSX) at office scale.

PostgreSQL only. In a throwaway database (``<name>_exports_bench``), seeds ``--migrants``
persons (four in five in Sédhiou's office) by ``INSERT ... SELECT FROM generate_series``,
then, for each format, forks a child process that stands for a gunicorn worker: it signs in
as Sédhiou's office admin and reads the export through Django's whole request path
(middleware, access log, the view), chunk by chunk, as a client on a slow link would. It
prints the time to the first byte, the time to the last, the size, and the worker's peak
resident memory (``VmHWM``) with its growth over the worker's memory before the request.

Results go in bench/README.md. The issue's done means: under 150 MB of worker memory for
200,000 persons and the CSV's first byte in under a second.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--migrants", type=int, default=200_000)
    parser.add_argument("--formats", default="csv,xlsx", help="which exports to read: csv, xlsx or both")
    add_database_arguments(parser, default_database="hom", suffix="_exports_bench")
    return parser.parse_args()


def _memory_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def _measure(url: str, admin_pk: int, write) -> None:
    """In the forked worker: one export read chunk by chunk; the figures written to ``write``."""
    from django.db import connections
    from django.test import Client

    from hom.accounts.models import User

    connections.close_all()  # the worker's own connection, not the parent's
    client = Client()
    client.force_login(User.objects.get(pk=admin_pk))
    before = _memory_kb("VmRSS")
    started = time.perf_counter()
    response = client.get(url)
    first = None
    size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    response.close()
    total = time.perf_counter() - started
    peak = _memory_kb("VmHWM")
    os.write(write, f"{response.status_code} {first} {total} {size} {before} {peak}".encode())


def main() -> int:
    arguments = _arguments()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    with throwaway_database(arguments, suffix="_exports_bench"):
        from django.urls import reverse

        from bench.reports_aggregates import _seed
        from hom.accounts.models import Office, Role, User

        _seed(arguments.migrants, 0)
        office = Office.objects.get(code="SED")
        admin = User.objects.create_user(email="admin@bench.sn", password=None, role=Role.ADMIN, office=office)
        rows = office.migrants.count()
        print(f"\nSédhiou's office admin exports the whole registry: {rows:,} persons")
        for name in [f"export_{kind.strip()}" for kind in arguments.formats.split(",")]:
            read, write = os.pipe()
            child = os.fork()
            if child == 0:  # the worker
                os.close(read)
                try:
                    _measure(reverse(f"migrants:{name}"), admin.pk, write)
                finally:
                    os._exit(0)
            os.close(write)
            os.waitpid(child, 0)
            status, first, total, size, before, peak = os.read(read, 1000).decode().split()
            os.close(read)
            print(
                f"{name:<12} status {status}  first byte {float(first):6.2f} s  last byte {float(total):6.1f} s  "
                f"{int(size) / 1e6:7.1f} MB  worker peak {int(peak) / 1024:6.0f} MB "
                f"(+{(int(peak) - int(before)) / 1024:.0f} MB over {int(before) / 1024:.0f} MB before the request)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
