"""Each HTTP backend, against a local fake gateway: the provider's real request shape
(path, headers, auth, JSON or form body), then retries and failures."""
import base64
from urllib.parse import parse_qs

import pytest

from hom.messaging import services
from hom.messaging.models import Channel, MessageStatus
from hom.messaging.tasks import message_send

from .conftest import NUMBER

pytestmark = pytest.mark.django_db


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def queued(channel=Channel.SMS, **kwargs):
    """A queued message, not yet published (these tests send it themselves)."""
    return services.message_enqueue(key=kwargs.pop("key", "notice:1"), channel=channel, to=NUMBER,
                                    body=kwargs.pop("body", "Votre dossier est en revue."), **kwargs)


def test_the_generic_json_gateway_gets_a_bearer_token_and_to_text_reference(settings, gateway, daytime):
    settings.SMS_URL = f"json+http://tok-123@{gateway.address}/api/sms"
    gateway.answers = [(200, {"id": "gw-42"})]
    message = queued()

    sent = services.message_send(message_id=message.pk)

    [request] = gateway.requests
    assert request.path == "/api/sms"
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {"to": NUMBER, "text": "Votre dossier est en revue.", "reference": f"hom-{message.pk}"}
    assert sent.status == MessageStatus.SENT and sent.provider_id == "gw-42"


def test_orange_takes_a_client_credentials_token_then_sends_the_outbound_request(settings, gateway, daytime):
    settings.SMS_URL = f"orange+http://client-id:client-secret@{gateway.address}/?sender=tel:%2B2210000&name=HOM"
    gateway.routes = {
        "/oauth/v3/token": [(200, {"token_type": "Bearer", "access_token": "orange-token", "expires_in": 3600})],
        "/smsmessaging/": [(201, {"outboundSMSMessageRequest": {
            "resourceURL": "https://api.orange.com/smsmessaging/v1/outbound/tel%3A%2B2210000/requests/req-77"}})],
    }
    first, second = queued(key="a"), queued(key="b")

    services.message_send(message_id=first.pk)
    services.message_send(message_id=second.pk)

    token, send, send_again = gateway.requests  # the token is asked once, then kept
    assert token.path == "/oauth/v3/token"
    assert token.headers["Authorization"] == basic("client-id", "client-secret")
    assert token.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token.body.decode()) == {"grant_type": ["client_credentials"]}
    assert send.path == "/smsmessaging/v1/outbound/tel%3A%2B2210000/requests"
    assert send.headers["Authorization"] == "Bearer orange-token"
    assert send.headers["Content-Type"] == "application/json"
    assert send.json() == {"outboundSMSMessageRequest": {
        "address": f"tel:{NUMBER}", "senderAddress": "tel:+2210000", "senderName": "HOM",
        "outboundSMSTextMessage": {"message": "Votre dossier est en revue."}}}
    assert send_again.headers["Authorization"] == "Bearer orange-token"
    first.refresh_from_db()
    assert first.status == MessageStatus.SENT and first.provider_id == "req-77"


def test_twilio_gets_a_form_with_basic_auth_on_the_accounts_messages_path(settings, gateway, daytime, webhook_token):
    settings.SMS_URL = f"twilio+http://AC123:auth-token@{gateway.address}/?from=%2B221330000000"
    settings.SITE_URL = "https://hom.example.sn"
    gateway.answers = [(201, {"sid": "SM999", "status": "queued"})]
    message = queued()

    services.message_send(message_id=message.pk)

    [request] = gateway.requests
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["Authorization"] == basic("AC123", "auth-token")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body.decode()) == {
        "To": [NUMBER], "From": ["+221330000000"], "Body": ["Votre dossier est en revue."],
        "StatusCallback": [f"https://hom.example.sn/messaging/hooks/twilio/status/?token={webhook_token}"],
    }
    message.refresh_from_db()
    assert message.provider_id == "SM999" and message.status == MessageStatus.SENT


