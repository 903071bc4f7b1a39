"""Reads for the dashboards. Later apps add their own counts through their selectors."""
from .models import Office, User


def offices_visible_to(user):
    if user.is_superuser:
        return Office.objects.select_related("region")
    return Office.objects.filter(pk=user.office_id).select_related("region")


def staff_visible_to(user):
    """The staff accounts ``user`` manages, with ``has_totp`` (an authenticator app enrolled) in one query."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    has_totp = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    return (
        User.staff_members.visible_to(user)
        .select_related("office")
        .annotate(has_totp=has_totp)
        .order_by("office__name", "last_name", "first_name", "email")
    )


def has_second_factor(user) -> bool:
    """True when ``user`` has enrolled a second factor (an authenticator app).

    For other apps (the API's staff tokens): a staff member without one must not get a token
    that bypasses the second factor. ``request.user.is_verified()`` (django-otp) says whether
    the current session has given it.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return bool(user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists())
