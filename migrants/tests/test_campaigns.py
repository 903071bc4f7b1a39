"""Campaigns: who a campaign reaches, exactly once, now or at its time (issue 22, part 5)."""
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from migrants.campaigns import selectors, services
from migrants.models import Campaign, CampaignState
from migrants.tasks import send_campaign, send_due_campaigns

from .campaign_helpers import MORNING, reached_numbers


def _messages():
    return apps.get_model("messaging", "Message").objects


def _draft(admin, sedhiou, **fields):
    fields.setdefault("message", "Forum de la diaspora samedi 10h a la mairie de Sedhiou.")
    return services.campaign_create(created_by=admin, title="Forum", channel="sms",
                                    filters={"commune": str(sedhiou.pk)}, **fields)


def test_a_campaign_reaches_only_the_consenting_members_of_its_group(
    users, group, sedhiou, sms_folder, campaign_morning, django_capture_on_commit_callbacks
):
    campaign = _draft(users["admin"], sedhiou)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"])

    assert reached_numbers(sms_folder) == ["+221771000001", "+221771000002"]
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SENT
    assert campaign.recipients_count == 2
    assert campaign.sent_by == users["admin"] and campaign.sent_at is not None
    assert set(_messages().filter(source=campaign.source).values_list("person_key", flat=True)) == {
        f"migrants.migrant:{group['awa'].pk}", f"migrants.migrant:{group['bakary'].pk}",
    }
    assert selectors.campaign_status_counts(campaign)["sent"] == 2
    # Every step is in the history, with who asked for it.
    history = campaign.history.order_by("history_date", "history_id")
    assert [entry.state for entry in history] == ["draft", "scheduled", "sending", "sent"]
    assert history.get(state="scheduled").sent_by == users["admin"]


def test_the_preview_counts_who_is_left_out_and_why(users, group, sedhiou, campaign_morning):
    facts = selectors.group_facts(user=users["admin"], filters={"commune": str(sedhiou.pk)}, channel="sms",
                                  message="Réunion à la mairie")
    # In Sédhiou, in the office, not erased: Awa, Bakary, the one without consent, the withdrawn, STOP, no phone.
    assert (facts.total, facts.recipients, facts.left_out) == (6, 2, 4)
    assert (facts.no_consent, facts.withdrawn, facts.opted_out, facts.no_phone) == (1, 1, 1, 1)
    assert facts.segments.count == 1
    assert facts.costs["SMS"] > 0


def test_stop_received_after_the_campaign_was_written_is_honoured_when_sending(
    users, group, sedhiou, sms_folder, campaign_morning, django_capture_on_commit_callbacks
):
    from hom.messaging.services import opt_out_record

    campaign = _draft(users["admin"], sedhiou)
    opt_out_record(phone="+221771000002", source="test")
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"])
    assert reached_numbers(sms_folder) == ["+221771000001"]
    assert not _messages().filter(to="+221771000002").exists()


def test_sending_twice_writes_nothing_more(users, group, sedhiou, sms_folder, campaign_morning,
                                           django_capture_on_commit_callbacks):
    campaign = _draft(users["admin"], sedhiou)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_campaign(campaign.pk) == 0  # the task rerun: nothing to claim
        # A worker lost mid-way: its claim expired, the campaign is taken again; the keys add nothing.
        Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SENDING,
                                                       claimed_at=timezone.now() - timedelta(hours=1))
        assert send_campaign(campaign.pk) == 2
    assert len(reached_numbers(sms_folder)) == 2
    assert _messages().filter(source=campaign.source).count() == 2


def test_large_groups_go_in_batches(users, group, sedhiou, sms_folder, campaign_morning, django_capture_on_commit_callbacks):
    campaign = _draft(users["admin"], sedhiou)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SCHEDULED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaign_fan_out(campaign_id=campaign.pk, batch_size=1) == 2
    assert reached_numbers(sms_folder) == ["+221771000001", "+221771000002"]