def test_whatsapp_sends_the_approved_template_with_its_body_parameters(settings, gateway, daytime):
    settings.WHATSAPP_URL = f"whatsapp+http://wa-token@{gateway.address}/1234567890?version=v21.0"
    gateway.answers = [(200, {"messaging_product": "whatsapp", "contacts": [{"wa_id": "221771234567"}],
                              "messages": [{"id": "wamid.HBgL"}]})]
    message = queued(channel=Channel.WHATSAPP, template="hom_dossier_moved", params=["HOM-2026-001", "en revue"],
                     language="fr")

    services.message_send(message_id=message.pk)

    [request] = gateway.requests
    assert request.path == "/v21.0/1234567890/messages"
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "221771234567", "type": "template",
        "template": {"name": "hom_dossier_moved", "language": {"code": "fr"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "HOM-2026-001"}, {"type": "text", "text": "en revue"}]}
        ]},
    }
    message.refresh_from_db()
    assert message.provider_id == "wamid.HBgL" and message.status == MessageStatus.SENT


def test_a_gateway_error_is_retried_and_the_message_sent_once(
    settings, gateway, daytime, django_capture_on_commit_callbacks, retries_like_a_worker
):
    settings.SMS_URL = f"json+http://tok@{gateway.address}/sms"
    gateway.answers = [(500, {"error": "busy"}), (200, {"id": "gw-1"})]
    with django_capture_on_commit_callbacks(execute=True):
        message = queued()  # published after the commit: the task runs (eagerly here) and retries

    assert len(gateway.requests) == 2
    assert gateway.requests[0].json() == gateway.requests[1].json()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.error == ""
    assert message_send.delay(message.pk).get() is None  # once sent, a redelivery does nothing
    assert len(gateway.requests) == 2


def test_a_gateway_that_always_fails_gives_a_failed_message_after_the_last_try(
    settings, gateway, daytime, django_capture_on_commit_callbacks, retries_like_a_worker
):
    settings.SMS_URL = f"json+http://tok@{gateway.address}/sms"
    settings.MESSAGING_MAX_ATTEMPTS = 3
    gateway.answers = [(500, {"error": "down"})]
    with django_capture_on_commit_callbacks(execute=True):
        message = queued()

    message.refresh_from_db()
    assert len(gateway.requests) == 3
    assert message.status == MessageStatus.FAILED and message.attempts == 3 and "HTTP 500" in message.error


def test_a_refusal_of_the_request_itself_fails_at_once(settings, gateway, daytime, django_capture_on_commit_callbacks):
    settings.SMS_URL = f"json+http://tok@{gateway.address}/sms"
    gateway.answers = [(400, {"error": "invalid destination"})]
    with django_capture_on_commit_callbacks(execute=True):
        message = queued()

    message.refresh_from_db()
    assert len(gateway.requests) == 1
    assert message.status == MessageStatus.FAILED and "invalid destination" in message.error


def test_a_gateway_that_does_not_answer_times_out_and_waits_for_a_retry(settings, daytime):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    settings.SMS_URL = f"json+http://tok@127.0.0.1:{listener.getsockname()[1]}/sms"
    settings.MESSAGING_TIMEOUT = 0.5
    message = queued()
    try:
        with pytest.raises(services.MessageSendFailed):
            services.message_send(message_id=message.pk)
    finally:
        listener.close()
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and message.retry_at is not None
    assert "timed out" in message.error


def test_a_soft_time_limit_at_the_gateway_releases_the_claim_and_retries(settings, daytime, monkeypatch,
                                                                          retries_like_a_worker):
    from celery.exceptions import SoftTimeLimitExceeded

    from hom.messaging.backends.local import FileBackend

    calls = []

    def slow_then_fine(backend, message):
        calls.append(message.attempts)
        if len(calls) == 1:
            raise SoftTimeLimitExceeded()
        return "file-ok"

    monkeypatch.setattr(FileBackend, "send", slow_then_fine)
    settings.SMS_URL = "file:///nowhere"
    message = queued()

    message_send.delay(message.pk)

    message.refresh_from_db()
    assert calls == [1, 2]
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.claimed_at is None
