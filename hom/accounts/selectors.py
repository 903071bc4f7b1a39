"""Reads for the dashboards. Later apps add their own counts through their selectors."""
from .models import Office, User


def offices_visible_to(user) -> list:
    """The national admin's every office; anyone else's own (read with the user: no query)."""
    if user.is_superuser:
        return list(Office.objects.select_related("region"))
    return [user.office] if user.office_id else []


def staff_visible_to(user):
    """The staff accounts ``user`` manages, with ``has_totp`` (an authenticator app) and
    ``has_passkey`` annotated: two ``Exists`` subqueries, one query for the whole list."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    return (
        User.staff_members.visible_to(user)
        .select_related("office")
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            has_passkey=Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("office__name", "last_name", "first_name", "email")
    )


def has_second_factor(user) -> bool:
    """True when ``user`` has enrolled a second factor (an authenticator app or a passkey).

    For other apps (the API's staff tokens): a staff member without one must not get a token
    that bypasses the second factor. ``request.user.is_verified()`` (django-otp) says whether
    the current session has given it.
    """
    from .mfa import has_device

    return bool(user.is_authenticated and has_device(user))


def passkeys_of(user):
    """The passkeys of ``user``, newest first: the passkey pages read and change only these."""
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user).order_by("-created_at", "-pk")
