"""The second factor of HOM, on django-otp (docs/accounts.md).

- An authenticator app (TOTP, ``otp_totp``) or passkeys (WebAuthn, ``django_otp_webauthn``) are
  the second factor; one-time recovery codes (``otp_static``) back them up.
- :class:`SecondFactorMiddleware`: a signed-in user who has a second factor and has not given
  it in this session reaches only the code page; with ``MFA_REQUIRED``, office staff without
  one reach only the enrolment page. Staff sessions expire after ``STAFF_SESSION_IDLE_SECONDS``.
- A wrong code or a failed passkey counts toward the django-axes lockout of the account, as a wrong password does;
  django-otp also slows down guesses on the device itself (exponential back-off).
"""
import secrets

import django_otp
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

RECOVERY_CODES = 10
# Pages (view names) a user who still owes the second factor may reach. The passkey ceremonies
# are among them: django-otp-webauthn refuses to register a new passkey for an account that
# has a second factor and has not given it in this session.
OPEN_VIEW_NAMES = frozenset({
    "mfa_verify", "mfa_totp_enrol", "mfa_passkeys", "mfa_recovery_codes", "logout", "set_language", "healthz",
    "otp_webauthn:credential-registration-begin", "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
})
# Whether the account has a second factor, read once when it signs in (no query on each page).
HAS_DEVICE_SESSION_KEY = "_hom_has_second_factor"


def has_device(user) -> bool:
    """An authenticator app or a passkey (recovery codes alone are not a second factor)."""
    return has_totp(user) or has_passkey(user)


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_recovery_codes(user) -> bool:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_office_staff and request.session.get("_session_expiry") != settings.STAFF_SESSION_IDLE_SECONDS:
            # Once per session: setting it on every page would save the session on every page.
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        if user.is_verified() or request.resolver_match.view_name in OPEN_VIEW_NAMES:
            return None
        if HAS_DEVICE_SESSION_KEY not in request.session:  # a session opened before this code
            request.session[HAS_DEVICE_SESSION_KEY] = has_device(user)
        if request.session[HAS_DEVICE_SESSION_KEY]:
            return redirect("mfa_verify")
        if settings.MFA_REQUIRED and user.is_office_staff:
            return redirect("mfa_totp_enrol")
        return None


@receiver(user_logged_in)
def _remember_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = has_device(user)
        if user.is_office_staff:  # set with the login's own write, not by the first page
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


# --- Services ------------------------------------------------------------------------------


@transaction.atomic
def totp_pending_device(*, user) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed), made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name="Authenticator", confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrolment with a first code: the session is verified and recovery codes are made.

    Returns the new recovery codes, or None when the code is wrong (counted toward the lockout).
    """
    if not device.verify_token(token):
        code_failed(request=request)
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New one-time recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def code_verify(*, request, token: str) -> bool:
    """Check a code from the authenticator or a recovery code (used up); verify the session when right."""
    token = "".join(str(token or "").split()).lower()
    device = django_otp.match_token(request.user, token) if token else None
    if device is None:
        code_failed(request=request)
        return False
    django_otp.login(request, device)
    return True


def passkey_registered(*, request) -> None:
    """A passkey was just added (django-otp-webauthn verified the session): remember the account has one."""
    request.session[HAS_DEVICE_SESSION_KEY] = True


def passkey_failed(*, request) -> None:
    """A passkey that did not prove the account (bad signature, unknown or replayed) counts as a wrong code."""
    if request.user.is_authenticated:
        code_failed(request=request)


@transaction.atomic
def passkey_rename(*, user, passkey: WebAuthnCredential, name: str) -> WebAuthnCredential:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the passkey a name.")})
    passkey.name = name[: WebAuthnCredential._meta.get_field("name").max_length]
    passkey.save(update_fields=["name"])
    return passkey


@transaction.atomic
def passkey_delete(*, user, passkey: WebAuthnCredential) -> None:
    """Remove a passkey; staff keep at least one second factor while ``MFA_REQUIRED`` is on."""
    others = WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=passkey.pk).exists()
    if settings.MFA_REQUIRED and user.is_office_staff and not others and not has_totp(user):
        raise ValidationError(_("Your account needs a second factor: add another passkey or an authenticator app first."))
    passkey.delete()


def code_failed(*, request) -> None:
    """A wrong code counts as a failed sign-in (django-axes); a locked account is signed out."""
    user_login_failed.send(sender=__name__, credentials={"username": request.user.login_name}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
