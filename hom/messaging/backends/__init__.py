"""Channel backends, chosen by URL like ``EMAIL_URL`` (settings ``SMS_URL`` and ``WHATSAPP_URL``).

| URL | backend |
|---|---|
| ``console://`` | prints each message (``make run``, the default for SMS) |
| ``file:///folder`` | one file per message in the folder |
| ``json+https://TOKEN@host/path`` | a generic JSON gateway |
| ``orange://CLIENT_ID:CLIENT_SECRET@api.orange.com/?sender=tel:+221…`` | Orange's SMS API |
| ``twilio://SID:TOKEN@api.twilio.com/?from=+221…`` | Twilio's Messages API |
| ``whatsapp://TOKEN@graph.facebook.com/PHONE_NUMBER_ID?version=v21.0`` | WhatsApp Business Cloud API |

An HTTP backend's scheme may end with ``+http`` (``orange+http://``, ``json+http://``…) to speak
plain HTTP: for the tests' local fake gateway only. A backend's ``send(message)`` returns the
provider's id of the message, or raises ``GatewayError`` (``permanent`` when retrying is useless).
"""
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

from .base import Backend, GatewayError
from .http import JsonGatewayBackend, OrangeBackend, TwilioBackend, WhatsAppBackend
from .local import ConsoleBackend, FileBackend

SCHEMES = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "json": JsonGatewayBackend,
    "orange": OrangeBackend,
    "twilio": TwilioBackend,
    "whatsapp": WhatsAppBackend,
}


def backend_from_url(url: str) -> Backend:
    """The backend a URL names; ``ValueError`` for an unknown scheme or a URL missing a part."""
    parts = urlsplit(url)
    name, _plus, transport = parts.scheme.partition("+")
    if name not in SCHEMES:
        raise ValueError(f"Unknown messaging backend {parts.scheme!r} (one of {', '.join(sorted(SCHEMES))})")
    return SCHEMES[name](
        scheme="http" if transport == "http" else "https",
        host=parts.hostname or "",
        port=parts.port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        path=unquote(parts.path or ""),
        query={key: values[-1] for key, values in parse_qs(parts.query).items()},
    )


def backend_name(url: str) -> str:
    return urlsplit(url).scheme.partition("+")[0] if url else ""


def channel_url(channel: str) -> str:
    return settings.WHATSAPP_URL if channel == "whatsapp" else settings.SMS_URL


def backend_for(channel: str) -> Backend:
    url = channel_url(channel)
    if not url:
        raise GatewayError(f"No backend configured for {channel}", permanent=True)
    return backend_from_url(url)


__all__ = ["Backend", "GatewayError", "backend_for", "backend_from_url", "backend_name", "channel_url"]
