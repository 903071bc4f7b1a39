"""Links that leave the site (emails, notices, exports) and the language their reader gets.

Every absolute link HOM writes starts with ``SITE_URL``, the public address of the office's
site read from the environment: a worker that sends the morning digest has no request to ask
its host of, and a request's host may be an internal name behind the proxy. When ``SITE_URL``
is not set (development without it, the tests), a link made during a request falls back to
that request's own address; ``check --deploy`` warns about the missing setting in production.
"""
from django.conf import settings
from django.core import checks


def absolute_url(path: str, request=None) -> str:
    """``path`` (as ``reverse`` returns it) as a link that works from an email."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def recipient_language(user, default: str | None = None) -> str:
    """The language ``user`` reads their emails and notices in.

    Their saved choice (the "language of the emails" of their notification preferences) first;
    else ``default`` (the language of the page they are on, when they asked for the email
    themselves); else the office's default language, French. The preference is reached through
    the account's reverse relation, so this platform module imports no app (a missing row is an
    ``AttributeError``).
    """
    preference = getattr(user, "notification_preference", None) if user is not None and user.pk else None
    language = getattr(preference, "language", "") or default or settings.LANGUAGE_CODE
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """``check --deploy``: a production site needs its public https address for the links it emails."""
    site_url = getattr(settings, "SITE_URL", "")
    if settings.DEBUG:
        return []
    if not site_url:
        return [
            checks.Warning(
                "SITE_URL is not set: links in emails and notices would point nowhere.",
                hint="Set SITE_URL to the public address of the site, e.g. https://hom.ard-sedhiou.sn",
                id="hom.W001",
            )
        ]
    if not site_url.startswith("https://"):
        return [
            checks.Warning(
                "SITE_URL does not start with https://: links in emails would not be secure.",
                hint="Set SITE_URL to the public https address of the site.",
                id="hom.W002",
            )
        ]
    return []
