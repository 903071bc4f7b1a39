"""HTTP helpers shared by every app: one way to read a login name, to follow ``next``,
to rate-limit a public form and to keep personal pages out of caches.

- :func:`normalise_email` is the one spelling of an email address used as a login name:
  django-axes counts failures on it (``AXES_USERNAME_CALLABLE``), the login form gives it
  to the backend, the rate limits key on it. ``X@Demo.hom`` and ``x@demo.hom`` are one
  account, so they are one counter.
- :func:`normalise_login` is the one spelling of a login name, an email address or a phone
  number: every spelling of one number ("77 123 45 67", "+221771234567", "00221 77…") gives its
  E.164 form, so django-axes counts them as one account (``AXES_USERNAME_CALLABLE``).
- :func:`safe_next_url` is the only reader of a ``next`` parameter.
- :func:`rate_limited` is the page of a refused request (``RATELIMIT_VIEW``, 429);
  :class:`FailureLimit` locks an endpoint (per client address) after repeated failures.
- :class:`PrivateCacheMiddleware` marks every response to a logged-in user and every file
  download ``Cache-Control: no-store, private``.
"""
import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.core import get_usage, is_ratelimited

PRIVATE_CACHE_CONTROL = "no-store, private"


def normalise_email(value) -> str:
    """An email address as a login name: stripped and lower-cased."""
    return str(value or "").strip().lower()


# What a typed phone number may hold besides digits: spaces, dots, dashes, slashes, brackets, a leading +.
PHONE_SPELLING = re.compile(r"^\+?[\d\s().\-/]{6,}$")


def normalise_phone(value) -> str:
    """A phone number in E.164 (``+221771234567``), read with Senegal as the default region;
    "" when ``value`` is not a phone number."""
    text = str(value or "").strip()
    if not PHONE_SPELLING.match(text):
        return ""
    try:
        number = phonenumbers.parse(text, getattr(settings, "PHONENUMBER_DEFAULT_REGION", None) or "SN")
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_login(value) -> str:
    """A login name: an email address (stripped, lower-cased) or a phone number (E.164)."""
    text = str(value or "").strip()
    if "@" not in text:
        phone = normalise_phone(text)
        if phone:
            return phone
    return normalise_email(text)


def axes_username(request, credentials=None) -> str:
    """``AXES_USERNAME_CALLABLE``: the normalised login name, so every spelling hits one counter."""
    if credentials and credentials.get("username") is not None:
        return normalise_login(credentials["username"])
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_login(data.get("username"))


def email_key(field: str):
    """A django-ratelimit key: the normalised address posted in ``field``."""

    def key(group, request):
        return normalise_email(request.POST.get(field))

    return key


def login_key(*fields: str):
    """A django-ratelimit key: the normalised login name posted in the first of ``fields`` that is filled."""

    def key(group, request):
        for field in fields:
            if request.POST.get(field):
                return normalise_login(request.POST.get(field))
        return ""

    return key


def safe_next_url(request, fallback, *, param: str = "next") -> str:
    """The ``next`` of the request when it stays on this site, ``fallback`` (a URL, a name or a model) otherwise."""
    candidate = request.POST.get(param) or request.GET.get(param) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback)


def rate_limited(request, exception=None):
    """``RATELIMIT_VIEW``: a refused request gets a page that says why, with 429."""
    return render(request, "429.html", status=429)


@dataclass(frozen=True)
class FailureLimit:
    """Lock an endpoint for one client address after ``rate`` failures (e.g. bad confirmation links).

    ``blocked(request)`` says whether the address is locked; ``record(request)`` counts one failure.
    """

    group: str
    rate: str = "10/h"

    def blocked(self, request) -> bool:
        usage = get_usage(request, group=self.group, key="ip", rate=self.rate, increment=False)
        return usage is not None and usage["count"] >= usage["limit"]

    def record(self, request) -> None:
        is_ratelimited(request, group=self.group, key="ip", rate=self.rate, increment=True)


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a logged-in user and on every download.

    Public pages (the login page, the public directory, commune profiles) seen anonymously
    keep their headers. Static files are served by WhiteNoise before this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_download = response.has_header("Content-Disposition") or getattr(response, "streaming", False)
        if is_download or (user is not None and user.is_authenticated):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
