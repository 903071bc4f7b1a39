"""The ledger: one message per (key, channel), one file per message, one gateway call per message."""
from html import unescape

import pytest

from hom.messaging import services
from hom.messaging.backends.local import FileBackend
from hom.messaging.models import Channel, Message, MessageStatus
from hom.messaging.selectors import messages_for_person, status_counts

from .conftest import NUMBER

pytestmark = pytest.mark.django_db


def enqueue(key="notice:1", **kwargs):
    return services.message_enqueue(key=key, channel=kwargs.pop("channel", Channel.SMS),
                                    to=kwargs.pop("to", NUMBER), body=kwargs.pop("body", "Votre dossier a avancé."),
                                    **kwargs)


def test_the_file_backend_writes_one_file_per_message_naming_the_number(
    sms_folder, daytime, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue("notice:1", person_key="migrants.migrant:7")
        second = enqueue("notice:2", to="77 765 43 21", person_key="migrants.migrant:7")

    files = sorted(path.name for path in sms_folder.iterdir())
    assert files == sorted([f"221771234567-{first.pk}.txt", f"221777654321-{second.pk}.txt"])
    content = (sms_folder / f"221771234567-{first.pk}.txt").read_text()
    assert content.startswith(f"To: {NUMBER}\nChannel: sms\nKey: notice:1\n")
    assert "Votre dossier a avancé." in content
    first.refresh_from_db()
    assert first.status == MessageStatus.SENT and first.attempts == 1 and first.sent_at is not None
    assert [m.pk for m in messages_for_person("migrants.migrant:7")] == [second.pk, first.pk]


def test_the_same_key_twice_is_one_message_and_one_file(sms_folder, daytime, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue("notice:1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = enqueue("notice:1", body="Autre texte")

    assert again.pk == first.pk and again.body == "Votre dossier a avancé."
    assert callbacks == [] and Message.objects.count() == 1
    assert len(list(sms_folder.iterdir())) == 1
    # The same key on another channel is another message.
    assert enqueue("notice:1", channel=Channel.WHATSAPP).pk != first.pk


def test_two_sends_of_one_message_call_the_gateway_once(settings, daytime, monkeypatch):
    calls = []

    def send(backend, message):
        calls.append(message.pk)
        # A second worker takes the same message while the first is at the gateway: the claim stops it.
        assert services.message_send(message_id=message.pk) is None
        return "provider-1"

    monkeypatch.setattr(FileBackend, "send", send)
    settings.SMS_URL = "file:///nowhere"
    message = enqueue()  # not published: no commit in this test
    sent = services.message_send(message_id=message.pk)

    assert calls == [message.pk]
    assert sent.status == MessageStatus.SENT and sent.provider_id == "provider-1" and sent.attempts == 1
    assert services.message_send(message_id=message.pk) is None  # and a redelivered task does nothing
    assert calls == [message.pk]


def test_an_invalid_number_is_refused():
    with pytest.raises(ValueError):
        enqueue(to="12")
    assert not Message.objects.exists()


def test_status_counts_name_every_status(daytime):
    enqueue("c:1", source="migrants.campaign:3")
    assert status_counts("migrants.campaign:3") == {"queued": 1, "sent": 0, "delivered": 0, "failed": 0}
    assert status_counts("migrants.campaign:4") == {"queued": 0, "sent": 0, "delivered": 0, "failed": 0}



def test_the_persons_messages_table_masks_the_number_and_shows_the_status_in_french_and_english(daytime):
    from django.template.loader import render_to_string
    from django.utils import translation

    message = enqueue()
    capped = Message(channel=Channel.WHATSAPP, to=NUMBER, status=MessageStatus.FAILED, error="daily cap",
                     queued_at=message.queued_at)
    html = unescape(render_to_string("messaging/_person_messages.html", {"messages": [message, capped]}))
    assert NUMBER not in html and "\u2022" * 9 + "567" in html
    assert "En file d'attente" in html and "Trop de messages aujourd’hui" in html and "WhatsApp" in html
    assert "text-bg-danger" in html and "Numéro se terminant par 567" in html
    assert "Aucun SMS" in render_to_string("messaging/_person_messages.html", {"messages": []})
    with translation.override("en"):
        english = render_to_string("messaging/_person_messages.html", {"messages": [capped]})
    assert "Too many messages today" in english and "Failed" in english


def test_a_message_queued_at_night_says_when_it_leaves():
    from datetime import datetime

    import time_machine
    from django.template.loader import render_to_string

    from .conftest import DAKAR

    with time_machine.travel(datetime(2026, 12, 1, 22, 0, tzinfo=DAKAR), tick=False):
        message = enqueue()
    assert "après le 02/12/2026 08:00" in render_to_string("messaging/_person_messages.html", {"messages": [message]})


def test_an_erased_person_s_messages_keep_their_status_and_lose_number_and_text(daytime):
    from types import SimpleNamespace

    from hom.messaging import personal_data

    person = SimpleNamespace(pk=34)
    message = enqueue(person_key="migrants.migrant:34", source="migrants.campaign:1")
    other = enqueue("notice:other", person_key="migrants.migrant:35")
    assert personal_data.export_person(migrant=person, staff=False)["messages"][0]["to"] == NUMBER

    personal_data.erase_person(migrant=person, account=None)

    message.refresh_from_db()
    assert (message.to, message.body, message.status) == ("", "", MessageStatus.QUEUED)
    assert all(row.to == "" and row.body == "" for row in message.history.all())
    assert status_counts("migrants.campaign:1")["queued"] == 1
    other.refresh_from_db()
    assert other.to == NUMBER
    personal_data.merge_persons(survivor=SimpleNamespace(pk=35), duplicate=SimpleNamespace(pk=34))
    assert set(messages_for_person("migrants.migrant:35")) == {message, other}
