"""Every key page against a bare Django view, at office scale (issue 18).

In its own throwaway PostgreSQL database (bench/benchdb.py) it seeds two offices, Sédhiou and
Kolda: ``--people`` persons (four in five in Sédhiou) and ``--visits`` visits with their needs
(server-side ``generate_series``, as bench/reports_aggregates.py), one in ten persons with a
phone, follow-ups due for the advisor, ``--dossiers`` dossiers, and the monthly summaries. Then
it starts gunicorn with production settings (DEBUG off, Redis cache and cached sessions) plus one
bare view (``/bench/bare/``: behind login, one indexed query, the same middleware), signs in over
HTTP as the advisor and the authority, and measures, interleaved over ``--rounds`` rounds of
``--seconds`` each, the requests per second of the bare view and of each key page with
``--clients`` concurrent keep-alive clients. The uncached report is measured one request at a
time with the report cache emptied before each. Each page's query count is taken in-process with
Django's test client on the same database.

It prints, for each page, the median requests/s, its ratio to the bare view's (measured in the
same round), and its query count; its last line is ``ratio X``, the worst page's ratio.

    .venv/bin/python bench/pages.py --people 200000 --visits 1000000
    # smaller, a few minutes: --people 20000 --visits 100000 --dossiers 1600 --seconds 3 --rounds 2
"""
import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_database_arguments, throwaway_database  # noqa: E402

PASSWORD = "bench-pages-2026"
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=16_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is kept")
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    add_database_arguments(parser, default_database="hom", suffix="_pages_bench")
    return parser.parse_args()


