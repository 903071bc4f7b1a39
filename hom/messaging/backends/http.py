"""HTTP gateways: a generic JSON gateway, Orange's SMS API, Twilio, WhatsApp Business Cloud API.

Every call has a timeout (``MESSAGING_TIMEOUT``, 10 s). The request shapes follow each
provider's documentation (links in docs/messaging.md); the tests' fake gateway checks them.
"""
import base64
import json
import threading
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse

from .base import Backend, GatewayError, http_call

JSON = "application/json"


def _status_callback(backend: str) -> str:
    """Our delivery-receipt URL for a gateway that takes it per message (empty without SITE_URL or token)."""
    if not (settings.SITE_URL and settings.MESSAGING_WEBHOOK_TOKEN):
        return ""
    path = reverse("messaging:status_hook", args=[backend])
    return f"{settings.SITE_URL}{path}?{urlencode({'token': settings.MESSAGING_WEBHOOK_TOKEN})}"


class JsonGatewayBackend(Backend):
    """``json+https://TOKEN@host/path``: ``POST {"to", "text", "reference"}`` with ``Authorization: Bearer TOKEN``.
    ``reference`` is stable for a message, so a gateway may drop a duplicate; its answer's ``id`` is kept."""

    def send(self, message) -> str:
        reference = f"hom-{message.pk}"
        answer = http_call(
            "POST",
            f"{self.base}{self.path or '/'}",
            headers={"Authorization": f"Bearer {self.username}", "Content-Type": JSON, "Accept": JSON},
            body=json.dumps({"to": message.to, "text": message.body, "reference": reference}).encode(),
        )
        return str(answer.get("id") or reference)


_orange_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_orange_lock = threading.Lock()


class OrangeBackend(Backend):
    """``orange://CLIENT_ID:CLIENT_SECRET@api.orange.com/?sender=tel:+221XXXXXXXXX[&name=HOM]``.

    An OAuth2 token (client credentials, ``POST /oauth/v3/token``), kept until a minute before it
    expires, then ``POST /smsmessaging/v1/outbound/{senderAddress}/requests``. The id kept is the
    last part of the answer's ``resourceURL``; Orange's delivery receipts (their URL is registered
    with Orange, not sent per message) name it as ``callbackData``.
    """

    def _token(self) -> str:
        key = (self.base, self.username)
        with _orange_lock:
            token, expires = _orange_tokens.get(key, ("", 0.0))
            if token and expires > time.monotonic():
                return token
            credentials = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            answer = http_call(
                "POST",
                f"{self.base}/oauth/v3/token",
                headers={
                    "Authorization": f"Basic {credentials}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": JSON,
                },
                body=urlencode({"grant_type": "client_credentials"}).encode(),
            )
            token = answer.get("access_token")
            if not token:
                raise GatewayError("Orange: no access token in the answer")
            lifetime = float(answer.get("expires_in") or 3600)
            _orange_tokens[key] = (token, time.monotonic() + max(lifetime - 60, 0))
            return token

    def send(self, message) -> str:
        sender = self.query.get("sender", "")
        if not sender:
            raise GatewayError("Orange: the URL has no ?sender=tel:+221…", permanent=True)
        request = {"address": f"tel:{message.to}", "senderAddress": sender, "outboundSMSTextMessage": {"message": message.body}}
        if self.query.get("name"):
            request["senderName"] = self.query["name"]
        answer = http_call(
            "POST",
            f"{self.base}/smsmessaging/v1/outbound/{quote(sender, safe='')}/requests",
            headers={"Authorization": f"Bearer {self._token()}", "Content-Type": JSON, "Accept": JSON},
            body=json.dumps({"outboundSMSMessageRequest": request}).encode(),
        )
        resource = (answer.get("outboundSMSMessageRequest") or {}).get("resourceURL", "")
        return resource.rstrip("/").rsplit("/", 1)[-1] if resource else f"orange-{message.pk}"


def orange_forget_tokens() -> None:
    with _orange_lock:
        _orange_tokens.clear()


class TwilioBackend(Backend):
    """``twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com/?from=+221XXXXXXXXX`` (or ``?service=MG…``):
    ``POST /2010-04-01/Accounts/{SID}/Messages.json``, form-encoded, HTTP basic auth."""

    def send(self, message) -> str:
        form = {"To": message.to, "Body": message.body}
        if self.query.get("service"):
            form["MessagingServiceSid"] = self.query["service"]
        else:
            form["From"] = self.query.get("from", "")
        callback = _status_callback("twilio")
        if callback:
            form["StatusCallback"] = callback
        credentials = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        answer = http_call(
            "POST",
            f"{self.base}/2010-04-01/Accounts/{quote(self.username)}/Messages.json",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": JSON,
            },
            body=urlencode(form).encode(),
        )
        return str(answer.get("sid") or f"twilio-{message.pk}")


class WhatsAppBackend(Backend):
    """``whatsapp://ACCESS_TOKEN@graph.facebook.com/PHONE_NUMBER_ID?version=v21.0``:
    ``POST /{version}/{PHONE_NUMBER_ID}/messages`` with a Bearer token. A message with a template
    (business-initiated messages must use an approved one) is sent as that template, its
    ``params`` as the body's text parameters; one without is sent as text (only within 24 h
    of the person writing to the number)."""

    def send(self, message) -> str:
        version = self.query.get("version", "v21.0")
        phone_number_id = self.path.strip("/")
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": message.to.lstrip("+")}
        if message.template:
            payload |= {
                "type": "template",
                "template": {
                    "name": message.template,
                    "language": {"code": message.language or settings.LANGUAGE_CODE},
                    "components": [
                        {"type": "body", "parameters": [{"type": "text", "text": str(value)} for value in message.params]}
                    ],
                },
            }
        else:
            payload |= {"type": "text", "text": {"preview_url": False, "body": message.body}}
        answer = http_call(
            "POST",
            f"{self.base}/{version}/{phone_number_id}/messages",
            headers={"Authorization": f"Bearer {self.username}", "Content-Type": JSON, "Accept": JSON},
            body=json.dumps(payload).encode(),
        )
        sent = answer.get("messages") or [{}]
        return str(sent[0].get("id") or f"whatsapp-{message.pk}")