def test_a_scheduled_campaign_waits_for_its_time_then_is_sent_once_by_the_beat_task(
    users, group, sedhiou, sms_folder, campaign_morning, django_capture_on_commit_callbacks
):
    campaign = _draft(users["admin"], sedhiou)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"], at=MORNING + timedelta(hours=2))
        assert send_due_campaigns() == 0
    assert reached_numbers(sms_folder) == []
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SCHEDULED

    campaign_morning.move_to(MORNING + timedelta(hours=2, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_campaigns() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_campaigns() == 0
    assert reached_numbers(sms_folder) == ["+221771000001", "+221771000002"]
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SENT and campaign.sent_by == users["admin"]


def test_a_cancelled_campaign_is_never_sent(users, group, sedhiou, sms_folder, campaign_morning,
                                            django_capture_on_commit_callbacks):
    campaign = _draft(users["admin"], sedhiou)
    services.campaign_send(campaign=campaign, by=users["admin"], at=MORNING + timedelta(hours=1))
    services.campaign_cancel(campaign=campaign, by=users["admin"])
    campaign_morning.move_to(MORNING + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_campaigns() == 0
        assert send_campaign(campaign.pk) == 0
    assert reached_numbers(sms_folder) == []
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CANCELLED and campaign.cancelled_by == users["admin"]


def test_a_sent_campaign_cannot_be_sent_again_nor_cancelled(users, group, sedhiou, sms_folder, campaign_morning,
                                                           django_capture_on_commit_callbacks):
    campaign = _draft(users["admin"], sedhiou)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"])
    with pytest.raises(ValidationError):
        services.campaign_send(campaign=campaign, by=users["admin"])
    with pytest.raises(ValidationError):
        services.campaign_cancel(campaign=campaign, by=users["admin"])


@pytest.mark.parametrize("message, error", [
    ("   ", "Écrivez le message."),
    ("a" * 307, "Le message est trop long"),
    ("é" * 100 + "ê" * 35, "Le message est trop long"),
])
def test_a_message_empty_or_over_two_sms_is_refused(users, sedhiou, message, error):
    with pytest.raises(ValidationError) as refused:
        _draft(users["admin"], sedhiou, message=message)
    assert error in " ".join(refused.value.message_dict["message"])
    assert not Campaign.objects.exists()


def test_two_full_sms_are_accepted(users, sedhiou):
    assert _draft(users["admin"], sedhiou, message="a" * 306).state == CampaignState.DRAFT
    assert _draft(users["admin"], sedhiou, message="ê" * 134).state == CampaignState.DRAFT


def test_a_time_in_the_past_is_refused(users, sedhiou, campaign_morning):
    campaign = _draft(users["admin"], sedhiou)
    with pytest.raises(ValidationError) as refused:
        services.campaign_send(campaign=campaign, by=users["admin"], at=MORNING - timedelta(minutes=1))
    assert "futur" in " ".join(refused.value.message_dict["at"])
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT


def test_a_commune_of_another_office_is_refused(users, sedhiou):
    from hom.territories.models import Commune

    kolda = Commune.objects.filter(department__region__code="SN07").first()
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(created_by=users["admin"], title="T", message="Bonjour", channel="sms",
                                 filters={"commune": str(kolda.pk)})
    assert "commune" in refused.value.message_dict
    assert not Campaign.objects.exists()


def test_a_group_that_cannot_be_read_any_more_reaches_nobody(users, group, sedhiou, sms_folder, campaign_morning,
                                                             django_capture_on_commit_callbacks):
    campaign = _draft(users["admin"], sedhiou)
    Campaign.objects.filter(pk=campaign.pk).update(filters={"commune": "999999"})
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign, by=users["admin"])
    assert reached_numbers(sms_folder) == []


def test_whatsapp_is_refused_when_not_configured(users, sedhiou, settings):
    settings.WHATSAPP_URL = ""
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(created_by=users["admin"], title="T", message="Bonjour", channel="whatsapp",
                                 filters={})
    assert "channel" in refused.value.message_dict


def test_the_beat_schedule_exists(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="migrants.tasks.send_due_campaigns")
    assert task.enabled and task.interval.every == 1


def test_sent_at_night_the_messages_wait_for_the_morning(users, group, sedhiou, sms_folder,
                                                         django_capture_on_commit_callbacks):
    from .campaign_helpers import DAKAR

    with time_machine.travel(MORNING.replace(hour=22, tzinfo=DAKAR), tick=True):
        campaign = _draft(users["admin"], sedhiou)
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_send(campaign=campaign, by=users["admin"])
        assert reached_numbers(sms_folder) == []
        assert selectors.campaign_status_counts(campaign) | {"total": 0} == {
            "queued": 2, "sent": 0, "delivered": 0, "failed": 0, "total": 0,
        }


def test_whatsapp_goes_through_the_approved_template_to_persons_on_whatsapp(
    users, group, sedhiou, settings, campaign_morning
):
    from migrants.models import Migrant

    settings.WHATSAPP_URL = "whatsapp://TOKEN@graph.facebook.com/123"
    settings.WHATSAPP_TEMPLATES = {"campaign": "hom_campaign"}
    Migrant.objects.filter(pk=group["awa"].pk).update(phone_is_whatsapp=True)
    facts = selectors.group_facts(user=users["admin"], filters={"commune": str(sedhiou.pk)}, channel="whatsapp",
                                  message="Bonjour")
    # Bakary and the one who answered STOP are not on WhatsApp (a person is counted once, by the first reason).
    assert (facts.recipients, facts.not_on_whatsapp, facts.opted_out) == (1, 2, 0)
    assert set(facts.costs) == {"SMS", "WhatsApp"}

    campaign = services.campaign_create(created_by=users["admin"], title="WA", message="Forum samedi",
                                        channel="whatsapp", filters={"commune": str(sedhiou.pk)})
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SCHEDULED)
    assert services.campaign_fan_out(campaign_id=campaign.pk) == 1
    message = _messages().get(source=campaign.source)
    assert (message.to, message.channel, message.template, message.params) == (
        "+221771000001", "whatsapp", "hom_campaign", ["Forum samedi"],
    )
