"""Production settings: check --deploy is clean, and every response carries a CSP header."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from hom.celery import _refuse_to_work_without_a_secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SECURE_SSL_REDIRECT", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {
        "DEBUG": "0",
        "SECRET_KEY": "p" + "9f8e7d6c5b4a3210fedcba9876543210abcdefXYZ!@#$%^&*()_+" * 2,
        "ALLOWED_HOSTS": "hom.ard-sedhiou.sn",
        "SITE_URL": "https://hom.ard-sedhiou.sn",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _without_a_key() -> dict:
    return {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}


def test_the_web_server_refuses_to_start_without_a_secret_key_when_debug_is_off():
    # gunicorn imports hom.wsgi: without a key it stops there, saying what to set.
    result = subprocess.run(
        [sys.executable, "-c", "import hom.wsgi"], cwd=ROOT, env=_without_a_key(), capture_output=True, text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_celery_worker_refuses_to_start_without_a_secret_key(settings):
    settings.SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        _refuse_to_work_without_a_secret_key()


def test_migrations_can_be_checked_on_a_fresh_checkout_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=ROOT, env=_without_a_key(),
        capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_check_deploy_reports_a_missing_secret_key():
    environment = _without_a_key() | {"ALLOWED_HOSTS": "hom.ard-sedhiou.sn"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_responses_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("login"))

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
