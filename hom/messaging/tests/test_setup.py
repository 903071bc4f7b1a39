"""Settings, backends by URL, costs, the admin (read only) and the beat schedule."""
import importlib

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from hom.messaging import services
from hom.messaging.backends import backend_for, backend_from_url
from hom.messaging.backends.http import OrangeBackend, TwilioBackend, WhatsAppBackend
from hom.messaging.backends.local import ConsoleBackend, FileBackend
from hom.messaging.models import Channel, MessageStatus
from hom.messaging.selectors import channel_configured, cost_fcfa
from hom.messaging.tasks import message_send, messages_send_due

from .conftest import NUMBER


def test_each_url_names_its_backend():
    assert isinstance(backend_from_url("console://"), ConsoleBackend)
    assert backend_from_url("file:///var/hom/sms").path == "/var/hom/sms"
    orange = backend_from_url("orange://id:se%2Fcret@api.orange.com/?sender=tel:%2B2210000")
    assert isinstance(orange, OrangeBackend) and orange.password == "se/cret" and orange.query["sender"] == "tel:+2210000"
    assert orange.base == "https://api.orange.com"
    twilio = backend_from_url("twilio://AC1:tok@api.twilio.com/?from=%2B221330000000")
    assert isinstance(twilio, TwilioBackend) and twilio.query["from"] == "+221330000000"
    whatsapp = backend_from_url("whatsapp://tok@graph.facebook.com/1234")
    assert isinstance(whatsapp, WhatsAppBackend) and whatsapp.path == "/1234" and whatsapp.username == "tok"
    assert backend_from_url("json+http://tok@127.0.0.1:9000/sms").base == "http://127.0.0.1:9000"
    with pytest.raises(ValueError):
        backend_from_url("smtp://example.sn")


def test_sms_is_always_configured_whatsapp_only_with_its_url(settings):
    settings.WHATSAPP_URL = ""
    assert channel_configured(Channel.SMS) and not channel_configured(Channel.WHATSAPP)
    settings.WHATSAPP_URL = "whatsapp://tok@graph.facebook.com/1234"
    assert channel_configured(Channel.WHATSAPP) and isinstance(backend_for(Channel.WHATSAPP), WhatsAppBackend)
    assert isinstance(backend_for(Channel.SMS), ConsoleBackend)  # the default: make run prints


def test_the_cost_is_per_segment_for_sms_and_per_message_for_whatsapp(settings):
    settings.SMS_COST_FCFA_PER_SEGMENT, settings.WHATSAPP_COST_FCFA_PER_MESSAGE = 25, 40
    assert cost_fcfa(Channel.SMS, 2, 100) == 5000
    assert cost_fcfa(Channel.WHATSAPP, 2, 100) == 4000


@pytest.mark.django_db
def test_the_console_backend_prints_the_message(capsys, daytime, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(key="k", channel=Channel.SMS, to=NUMBER, body="Bonjour Awa")
    printed = capsys.readouterr().out
    assert f"To: {NUMBER}" in printed and "Bonjour Awa" in printed
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_whatsapp_without_a_url_fails_the_message_at_once(settings, daytime):
    settings.WHATSAPP_URL = ""
    message = services.message_enqueue(key="k", channel=Channel.WHATSAPP, to=NUMBER, body="Bonjour")
    services.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "No backend" in message.error


@pytest.mark.django_db
def test_the_file_backend_reports_a_folder_it_cannot_write(settings, daytime, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.SMS_URL = f"file://{blocker}/sms"
    message = services.message_enqueue(key="k", channel=Channel.SMS, to=NUMBER, body="Bonjour")
    with pytest.raises(services.MessageSendFailed):
        services.message_send(message_id=message.pk)
    assert FileBackend  # the backend named by the URL


def test_the_tasks_are_acked_late_with_time_limits_and_retries():
    assert message_send.acks_late and messages_send_due.acks_late
    assert message_send.time_limit and messages_send_due.time_limit
    assert services.MessageSendFailed in message_send.autoretry_for


@pytest.mark.django_db
def test_the_migration_puts_the_every_minute_schedule_in_the_admin():
    migration = importlib.import_module("hom.messaging.migrations.0002_send_due_schedule")
    PeriodicTask.objects.filter(name=migration.TASK_NAME).delete()
    from django.apps import apps

    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name=migration.TASK_NAME)
    assert task.task == "hom.messaging.tasks.messages_send_due" and task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


@pytest.mark.django_db
def test_the_admin_lists_messages_and_opt_outs_read_only(client, users, daytime):
    message = services.message_enqueue(key="k", channel=Channel.SMS, to=NUMBER, body="Bonjour")
    opt_out, _created = services.opt_out_record(phone="+221776543210", source="json")
    client.force_login(users["superuser"])
    listing = client.get(reverse("admin:messaging_message_changelist"))
    assert listing.status_code == 200 and "•••••••••567" in listing.content.decode()
    assert client.get(reverse("admin:messaging_message_change", args=[message.pk])).status_code == 200
    assert client.get(reverse("admin:messaging_optout_changelist")).status_code == 200
    assert client.get(reverse("admin:messaging_message_add")).status_code == 403
    assert client.get(reverse("admin:messaging_optout_delete", args=[opt_out.pk])).status_code == 403
    # An office admin has no right on messages: they hold every office's numbers.
    client.force_login(users["admin"])
    assert client.get(reverse("admin:messaging_message_changelist")).status_code == 403
    client.force_login(users["advisor"])
    assert client.get(reverse("admin:messaging_message_changelist")).status_code == 302  # to the admin's login
