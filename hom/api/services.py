"""Writes on API tokens. The key exists in clear only in the return value of :func:`api_token_create`."""
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.selectors import has_second_factor

from .models import ApiToken

KEY_BYTES = 32


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, created_by=None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its key, to be shown once and never again.

    When the second factor is required, office staff get a token only once they have one: a
    token is a password that never asks for the code, so it must not open what the code guards.
    """
    if settings.MFA_REQUIRED and user.is_office_staff and not has_second_factor(user):
        raise ValidationError(
            {"name": _("Set up your second factor before you create a token: a token must not bypass it.")}
        )
    key = "hom_" + secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken(user=user, name=(name or "").strip(), prefix=key[:8], key_hash=hash_key(key))
    token._history_user = created_by or user
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = revoked_by
        token.full_clean()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, every_seconds: int = 60) -> None:
    """Record the last use, at most once a minute (one UPDATE, no history row: a use is not a change)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= every_seconds:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
