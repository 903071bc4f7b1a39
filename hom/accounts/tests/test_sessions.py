"""Sessions in the cache and the database, saved at most once a minute (issue 18)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hom.accounts.sessions import SessionStore
from hom.accounts.tests.factories import PASSWORD


def _sign_in(client, email="advisor@example.sn"):
    assert client.post(reverse("login"), {"username": email, "password": PASSWORD}).status_code == 302


def _session_writes(context) -> int:
    return sum(
        1
        for query in context.captured_queries
        if "django_session" in query["sql"] and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def _expire_date(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


@pytest.fixture
def signed_in(client, users):
    _sign_in(client)
    client.get(reverse("home"))  # the first page sets the staff idle time: one write
    return client


def test_pages_within_a_minute_do_not_write_the_session(signed_in):
    with CaptureQueriesContext(connection) as context:
        assert signed_in.get(reverse("migrants:list")).status_code == 200
        assert signed_in.get(reverse("home")).status_code == 200

    assert _session_writes(context) == 0


def test_two_pages_after_a_minute_write_the_session_once_and_slide_its_expiry(signed_in):
    before = _expire_date(signed_in)

    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        with CaptureQueriesContext(connection) as context:
            assert signed_in.get(reverse("migrants:list")).status_code == 200
            assert signed_in.get(reverse("home")).status_code == 200

    assert _session_writes(context) == 1
    assert _expire_date(signed_in) >= before + timedelta(seconds=60)


def test_a_page_read_from_the_cache_touches_no_session_row(signed_in):
    with CaptureQueriesContext(connection) as context:
        signed_in.get(reverse("home"))

    assert not [query for query in context.captured_queries if "django_session" in query["sql"]]


def test_pages_each_minute_keep_a_staff_session_open_past_its_idle_time(signed_in, settings):
    start = timezone.now()
    idle = settings.STAFF_SESSION_IDLE_SECONDS
    for minute in range(1, idle // 60 + 5, 10):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert signed_in.get(reverse("migrants:list")).status_code == 200


@pytest.mark.parametrize("cache_lost", [False, True], ids=["cached", "cache_lost"])
def test_an_idle_staff_session_is_signed_out(signed_in, settings, cache_lost):
    if cache_lost:
        cache.clear()  # read back from the database row
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.STAFF_SESSION_IDLE_SECONDS + 1), tick=False):
        response = signed_in.get(reverse("migrants:list"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_idle_session_found_in_the_cache_is_removed_from_it(signed_in, settings):
    cached = SessionStore.cache_key_prefix + signed_in.cookies["sessionid"].value
    assert cache.get(cached) is not None
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.STAFF_SESSION_IDLE_SECONDS + 1), tick=False):
        assert signed_in.get(reverse("migrants:list")).status_code == 302

    assert cache.get(cached) is None


def test_an_ended_session_cannot_be_used_again_even_from_the_cache(client, users):
    other = Client()
    _sign_in(other)
    assert other.get(reverse("migrants:list")).status_code == 200  # now in the cache
    stolen_cookie = other.cookies["sessionid"].value
    _sign_in(client)

    client.post(reverse("sessions"))

    assert other.get(reverse("migrants:list")).status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = stolen_cookie
    assert replay.get(reverse("migrants:list")).status_code == 302
    assert not Session.objects.filter(session_key=stolen_cookie).exists()
    assert client.get(reverse("migrants:list")).status_code == 200


def test_ending_a_member_sessions_removes_their_cached_copies(client, users):
    from hom.accounts import services

    other = Client()
    _sign_in(other)
    assert other.get(reverse("migrants:list")).status_code == 200
    cookie = other.cookies["sessionid"].value

    services.user_sessions_end(user=users["advisor"])

    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(reverse("migrants:list")).status_code == 302


def test_an_anonymous_page_creates_no_session(client, db):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert _session_writes(context) == 0
