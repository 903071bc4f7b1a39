"""Attacks on authentication (issue 14): case-variant lockout bypass, guessing links, flooding reset."""
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from hom.accounts.tests.factories import PASSWORD


def _fail_five_times(client, username="advisor@example.sn"):
    for _ in range(5):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


@pytest.mark.parametrize("variant", ["ADVISOR@EXAMPLE.SN", " advisor@Example.sn ", "Advisor@example.SN"])
def test_a_case_variant_with_the_right_password_does_not_pass_a_lock_nor_clear_it(client, users, variant):
    _fail_five_times(client)

    response = client.post(reverse("login"), {"username": variant, "password": PASSWORD})
    again = client.post(reverse("login"), {"username": "advisor@example.sn", "password": PASSWORD})

    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert again.status_code == 429
    assert AccessAttempt.objects.filter(username="advisor@example.sn", failures_since_start__gte=5).exists()


def test_failures_spread_over_case_variants_count_on_one_account(client, users):
    for variant in ["advisor@example.sn", "ADVISOR@example.sn", "Advisor@Example.sn", " advisor@EXAMPLE.sn", "aDvIsOr@example.sn"]:
        client.post(reverse("login"), {"username": variant, "password": "wrong-password"})

    response = client.post(reverse("login"), {"username": "advisor@example.sn", "password": PASSWORD})

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["advisor@example.sn"]


def test_a_case_variant_signs_in_when_nothing_is_locked(client, users):
    response = client.post(reverse("login"), {"username": " ADVISOR@example.sn ", "password": PASSWORD})

    assert response.status_code == 302 and client.session["_auth_user_id"] == str(users["advisor"].pk)


def test_password_reset_is_rate_limited_per_address_whatever_its_case(client, users):
    answers = [
        client.post(reverse("password_reset"), {"email": email}).status_code
        for email in ["advisor@example.sn", "ADVISOR@example.sn", "Advisor@Example.sn", "advisor@EXAMPLE.SN"]
    ]

    assert answers == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_password_reset_is_rate_limited_per_client_address(client, users):
    answers = [client.post(reverse("password_reset"), {"email": f"someone{n}@example.sn"}).status_code for n in range(11)]
    refused = client.post(reverse("password_reset"), {"email": "advisor@example.sn"})

    assert answers == [302] * 10 + [429]
    assert refused.status_code == 429 and "Trop de tentatives" in refused.content.decode()
    assert mail.outbox == []


def test_the_reset_page_of_another_client_address_is_not_limited(client, users):
    for n in range(10):
        client.post(reverse("password_reset"), {"email": f"someone{n}@example.sn"})

    response = client.post(reverse("password_reset"), {"email": "advisor@example.sn"}, REMOTE_ADDR="10.9.8.7")

    assert response.status_code == 302 and len(mail.outbox) == 1


def test_guessing_reset_links_locks_the_client_address_even_for_a_good_link(client, users):
    client.post(reverse("password_reset"), {"email": "advisor@example.sn"})
    good_link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    uid = good_link.split("/")[3]
    guesses = [
        client.get(reverse("password_reset_confirm", args=[uid, f"abc-{n:032x}"])).status_code for n in range(10)
    ]

    locked = client.get(good_link)
    elsewhere = client.get(good_link, REMOTE_ADDR="10.9.8.7")

    assert guesses == [200] * 10
    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_the_rate_limits_count_in_redis_when_the_cache_is_redis(client, users, settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "wt-c-test"}
    }
    from django.core.cache import cache

    cache.clear()
    try:
        answers = [client.post(reverse("password_reset"), {"email": "advisor@example.sn"}).status_code for _ in range(4)]
    finally:
        cache.clear()

    assert answers == [302, 302, 302, 429]
