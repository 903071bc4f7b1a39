"""Redis down: the cache answers like an empty one, reports and the import page are computed
without it (no 500), and /healthz still says the broker is down."""
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hom.testing.broker import DEAD_BROKER_URL
from migrants import imports
from migrants.tests.factories import MigrantFactory, VisitFactory


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = DEAD_BROKER_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "hom.cache.FaultTolerantRedisCache",
            "LOCATION": DEAD_BROKER_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.REPORTS_CACHE_SECONDS = 600


def test_the_cache_answers_like_an_empty_one_and_fast(redis_down):
    started = time.monotonic()

    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.add("key", 1) is False and cache.delete("key") is False and cache.get_many(["a", "b"]) == {}
    assert time.monotonic() - started < 15


def test_the_reports_are_computed_without_the_cache(client, users, office, redis_down):
    migrant = MigrantFactory(office=office)
    for days in range(12):
        VisitFactory(migrant=migrant, office=office, occurred_at=timezone.now() - timedelta(days=days))
    client.force_login(users["admin"])

    response = client.get(reverse("reports:report", args=["office", office.code]), follow=True)

    assert response.status_code == 200
    assert "12" in response.content.decode()


def test_the_import_pages_answer_without_redis(client, users, office, redis_down):
    migrant_import = imports.import_create(
        office=office, uploaded_by=users["advisor"], file_name="x.csv", headers=["Prénom", "Nom"], rows=[["Awa", "Sané"]]
    )
    client.force_login(users["advisor"])

    assert client.get(reverse("migrants:import_list")).status_code == 200
    assert client.get(migrant_import.get_absolute_url()).status_code == 200
    assert client.get(reverse("migrants:import_progress", args=[migrant_import.pk])).status_code == 200


def test_healthz_still_reports_the_broker_down(client, db, redis_down):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503 and response.json()["checks"]["broker"] == "error"


def test_sessions_and_the_bell_fall_back_to_the_database(client, users, redis_down):
    """Sessions live in the cache and the database (hom/accounts/sessions.py): with Redis down a
    signed-in person stays signed in, read from the database, and the bell is counted."""
    client.force_login(users["advisor"])
    for _ in range(2):
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert response.context["user"] == users["advisor"]
