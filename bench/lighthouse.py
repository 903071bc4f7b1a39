#!/usr/bin/env python
"""Lighthouse on the key pages, as a phone on a slow link sees them (issue 19, point 9).

Builds a throwaway demo site (SQLite in a temporary folder: migrate, territories, seed_demo,
static files collected and compressed as in production), serves it with gunicorn and
production settings (DEBUG off, WhiteNoise), signs the demo accounts in (a session cookie
made server-side, sent as a header), then runs Lighthouse's default mobile profile
(simulated slow 4G, a mid-range phone's CPU) on each page, ``--runs`` times, and prints the
median performance and accessibility scores and the bytes transferred (compressed).

Lighthouse is not a project dependency (it needs Node.js): install it once outside the
repository and point ``--lighthouse`` (or ``$LIGHTHOUSE``) at it, for example

    mkdir -p /tmp/lh && (cd /tmp/lh && npm init -y && npm i -E lighthouse@12.2.3)
    python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Chromium is Debian's (``/usr/bin/chromium``, ``$CHROME_PATH``). The issue's targets:
performance >= 0.90, accessibility >= 0.95, the advisor's first page under 120 KB.
"""

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# (label, account email or None for anonymous, path)
PAGES = [
    ("login", None, "/accounts/login/"),
    ("public commune profile", None, "/communes/SN1103_SEDHIOU/"),
    ("advisor dashboard", "conseiller@demo.hom", "/"),
    ("registry", "conseiller@demo.hom", "/migrants/"),
    ("dossier wizard (migrant)", "migrant@demo.hom", "/projects/new/"),
]

SESSION_SCRIPT = """
import sys
from django.conf import settings
from django.test import Client
from hom.accounts.models import User
client = Client()
client.force_login(User.objects.get(email=sys.argv[1]))
print(settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE", "lighthouse"))
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(folder: Path, port: int) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        DEBUG="0",
        SECRET_KEY=secrets.token_hex(40),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        MFA_REQUIRED="0",
        MEDIA_ROOT=str(folder / "media"),
    )
    return environment


def _manage(environment: dict, *arguments: str, debug: bool = False) -> str:
    env = dict(environment, DEBUG="1") if debug else environment
    done = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} does not answer")


def _lighthouse(options, url: str, cookie: str | None) -> dict:
    command = [
        options.lighthouse,
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in (1, 2):  # Chrome under load sometimes fails to start: one more try, then say why
        done = subprocess.run(command, env=dict(os.environ, CHROME_PATH=options.chrome), capture_output=True, text=True)
        if done.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"lighthouse failed on {url}: {done.stderr.strip()[-800:]}")
    report = json.loads(done.stdout)
    if report.get("finalDisplayedUrl", url).split("?")[0] != url:
        raise RuntimeError(f"{url} was redirected to {report.get('finalDisplayedUrl')}: not signed in?")
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "bytes": report["audits"]["total-byte-weight"]["numericValue"],
        "lcp": report["audits"]["largest-contentful-paint"]["numericValue"],
    }


def main() -> None:
    options = _arguments()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="hom-lighthouse-") as name:
        folder = Path(name)
        environment = _environment(folder, port)
        print("building the demo site…", flush=True)
        _manage(environment, "migrate", "--noinput")
        _manage(environment, "load_territories")
        _manage(environment, "seed_demo")
        _manage(environment, "collectstatic", "--noinput", debug=True)
        cookies = {
            email: _manage(
                environment, "shell", "--verbosity", "0", "-c", SESSION_SCRIPT.replace("sys.argv[1]", repr(email))
            )
            .strip()
            .splitlines()[-1]
            for email in {email for _label, email, _path in PAGES if email}
        }
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "hom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base + "/accounts/login/")
            print(f"{'page':<28} {'performance':>11} {'accessibility':>13} {'KB (compressed)':>15} {'LCP s':>6}")
            worst = 1.0
            for label, email, path in PAGES:
                runs = [_lighthouse(options, base + path, cookies.get(email)) for _ in range(options.runs)]
                figures = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                worst = min(worst, figures["performance"])
                print(
                    f"{label:<28} {figures['performance']:>11.2f} {figures['accessibility']:>13.2f} "
                    f"{figures['bytes'] / 1024:>15.1f} {figures['lcp'] / 1000:>6.2f}",
                    flush=True,
                )
            print(f"worst performance {worst:.2f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
