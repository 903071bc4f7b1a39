"""What a process that serves or works checks before it starts: the secret key from the environment."""
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "SECRET_KEY must be set when DEBUG is off (production). "
    "For development, run with DEBUG=1 (as `make run` does) or set SECRET_KEY."
)


def require_secret_key() -> None:
    """Refuse to start without a secret key (Django itself would only fail at the first signed cookie)."""
    from django.conf import settings

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty key when it is read
        key = ""
    if not key:
        raise ImproperlyConfigured(MISSING_KEY)
