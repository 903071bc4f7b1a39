"""Sessions kept in the cache and the database, written at most once a minute (issue 18).

``SESSION_ENGINE = "hom.accounts.sessions"``: Django's ``cached_db`` store (reads come from
the cache, Redis in production; every write goes to both), with two additions:

- each save stamps the session with the time it was written (``SAVED_AT_KEY``), and a
  session read from the cache whose idle time has run out since that stamp is refused, so
  the idle timeouts hold even when the cache would keep the entry longer;
- :class:`SessionTouchMiddleware` replaces ``SESSION_SAVE_EVERY_REQUEST``: a request that
  did not change its session saves it again only when the last save is at least
  ``SESSION_TOUCH_SECONDS`` old. The expiry slides once a minute instead of on every page,
  so an idle timeout ends a session at most that long before its exact time.

Ending a session goes through the store's ``delete()``, which removes it from the cache too.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils import timezone

SAVED_AT_KEY = "_hom_saved_at"


def _now() -> int:
    return int(timezone.now().timestamp())


def _deadline(data: dict) -> float:
    """When the session ``data`` expires (a POSIX time), from its last save and its idle time."""
    expiry = data.get("_session_expiry")
    if isinstance(expiry, str):  # set_expiry() with a date: an absolute deadline
        return datetime.fromisoformat(expiry).timestamp()
    if not expiry:
        expiry = settings.SESSION_COOKIE_AGE
    return data.get(SAVED_AT_KEY, 0) + expiry


class SessionStore(CachedDBStore):
    cache_key_prefix = "hom.sessions"

    def load(self):
        data = super().load()
        if data and SAVED_AT_KEY in data and _deadline(data) <= _now():
            # Idle too long: the same answer as the database gives for an expired row.
            self._cache.delete(self.cache_key)
            self._session_key = None
            return {}
        return data

    def save(self, must_create=False):
        # Stamped without marking the session modified: the stamp is part of every write.
        self._get_session(no_load=must_create)[SAVED_AT_KEY] = _now()
        super().save(must_create)


def seconds_since_saved(session) -> int | None:
    saved_at = session.get(SAVED_AT_KEY)
    return None if saved_at is None else _now() - saved_at


class SessionTouchMiddleware:
    """Save an unchanged, open session again once ``SESSION_TOUCH_SECONDS`` have passed.

    Placed right after Django's ``SessionMiddleware``: it runs once the view and the other
    middleware are done, just before the session is written. A session nobody read in this
    request (a static file, a public page without a cookie) is left alone: no query is added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.modified or session.is_empty():
            return response
        if session.session_key is None or response.status_code >= 500:
            return response
        age = seconds_since_saved(session)
        if age is None or age >= settings.SESSION_TOUCH_SECONDS:
            session.modified = True
        return response
