import json
import logging
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings

logger = logging.getLogger("hom.messaging")


class GatewayError(Exception):
    """The gateway refused or did not answer. ``permanent``: retrying cannot help (a 4xx, no backend)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Backend:
    def __init__(self, *, scheme="https", host="", port=None, username="", password="", path="", query=None):
        self.scheme, self.host, self.port = scheme, host, port
        self.username, self.password, self.path = username, password, path
        self.query = query or {}

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}{f':{self.port}' if self.port else ''}"

    def send(self, message) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def http_call(method: str, url: str, *, headers: dict, body: bytes | None = None) -> dict:
    """One HTTP call with the messaging timeout; the JSON answer (``{}`` when none).
    A network error or a 5xx/429 is a transient ``GatewayError``, another 4xx a permanent one."""
    request = Request(url, data=body, method=method, headers=headers)
    try:
        with urlopen(request, timeout=settings.MESSAGING_TIMEOUT) as response:  # noqa: S310 - URL from settings
            raw = response.read()
    except HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace")
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise GatewayError(f"HTTP {error.code}: {detail}", permanent=permanent) from error
    except (URLError, TimeoutError, OSError) as error:
        raise GatewayError(f"{type(error).__name__}: {error}") from error
    if not raw.strip():
        return {}
    try:
        answer = json.loads(raw)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
