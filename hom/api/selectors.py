"""Reads on API tokens."""
from django.db.models import QuerySet

from .models import ApiToken
from .services import hash_key


def api_tokens_of(user) -> QuerySet:
    return ApiToken.objects.visible_to(user)


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token of ``key`` with its user, or None."""
    return ApiToken.objects.active().select_related("user__office").filter(key_hash=hash_key(key)).first()
