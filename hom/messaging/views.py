"""Gateways' webhooks: delivery receipts and inbound messages (STOP).

No session, no CSRF (a gateway posts them); the shared secret ``MESSAGING_WEBHOOK_TOKEN`` is in
the URL (``?token=``) or a header (``X-Hom-Token``, or ``Authorization: Bearer``). A wrong or
missing token answers 403, a body we cannot read 400, never 500. An unknown message id is
accepted (200) so that the gateway does not retry it forever.
"""
import hmac
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services, webhooks
from .backends import SCHEMES

logger = logging.getLogger(__name__)


def _token_ok(request) -> bool:
    expected = settings.MESSAGING_WEBHOOK_TOKEN
    if not expected:
        return False
    given = request.GET.get("token") or request.headers.get("X-Hom-Token") or ""
    if not given and request.headers.get("Authorization", "").startswith("Bearer "):
        given = request.headers["Authorization"].removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), expected.encode())


def _whatsapp_verification(request):
    """Meta checks a callback URL with a GET: echo ``hub.challenge`` when ``hub.verify_token`` is ours."""
    expected = settings.MESSAGING_WEBHOOK_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and expected and hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden()


def _body(request, backend) -> tuple[bytes, dict | None]:
    """The raw body, or for Twilio (a form, read through Django's parser) the form's fields."""
    if backend == "twilio" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return b"", request.POST.dict()
    return request.body, None


def _guard(request, backend):
    if backend not in SCHEMES:
        return HttpResponseBadRequest("unknown backend")
    if request.method == "GET":
        return _whatsapp_verification(request) if backend == "whatsapp" else HttpResponseBadRequest("POST expected")
    if not _token_ok(request):
        return HttpResponseForbidden()
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def status_hook(request, backend: str):
    refused = _guard(request, backend)
    if refused is not None:
        return refused
    try:
        body, form = _body(request, backend)
        found = webhooks.receipts(backend, body, form)
        found_inbound = webhooks.inbound(backend, body) if backend == "whatsapp" else []
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    return _recorded(backend, found, found_inbound)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def inbound_hook(request, backend: str):
    refused = _guard(request, backend)
    if refused is not None:
        return refused
    try:
        body, form = _body(request, backend)
        found = webhooks.inbound(backend, body, form)
        receipts = webhooks.receipts(backend, body) if backend == "whatsapp" else []
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    return _recorded(backend, receipts, found)


def _recorded(backend: str, receipts, inbound) -> JsonResponse:
    """Record the delivery receipts and the STOP replies a gateway posted; say how many of each
    (WhatsApp posts both kinds to one address)."""
    updated = sum(
        services.message_status_record(provider_id=receipt.provider_id, status=receipt.status, error=receipt.error)
        for receipt in receipts
        if receipt.status
    )
    return JsonResponse({"updated": updated, "opted_out": _record_stops(backend, inbound)})


def _record_stops(backend: str, messages) -> int:
    recorded = 0
    for message in messages:
        if not services.is_stop_word(message.text):
            continue
        try:
            services.opt_out_record(phone=message.phone, source=backend)
        except ValueError:
            logger.warning("Messaging: STOP from an invalid number ignored")
            continue
        recorded += 1
    return recorded
