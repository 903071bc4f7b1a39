"""Personal API tokens: shown once, hashed at rest, named, last use recorded, revocable; the command."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from hom.api.models import ApiToken
from hom.api.services import api_token_create, hash_key
from hom.testing.access import ROLES, assert_access_matrix

pytestmark = pytest.mark.django_db

EVERY_USER = {role: 200 for role in ROLES} | {"anonymous": "login"}
SCHEMA_URL = "/api/schema/"


def _bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_the_token_page_answers_every_logged_in_user(client, users):
    assert_access_matrix(client, reverse("api:tokens"), EVERY_USER, users)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, users):
    client.force_login(users["advisor"])

    created = client.post(reverse("api:tokens"), {"name": "Partner spreadsheet"})
    again = client.get(reverse("api:tokens"))

    token = ApiToken.objects.get()
    key = created.context["new_key"]
    assert key in created.content.decode() and "no-store" in created["Cache-Control"]
    assert key not in again.content.decode() and "Partner spreadsheet" in again.content.decode()
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.user == users["advisor"] and token.history.get().history_user == users["advisor"]


def test_a_token_without_a_name_is_refused_with_a_message_on_the_field(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("api:tokens"), {"name": ""})

    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_token_authenticates_and_records_its_last_use(users, office):
    token, key = api_token_create(user=users["advisor"], name="script")

    response = _bearer(key).get(reverse("api:migrant-list"))

    token.refresh_from_db()
    assert response.status_code == 200 and token.last_used_at is not None


def test_a_revoked_token_answers_401(client, users):
    token, key = api_token_create(user=users["advisor"], name="laptop")
    client.force_login(users["advisor"])

    revoked = client.post(reverse("api:token_revoke", args=[token.pk]))
    response = _bearer(key).get(reverse("api:migrant-list"))

    assert revoked.status_code == 302
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_another_users_token(client, users):
    token, key = api_token_create(user=users["advisor"], name="laptop")
    client.force_login(users["other_office_advisor"])

    response = client.post(reverse("api:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404 and token.revoked_at is None
    assert _bearer(key).get(reverse("api:migrant-list")).status_code == 200


def test_an_unknown_token_and_a_malformed_header_answer_401(users):
    assert _bearer("hom_made-up").get(reverse("api:migrant-list")).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two words")
    assert client.get(reverse("api:migrant-list")).status_code == 401


def test_a_deactivated_users_token_stops_working(users):
    _token, key = api_token_create(user=users["advisor"], name="script")
    users["advisor"].is_active = False
    users["advisor"].save()

    assert _bearer(key).get(reverse("api:migrant-list")).status_code == 401


def test_the_command_prints_a_working_token_on_its_last_line(users):
    out = StringIO()

    call_command("api_token", "Advisor@example.sn", "--name", "deployment", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    assert ApiToken.objects.get().name == "deployment"
    assert _bearer(key).get(reverse("api:migrant-list")).status_code == 200


def test_the_command_refuses_an_unknown_email(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "nobody@example.sn", stdout=StringIO())


def test_a_session_write_needs_the_csrf_token(users):
    """The site's own JavaScript uses the session: a forged cross-site POST is refused."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["advisor"])

    response = client.post(reverse("api:walk-in-list"), {"sex": "F"}, format="json")

    assert response.status_code == 403


def test_each_token_has_its_own_budget(users, monkeypatch):
    from django.core.cache import cache

    from hom.api.throttling import TokenRateThrottle

    cache.clear()
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/hour", "anon": "2/hour"})
    first, second = _bearer(api_token_create(user=users["advisor"], name="a")[1]), _bearer(
        api_token_create(user=users["advisor"], name="b")[1])
    try:
        answers = [first.get(reverse("api:migrant-list")).status_code for _ in range(3)]
        other = second.get(reverse("api:migrant-list"))
    finally:
        cache.clear()

    assert answers == [200, 200, 429] and other.status_code == 200


def test_with_the_second_factor_required_staff_get_a_token_only_after_enrolling(users, settings):
    from django.core.exceptions import ValidationError
    from django.core.management import CommandError, call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.MFA_REQUIRED = True
    with pytest.raises(ValidationError) as refused:
        api_token_create(user=users["advisor"], name="script")
    assert "second" in str(refused.value).lower() or "facteur" in str(refused.value).lower()
    with pytest.raises(CommandError):
        call_command("api_token", users["advisor"].email)
    # A migrant is not forced to enrol, so gets a token.
    assert api_token_create(user=users["migrant"], name="phone")[1].startswith("hom_")

    TOTPDevice.objects.create(user=users["advisor"], name="phone", confirmed=True)
    assert api_token_create(user=users["advisor"], name="script")[1].startswith("hom_")
