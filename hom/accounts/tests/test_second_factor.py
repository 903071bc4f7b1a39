"""The second factor: TOTP enrolment and codes, recovery codes, MFA_REQUIRED, the lockout."""
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hom.accounts.selectors import has_second_factor
from hom.accounts.tests.factories import PASSWORD
from hom.testing.access import LOGIN, assert_access_matrix

EVERYONE = {role: 200 for role in ("superuser", "admin", "advisor", "other_office_advisor", "migrant",
                                   "other_migrant", "authority", "partner")}


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def _sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset):06d}"


def _enrol(client, user):
    client.get(reverse("mfa_totp_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("mfa_totp_enrol"), {"code": _code(device)})
    assert response.status_code == 200
    return device, re.findall(r"<li>([0-9a-f]{10})</li>", response.content.decode())


@pytest.mark.parametrize("name", ["mfa_settings", "mfa_totp_enrol", "mfa_verify", "sessions"])
def test_every_signed_in_user_reaches_their_own_security_pages(client, users, name):
    expected = {"anonymous": LOGIN, **EVERYONE}
    if name == "mfa_verify":  # nothing to verify: back to the dashboard
        expected = {"anonymous": LOGIN, **{role: 302 for role in EVERYONE}}
    assert_access_matrix(client, reverse(name), expected, users)


def test_new_recovery_codes_need_a_verified_second_factor(client, users):
    assert_access_matrix(client, reverse("mfa_recovery_codes"), {"anonymous": LOGIN, **{r: 302 for r in EVERYONE}},
                         users, method="post")


def test_with_mfa_required_an_advisor_with_a_password_only_reaches_no_staff_page(client, users, mfa_required):
    _sign_in(client, "advisor@example.sn")

    for url in (reverse("home"), reverse("migrants:list"), reverse("staff_list")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("mfa_totp_enrol"), url


def test_without_mfa_required_a_password_is_enough(client, users):
    _sign_in(client, "advisor@example.sn")

    assert client.get(reverse("migrants:list")).status_code == 200


def test_migrants_are_not_forced_to_enrol(client, users, mfa_required):
    _sign_in(client, "migrant@example.sn")

    assert client.get(reverse("home")).status_code == 200


def test_after_enrolling_the_advisor_signs_in_with_password_and_code(client, users, mfa_required):
    advisor = users["advisor"]
    _sign_in(client, advisor.email)
    device, codes = _enrol(client, advisor)
    assert len(codes) == 10 and has_second_factor(advisor)
    assert client.get(reverse("migrants:list")).status_code == 200
    client.post(reverse("logout"))

    _sign_in(client, advisor.email)
    assert client.get(reverse("migrants:list")).url == reverse("mfa_verify")
    device.refresh_from_db()
    response = client.post(reverse("mfa_verify"), {"code": _code(device, offset=1)})

    assert response.status_code == 302
    assert client.get(reverse("migrants:list")).status_code == 200


def test_a_wrong_code_counts_toward_the_lockout(client, users, mfa_required, settings):
    advisor = users["advisor"]
    _sign_in(client, advisor.email)
    _enrol(client, advisor)
    client.post(reverse("logout"))
    _sign_in(client, advisor.email)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("mfa_verify"), {"code": "000000"})
        assert response.status_code == 200 and response.context["form"].errors["code"]
    response = client.post(reverse("mfa_verify"), {"code": "000000"})

    assert response.status_code in (302, 429)
    assert client.get(reverse("migrants:list")).status_code == 302  # signed out
    # The right password no longer opens the account: it is locked.
    assert _sign_in(client, advisor.email).status_code == 429


def test_a_recovery_code_works_once(client, users, mfa_required):
    advisor = users["advisor"]
    _sign_in(client, advisor.email)
    _device, codes = _enrol(client, advisor)
    client.post(reverse("logout"))

    _sign_in(client, advisor.email)
    assert client.post(reverse("mfa_verify"), {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("migrants:list")).status_code == 200
    client.post(reverse("logout"))

    _sign_in(client, advisor.email)
    response = client.post(reverse("mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert client.get(reverse("migrants:list")).url == reverse("mfa_verify")


def test_a_wrong_code_at_enrolment_keeps_the_user_on_the_page(client, users, mfa_required):
    _sign_in(client, "advisor@example.sn")
    client.get(reverse("mfa_totp_enrol"))

    response = client.post(reverse("mfa_totp_enrol"), {"code": "123"})

    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not has_second_factor(users["advisor"])
    assert 'data-testid="totp-secret"' in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, users, mfa_required):
    advisor = users["advisor"]
    _sign_in(client, advisor.email)
    _device, old = _enrol(client, advisor)

    response = client.post(reverse("mfa_recovery_codes"))
    new = re.findall(r"<li>([0-9a-f]{10})</li>", response.content.decode())

    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("logout"))
    _sign_in(client, advisor.email)
    assert client.post(reverse("mfa_verify"), {"code": new[0]}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, advisor.email)
    assert client.post(reverse("mfa_verify"), {"code": old[0]}).status_code == 200


def test_ending_the_other_sessions(client, users):
    from django.test import Client

    other = Client()
    assert _sign_in(other, "advisor@example.sn").status_code == 302
    _sign_in(client, "advisor@example.sn")
    assert client.get(reverse("sessions")).context["others"] == 1

    client.post(reverse("sessions"))

    assert client.get(reverse("migrants:list")).status_code == 200
    assert other.get(reverse("migrants:list")).status_code == 302


def test_a_password_change_ends_the_other_sessions(client, users):
    from django.test import Client

    other = Client()
    assert _sign_in(other, "advisor@example.sn").status_code == 302
    _sign_in(client, "advisor@example.sn")

    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "another-long-pass-77",
                                             "new_password2": "another-long-pass-77"})

    assert client.get(reverse("migrants:list")).status_code == 200
    assert other.get(reverse("migrants:list")).status_code == 302


def test_staff_sessions_expire_after_the_staff_idle_time(client, users, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    _sign_in(client, "advisor@example.sn")
    client.get(reverse("home"))

    assert client.session.get_expiry_age() == 600
