"""Gateways' webhooks: a shared token (403 without it), a bad body 400 (never 500), delivery
receipts update the status, an inbound STOP records the opt-out."""
import json

import pytest
from django.urls import reverse

from hom.messaging import services
from hom.messaging.models import Channel, Message, MessageStatus, OptOut

from .conftest import NUMBER

pytestmark = pytest.mark.django_db


def status_url(backend, token=None):
    url = reverse("messaging:status_hook", args=[backend])
    return f"{url}?token={token}" if token else url


def inbound_url(backend, token=None):
    url = reverse("messaging:inbound_hook", args=[backend])
    return f"{url}?token={token}" if token else url


@pytest.fixture
def sent(daytime):
    message = services.message_enqueue(key="notice:1", channel=Channel.SMS, to=NUMBER, body="Bonjour")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, provider_id="SM123")
    return message


def post_json(client, url, data, **headers):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("url", [status_url, inbound_url])
def test_a_wrong_or_missing_token_is_refused(client, webhook_token, url, sent):
    assert post_json(client, url("json", "wrong"), {"id": "SM123", "status": "delivered"}).status_code == 403
    assert post_json(client, url("json"), {"id": "SM123", "status": "delivered"}).status_code == 403
    assert post_json(client, url("json"), {"from": NUMBER, "text": "STOP"},
                     headers={"Authorization": "Bearer nope"}).status_code == 403
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT and not OptOut.objects.exists()


def test_without_a_token_configured_every_webhook_is_refused(client, settings, sent):
    settings.MESSAGING_WEBHOOK_TOKEN = ""
    assert post_json(client, status_url("json", ""), {"id": "SM123", "status": "delivered"}).status_code == 403


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", json.dumps({"status": "delivered"}), json.dumps({"id": "x"})])
def test_a_malformed_body_is_a_400(client, webhook_token, body):
    assert post_json(client, status_url("json", webhook_token), body).status_code == 400


@pytest.mark.parametrize("backend,body", [
    ("orange", {"something": "else"}), ("whatsapp", {"object": "whatsapp_business_account"}), ("json", {"text": "STOP"}),
])
def test_a_malformed_inbound_body_is_a_400(client, webhook_token, backend, body):
    assert post_json(client, inbound_url(backend, webhook_token), body).status_code == 400


def test_a_malformed_twilio_form_is_a_400(client, webhook_token):
    response = client.post(status_url("twilio", webhook_token), "", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_an_unknown_backend_is_a_400(client, webhook_token):
    assert post_json(client, status_url("smoke", webhook_token), {}).status_code == 400


def test_a_json_delivery_receipt_marks_the_message_delivered(client, webhook_token, sent):
    response = post_json(client, status_url("json"), {"id": "SM123", "status": "delivered"},
                         headers={"X-Hom-Token": webhook_token})
    assert response.status_code == 200 and response.json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED and sent.delivered_at is not None
    # A late "failed" does not undo a delivery.
    post_json(client, status_url("json", webhook_token), {"id": "SM123", "status": "failed"})
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED


def test_a_generic_gateway_may_name_the_message_by_our_reference(client, webhook_token, sent):
    body = {"reference": f"hom-{sent.pk}", "status": "failed", "error": "absent subscriber"}
    assert post_json(client, status_url("json", webhook_token), body).json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == MessageStatus.FAILED and sent.error == "absent subscriber"


def test_an_unknown_message_is_accepted_and_changes_nothing(client, webhook_token, sent):
    response = post_json(client, status_url("json", webhook_token), {"id": "SM-unknown", "status": "delivered"})
    assert response.status_code == 200 and response.json()["updated"] == 0


def test_a_twilio_undelivered_status_marks_the_message_failed(client, webhook_token, sent):
    response = client.post(status_url("twilio", webhook_token), {"MessageSid": "SM123", "MessageStatus": "undelivered",
                                                                 "ErrorCode": "30003"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == MessageStatus.FAILED and sent.error == "Twilio error 30003"


def test_an_orange_receipt_finds_the_message_by_its_request_id(client, webhook_token, sent):
    body = {"deliveryInfoNotification": {"callbackData": "SM123",
                                         "deliveryInfo": {"address": f"tel:{NUMBER}", "deliveryStatus": "DeliveredToTerminal"}}}
    assert post_json(client, status_url("orange", webhook_token), body).json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED


def test_a_whatsapp_status_and_meta_s_verification(client, webhook_token, sent):
    Message.objects.filter(pk=sent.pk).update(provider_id="wamid.ABC")
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "statuses": [{"id": "wamid.ABC", "status": "read", "recipient_id": "221771234567"}]}}]}]}
    assert post_json(client, status_url("whatsapp", webhook_token), body).json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED

    url = status_url("whatsapp")
    ok = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": webhook_token, "hub.challenge": "12345"})
    assert ok.status_code == 200 and ok.content == b"12345"
    assert client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"}).status_code == 403
    assert client.get(inbound_url("json", webhook_token)).status_code == 400


@pytest.mark.parametrize("word", ["STOP", " stop ", "Arret", "ARRÊT", "arrêt\n"])
def test_an_inbound_stop_records_the_opt_out_then_nothing_is_sent_there(
    client, webhook_token, word, sms_folder, daytime, django_capture_on_commit_callbacks
):
    response = post_json(client, inbound_url("json", webhook_token), {"from": "77 123 45 67", "text": word})
    assert response.status_code == 200 and response.json()["opted_out"] == 1
    opt_out = OptOut.objects.get()
    assert opt_out.phone == NUMBER and opt_out.source == "json" and opt_out.history.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(key="notice:9", channel=Channel.SMS, to=NUMBER, body="Bonjour")
    assert message.status == MessageStatus.FAILED and message.error == "opted out"
    assert not sms_folder.exists()


def test_other_words_are_not_an_opt_out(client, webhook_token):
    for text in ["STOP please", "stopper", "Bonjour", ""]:
        post_json(client, inbound_url("json", webhook_token), {"from": NUMBER, "text": text})
    assert not OptOut.objects.exists()


def test_each_gateways_inbound_stop(client, webhook_token):
    client.post(inbound_url("twilio", webhook_token), {"From": "+221770000001", "Body": "Stop"})
    post_json(client, inbound_url("orange", webhook_token), {"inboundSMSMessageNotification": {"inboundSMSMessage": {
        "senderAddress": "tel:+221770000002", "destinationAddress": "tel:+2210000", "message": "ARRET"}}})
    post_json(client, inbound_url("whatsapp", webhook_token), {"entry": [{"changes": [{"value": {"messages": [
        {"from": "221770000003", "type": "text", "text": {"body": "stop"}}]}}]}]})
    assert set(OptOut.objects.values_list("phone", "source")) == {
        ("+221770000001", "twilio"), ("+221770000002", "orange"), ("+221770000003", "whatsapp")}


def test_a_stop_from_an_invalid_number_is_ignored_without_error(client, webhook_token):
    response = post_json(client, inbound_url("json", webhook_token), {"from": "123", "text": "STOP"})
    assert response.status_code == 200 and response.json()["opted_out"] == 0
