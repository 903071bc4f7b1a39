"""What each gateway's webhooks say, read into ``Receipt`` and ``Inbound`` (``ValueError`` on a bad body).

- ``json`` (and ``file``/``console``, for trying it by hand): status ``{"id" or "reference", "status":
  "delivered"|"failed", "error"}``, inbound ``{"from", "text"}``;
- ``orange``: ``deliveryInfoNotification`` / ``inboundSMSMessageNotification`` (JSON);
- ``twilio``: form fields ``MessageSid``, ``MessageStatus``, ``ErrorCode`` / ``From``, ``Body``;
- ``whatsapp``: the Cloud API's ``entry[].changes[].value`` with ``statuses`` and ``messages``
  (both may come to either URL: Meta has one callback per app).
"""
import json
from typing import NamedTuple
from urllib.parse import parse_qs

from .models import MessageStatus

DELIVERED_WORDS = {"delivered", "deliveredtoterminal", "read"}
FAILED_WORDS = {"failed", "undelivered", "deliveryimpossible", "expired", "rejected", "deliveredtonetworkfailed"}


class Receipt(NamedTuple):
    provider_id: str
    status: str  # MessageStatus value, or "" for a state we do not record (sent, accepted…)
    error: str = ""


class Inbound(NamedTuple):
    phone: str
    text: str


def _status_of(word: str) -> str:
    word = (word or "").replace("_", "").replace(" ", "").lower()
    if word in DELIVERED_WORDS:
        return MessageStatus.DELIVERED
    if word in FAILED_WORDS:
        return MessageStatus.FAILED
    return ""


def _json(body: bytes):
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("not JSON") from error
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _form(body: bytes) -> dict:
    try:
        return {key: values[-1] for key, values in parse_qs(body.decode("utf-8"), strict_parsing=True).items()}
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("not a form") from error


def _text(value, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} missing")
    return value.strip()


def _whatsapp_values(data: dict) -> list[dict]:
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise ValueError("entry missing")
    values = []
    for entry in entries:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value")
            if isinstance(value, dict):
                values.append(value)
    return values


def receipts(backend: str, body: bytes, form: dict | None = None) -> list[Receipt]:
    """``form``: the request's form fields when it had some (Twilio posts a form)."""
    if backend == "twilio":
        form = form or _form(body)
        error = form.get("ErrorCode", "")
        return [Receipt(_text(form.get("MessageSid"), "MessageSid"), _status_of(form.get("MessageStatus", "")),
                        f"Twilio error {error}" if error else "")]
    data = _json(body)
    if backend == "orange":
        notification = data.get("deliveryInfoNotification")
        if not isinstance(notification, dict):
            raise ValueError("deliveryInfoNotification missing")
        info = notification.get("deliveryInfo") or {}
        word = info.get("deliveryStatus", "") if isinstance(info, dict) else ""
        provider_id = notification.get("callbackData") or notification.get("resourceId") or ""
        return [Receipt(_text(provider_id, "callbackData"), _status_of(word), "" if word.lower().startswith("delivered") else word)]
    if backend == "whatsapp":
        found = []
        for value in _whatsapp_values(data):
            for status in value.get("statuses") or []:
                errors = status.get("errors") or [{}]
                found.append(Receipt(_text(status.get("id"), "id"), _status_of(status.get("status", "")),
                                     str(errors[0].get("title") or errors[0].get("message") or "")))
        return found
    provider_id = data.get("id") or data.get("reference")
    return [Receipt(_text(provider_id, "id"), _status_of(_text(data.get("status"), "status")), str(data.get("error") or ""))]


def inbound(backend: str, body: bytes, form: dict | None = None) -> list[Inbound]:
    if backend == "twilio":
        form = form or _form(body)
        return [Inbound(_text(form.get("From"), "From"), form.get("Body", ""))]
    data = _json(body)
    if backend == "orange":
        notification = data.get("inboundSMSMessageNotification")
        message = notification.get("inboundSMSMessage") if isinstance(notification, dict) else None
        if not isinstance(message, dict):
            raise ValueError("inboundSMSMessageNotification missing")
        return [Inbound(_text(message.get("senderAddress"), "senderAddress").removeprefix("tel:"), str(message.get("message", "")))]
    if backend == "whatsapp":
        found = []
        for value in _whatsapp_values(data):
            for message in value.get("messages") or []:
                text = (message.get("text") or {}).get("body", "") if message.get("type") == "text" else ""
                found.append(Inbound("+" + _text(message.get("from"), "from").lstrip("+"), str(text)))
        return found
    return [Inbound(_text(data.get("from"), "from"), str(data.get("text", "")))]
