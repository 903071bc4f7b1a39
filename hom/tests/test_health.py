from unittest import mock

from django.urls import reverse


def test_healthz_reports_a_healthy_database_without_login(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("hom.health._database_ok", return_value=False):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


def test_healthz_checks_the_broker_when_one_is_configured(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error"}


def test_healthz_leaks_no_settings(client, db, settings):
    settings.REDIS_URL = "redis://secret-host:6379/0"
    with mock.patch("hom.health._broker_ok", return_value=True):
        response = client.get(reverse("healthz"))

    text = response.content.decode()
    assert "secret-host" not in text
    assert settings.SECRET_KEY not in text
    assert set(response.json()) == {"status", "checks"}
