"""Passkeys (django-otp-webauthn) beside the authenticator app: the pages, the ceremonies' guards,
the lockout. The ceremonies themselves run in Chromium (test_passkeys_browser.py)."""
import json
import os
import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from hom.accounts.selectors import has_second_factor
from hom.accounts.tests.factories import PASSWORD
from hom.testing.access import LOGIN, ROLES, assert_access_matrix

EVERYONE_SIGNED_IN = {role: 200 for role in ROLES} | {"anonymous": LOGIN}
WEBAUTHN = "otp_webauthn:"


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def make_passkey(user, name="Téléphone"):
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=os.urandom(32), public_key=b"\x00", confirmed=True
    )


def _sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def _sign_in_verified(client, user):
    """Password, then the code of an authenticator app: a session that gave its second factor."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, user.email)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 302
    return device


def _post_json(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


# --- Access ------------------------------------------------------------------------------------


def test_every_signed_in_user_reaches_their_passkeys_page(client, users):
    assert_access_matrix(client, reverse("mfa_passkeys"), EVERYONE_SIGNED_IN, users)


@pytest.mark.parametrize("name", ["mfa_passkey_rename", "mfa_passkey_delete"])
def test_a_passkey_can_be_changed_by_its_owner_only(client, users, name):
    passkey = make_passkey(users["other_migrant"])
    expected = {role: 404 for role in ROLES} | {"anonymous": LOGIN}
    # Its owner, who has not given the second factor in this session, is asked for it first.
    expected["other_migrant"] = 302

    assert_access_matrix(client, reverse(name, args=[passkey.pk]), expected, users, method="post", data={"name": "x"})

    passkey.refresh_from_db()
    assert passkey.name == "Téléphone"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Registering needs a signed-in account (an account with a second factor must have given it).
        ("credential-registration-begin", {role: 200 for role in ROLES} | {"anonymous": 403}),
        # No sign-in with a passkey alone: the password comes first.
        ("credential-authentication-begin", {role: 200 for role in ROLES} | {"anonymous": 403}),
        # Nothing begun, nothing to complete.
        ("credential-registration-complete", {role: 400 for role in ROLES} | {"anonymous": 403}),
        ("credential-authentication-complete", {role: 400 for role in ROLES} | {"anonymous": 403}),
    ],
)
def test_the_passkey_ceremonies_answer_each_role(client, users, name, expected):
    assert_access_matrix(client, reverse(WEBAUTHN + name), expected, users, method="post")


def test_the_passkey_scripts_translations_are_public_and_french(client, users):
    assert_access_matrix(client, reverse(WEBAUTHN + "js-i18n-catalog"), {role: 200 for role in ROLES}, users)

    assert "Ajout interrompu." in client.get(reverse(WEBAUTHN + "js-i18n-catalog")).content.decode()


# --- Enrolment and management -------------------------------------------------------------------


def test_an_advisor_who_must_enrol_may_choose_a_passkey(client, users, mfa_required, settings):
    _sign_in(client, "advisor@example.sn")

    enrol = client.get(reverse("mfa_totp_enrol")).content.decode()
    page = client.get(reverse("mfa_passkeys"))
    options = _post_json(client, reverse(WEBAUTHN + "credential-registration-begin"))

    assert reverse("mfa_passkeys") in enrol
    assert page.status_code == 200 and 'id="passkey-registration-available-template"' in page.content.decode()
    assert options.status_code == 200
    assert options.json()["rp"]["id"] == settings.OTP_WEBAUTHN_RP_ID
    assert options.json()["user"]["name"] == "advisor@example.sn"
    # Still no staff page before a second factor is enrolled.
    assert client.get(reverse("migrants:list")).url == reverse("mfa_totp_enrol")


def test_the_passkey_pages_load_their_scripts_from_our_static_files_only(client, users, settings):
    make_passkey(users["advisor"])
    _sign_in(client, "advisor@example.sn")

    pages = [client.get(reverse("mfa_verify")).content.decode()]
    client.logout()
    client.force_login(users["migrant"])
    pages.append(client.get(reverse("mfa_passkeys")).content.decode())

    for page in pages:
        scripts = re.findall(r"<script([^>]*)>", page)
        assert any("django_otp_webauthn/otp_webauthn_" in attributes for attributes in scripts)
        for attributes in scripts:
            # Our CSP allows no inline script: every script is a file of this site, or JSON data.
            assert 'src="/' in attributes or 'type="application/json"' in attributes, attributes


def test_with_a_passkey_the_second_step_offers_it(client, users, mfa_required):
    advisor = users["advisor"]
    make_passkey(advisor)
    _sign_in(client, advisor.email)

    response = client.get(reverse("migrants:list"))
    page = client.get(reverse("mfa_verify")).content.decode()

    assert has_second_factor(advisor)
    assert response.url == reverse("mfa_verify")
    assert 'id="passkey-verification-button"' in page
    assert 'name="code"' not in page  # no authenticator app and no recovery codes: nothing to type


def test_someone_with_the_password_only_cannot_add_a_passkey_to_an_account_that_has_one(client, users):
    advisor = users["advisor"]
    make_passkey(advisor)
    _sign_in(client, advisor.email)

    begin = _post_json(client, reverse(WEBAUTHN + "credential-registration-begin"))
    page = client.get(reverse("mfa_passkeys"))

    assert begin.status_code == 403 and begin.json()["code"] == "user_not_verified"
    assert page.status_code == 302 and page.url == reverse("mfa_verify")


def test_the_owner_renames_and_removes_a_passkey(client, users):
    advisor = users["advisor"]
    passkey = make_passkey(advisor)
    _sign_in_verified(client, advisor)

    listed = client.get(reverse("mfa_passkeys")).content.decode()
    client.post(reverse("mfa_passkey_rename", args=[passkey.pk]), {"name": "  Ordinateur   du bureau "})
    passkey.refresh_from_db()
    renamed = passkey.name
    empty = client.post(reverse("mfa_passkey_rename", args=[passkey.pk]), {"name": "   "}, follow=True)
    client.post(reverse("mfa_passkey_delete", args=[passkey.pk]))

    assert "Téléphone" in listed
    assert renamed == "Ordinateur du bureau"
    assert empty.status_code == 200 and "Ordinateur du bureau" in empty.content.decode()
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_verified_user_cannot_touch_another_users_passkey(client, users):
    theirs = make_passkey(users["admin"])
    _sign_in_verified(client, users["advisor"])

    renamed = client.post(reverse("mfa_passkey_rename", args=[theirs.pk]), {"name": "mine"})
    removed = client.post(reverse("mfa_passkey_delete", args=[theirs.pk]))

    theirs.refresh_from_db()
    assert renamed.status_code == 404 and removed.status_code == 404 and theirs.name == "Téléphone"


def test_staff_keep_a_second_factor_while_it_is_required(client, users, mfa_required):
    advisor = users["advisor"]
    passkey = make_passkey(advisor)  # the only second factor
    _sign_in(client, advisor.email)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id  # as django-otp-webauthn's ceremony leaves it
    session.save()

    response = client.post(reverse("mfa_passkey_delete", args=[passkey.pk]), follow=True)

    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "Votre compte a besoin d’un second facteur" in response.content.decode()


def test_the_staff_list_shows_who_has_a_passkey(client, users):
    make_passkey(users["advisor"])
    client.force_login(users["admin"])

    content = client.get(reverse("staff_list")).content.decode()
    row = content[content.index("advisor@example.sn"):]
    row = row[: row.index("</tr>")]

    assert "Clé d’accès" in row


# --- Lockout ------------------------------------------------------------------------------------


def test_a_failed_passkey_counts_toward_the_lockout(client, users, mfa_required, settings):
    advisor = users["advisor"]
    make_passkey(advisor)
    _sign_in(client, advisor.email)
    complete = reverse(WEBAUTHN + "credential-authentication-complete")

    answers = []
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post_json(client, reverse(WEBAUTHN + "credential-authentication-begin")).status_code == 200
        answers.append(_post_json(client, complete, {"id": "forged", "rawId": "forged", "type": "public-key"}).status_code)
    assert client.get(reverse("migrants:list")).url == reverse("mfa_verify")  # still signed in, still asked
    last = _post_json(client, complete, {"id": "forged"})

    assert all(400 <= status < 500 for status in answers), answers
    assert last.status_code == 429  # django-axes' lockout page
    assert client.get(reverse("migrants:list")).url.startswith(reverse("login"))  # signed out
    assert _sign_in(client, advisor.email).status_code == 429  # the right password no longer opens it