def _seed(arguments) -> dict:
    """The data, and what the pages need: ids, codes, users."""
    from django.core.management import call_command
    from django.db import connection

    from bench.reports_aggregates import _seed as seed_people_and_visits
    from hom.accounts.models import Office, Role, User
    from hom.territories.models import Commune, Sector
    from projects.models import ProjectDossier

    seed_people_and_visits(arguments.people, arguments.visits)
    office = Office.objects.get(code="SED")
    advisor = User.objects.create_user(email="advisor@bench.sn", password=PASSWORD, role=Role.ADVISOR, office=office,
                                       first_name="Awa", last_name="Conseillère")
    commune = Commune.objects.get(code="SN1103_SEDHIOU")
    authority = User.objects.create_user(email="authority@bench.sn", password=PASSWORD, role=Role.AUTHORITY,
                                         first_name="Maire", last_name="Sédhiou")
    authority.communes.add(commune)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE migrants_migrant SET phone = '+22177' || lpad(id::text, 7, '0') WHERE id %% 10 = 0", [])
        cursor.execute(
            "UPDATE migrants_visit SET advisor_id = %s WHERE office_id = %s AND id %% 3 = 0", [advisor.pk, office.pk])
        cursor.execute(
            "UPDATE migrants_visit SET follow_up_on = current_date + (id %% 40)::int - 20, follow_up_advisor_id = %s "
            "WHERE office_id = %s AND id %% 200 = 0", [advisor.pk, office.pk])
        cursor.execute("SELECT id FROM migrants_migrant WHERE office_id = %s ORDER BY id LIMIT %s",
                       [office.pk, arguments.dossiers])
        promoters = [row[0] for row in cursor.fetchall()]
    sectors = list(Sector.objects.values_list("pk", flat=True))
    communes = list(Commune.objects.filter(department__region__code="SN11").values_list("pk", flat=True))
    ProjectDossier.objects.bulk_create([
        ProjectDossier(reference=f"BENCH-{n:06d}", office=office, promoter_id=promoter, advisor=advisor,
                       title=f"Projet {n}", sector_id=sectors[n % len(sectors)], commune_id=communes[n % len(communes)])
        for n, promoter in enumerate(promoters)
    ], batch_size=2000)
    print(f"phones, follow-ups and {len(promoters):,} dossiers in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    call_command("rebuild_report_summaries", verbosity=0)
    print(f"monthly summaries built in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    person = ProjectDossier.objects.filter(advisor=advisor).order_by("pk").values_list("promoter_id", flat=True)[0]
    return {
        "office": office, "advisor": advisor, "authority": authority, "commune": commune.code,
        "person": person, "dossier": ProjectDossier.objects.order_by("pk").values_list("pk", flat=True)[0],
    }


def _pages(seeded) -> list[tuple[str, str, str]]:
    """(label, role, path) of every key page; the role is whose session sends it."""
    from datetime import date

    year = date.today().year
    return [
        ("registry list", "advisor", "/migrants/"),
        ("registry search by name", "advisor", "/migrants/?q=mamadou+diedhiou"),  # bench/seeding.py names
        ("registry search by phone", "advisor", "/migrants/?q=%2B2217700" + "12340"),
        ("person page", "advisor", f"/migrants/{seeded['person']}/"),
        ("follow-ups", "advisor", "/migrants/follow-ups/"),
        ("office dashboard", "advisor", "/"),
        ("dossier page", "advisor", f"/projects/{seeded['dossier']}/"),
        ("funding search", "advisor", "/funding/?q=%C3%A9levage"),
        ("authority report, cached", "authority",
         f"/reports/commune/{seeded['commune']}/?start={year}-01&end={year}-12"),
        ("public commune profile", "anonymous", f"/communes/{seeded['commune']}/"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(arguments, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MFA_REQUIRED": "0",
        "REDIS_URL": REDIS_BENCH_URL,
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(arguments.workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "hom.wsgi:application"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not start")


def _session(base: str, email: str | None):
    import requests

    session = requests.Session()
    if email is None:
        return session
    session.get(f"{base}/accounts/login/")
    response = session.post(f"{base}/accounts/login/", data={
        "username": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }, headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    if response.status_code != 302:
        sys.exit(f"signing in as {email} failed: {response.status_code}")
    return session


def _rate(base: str, cookies, path: str, seconds: float, clients: int, before=None) -> float:
    """Requests per second of ``path`` with ``clients`` keep-alive clients, for ``seconds``."""
    import requests

    done = [0] * clients
    failures = []
    stop = time.monotonic() + seconds

    def client(index):
        session = requests.Session()
        session.cookies.update(cookies)
        while time.monotonic() < stop:
            if before:
                before()
            response = session.get(base + path, allow_redirects=False)
            if response.status_code != 200:
                failures.append(response.status_code)
                return
            done[index] += 1

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{path} answered {failures[0]}")
    return sum(done) / (time.monotonic() - started)


def _query_counts(seeded, pages) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, role, path in [("bare view", "advisor", "/bench/bare/"), *pages]:
        client = Client(HTTP_HOST="127.0.0.1")
        if role != "anonymous":
            client.force_login(seeded[role])
        client.get(path)  # warm, as the measured pages are
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[label] = len(queries)
    return counts


def main() -> int:
    arguments = _arguments()
    with throwaway_database(arguments, suffix="_pages_bench"):
        import redis
        from django.conf import settings

        seeded = _seed(arguments)
        pages = _pages(seeded)
        settings.ROOT_URLCONF = "bench.pages_urls"
        counts = _query_counts(seeded, pages)
        cache = redis.Redis.from_url(REDIS_BENCH_URL)
        cache.flushdb()
        port = _free_port()
        server = _start_gunicorn(arguments, port)
        base = f"http://127.0.0.1:{port}"
        try:
            sessions = {"advisor": _session(base, seeded["advisor"].email),
                        "authority": _session(base, seeded["authority"].email), "anonymous": _session(base, None)}
            cookies = {role: session.cookies.get_dict() for role, session in sessions.items()}
            for _label, role, path in pages:  # warm every worker's caches once
                _rate(base, cookies[role], path, 0.5, arguments.clients)
            results = {label: [] for label in ["bare view", *(page[0] for page in pages),
                                               "authority report, uncached"]}
            for round_number in range(arguments.rounds):
                results["bare view"].append(
                    _rate(base, cookies["advisor"], "/bench/bare/", arguments.seconds, arguments.clients))
                for label, role, path in pages:
                    results[label].append(_rate(base, cookies[role], path, arguments.seconds, arguments.clients))
                report = next(path for label, _role, path in pages if label.startswith("authority report"))
                results["authority report, uncached"].append(
                    _rate(base, cookies["authority"], report, arguments.seconds, 1, before=cache.flushdb))
                print(f"round {round_number + 1} of {arguments.rounds} done", flush=True)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            cache.flushdb()
    counts["authority report, uncached"] = counts["authority report, cached"]
    bare = statistics.median(results["bare view"])
    print(f"\n{arguments.people:,} persons, {arguments.visits:,} visits, {arguments.dossiers:,} dossiers; "
          f"{arguments.workers} gunicorn workers, {arguments.clients} clients, {arguments.rounds} rounds of "
          f"{arguments.seconds:g} s")
    print(f"{'page':<32} {'req/s':>8} {'ratio':>7} {'queries':>8}")
    worst = None
    for label, rates in results.items():
        rate = statistics.median(rates)
        ratio = rate / bare
        if label != "bare view" and (worst is None or ratio < worst):
            worst = ratio
        print(f"{label:<32} {rate:8.1f} {ratio:7.1%} {counts[label]:8d}")
    print(f"ratio {worst:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
