"""Campaign pages: who may open each, the counts they show, bad input, the query budget."""
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries, count_queries
from migrants.campaigns import services
from migrants.models import Campaign, CampaignState

from .campaign_helpers import MORNING, reached_numbers

READ = {
    "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
    "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
}
# Writing is the office admin's; a national admin has no office to write for.
WRITE = {**READ, "advisor": 403, "other_office_advisor": 403}


def _draft(users, sedhiou, title="Forum"):
    return services.campaign_create(created_by=users["admin"], title=title, channel="sms",
                                    message="Forum de la diaspora samedi.", filters={"commune": str(sedhiou.pk)})


def _form(sedhiou, **fields):
    return {"commune": str(sedhiou.pk), "country": "", "situation": "", "sector": "", "need": "",
            "title": "Forum", "message": "Forum de la diaspora samedi 10h.", "channel": "sms", **fields}


def test_the_list_and_the_pages_answer_each_role(client, users, sedhiou):
    campaign = _draft(users, sedhiou)
    assert_access_matrix(client, reverse("migrants:campaign_list"), READ, users)
    assert_access_matrix(client, reverse("migrants:campaign_create"), {**WRITE, "superuser": 302}, users)
    assert_access_matrix(client, reverse("migrants:campaign_preview"), WRITE, users, method="post",
                         data=_form(sedhiou))
    for name in ("campaign_detail", "campaign_progress"):
        assert_access_matrix(client, reverse(f"migrants:{name}", args=[campaign.pk]),
                             {**READ, "other_office_advisor": 404}, users)


def test_sending_scheduling_and_cancelling_answer_each_role(client, users, sedhiou, campaign_morning, sms_folder,
                                                            django_capture_on_commit_callbacks):
    expected = {**WRITE, "superuser": 404, "admin": 302}
    at = (MORNING + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    for name, data in (("campaign_schedule", {"at": at}), ("campaign_cancel", {}), ("campaign_send", {})):
        campaign = _draft(users, sedhiou, title=name)
        with django_capture_on_commit_callbacks(execute=True):
            assert_access_matrix(client, reverse(f"migrants:{name}", args=[campaign.pk]), expected, users,
                                 method="post", data=data)
    assert list(Campaign.objects.order_by("pk").values_list("state", flat=True)) == [
        CampaignState.SCHEDULED, CampaignState.CANCELLED, CampaignState.SENT,
    ]


def test_another_office_admin_and_a_forged_id_get_404(client, users, other_office, sedhiou, campaign_morning):
    campaign = _draft(users, sedhiou)
    client.force_login(UserFactory(role=Role.ADMIN, office=other_office, email="admin.kolda@example.sn"))
    for name in ("campaign_detail", "campaign_progress"):
        assert client.get(reverse(f"migrants:{name}", args=[campaign.pk])).status_code == 404
    for name in ("campaign_send", "campaign_schedule", "campaign_cancel"):
        assert client.post(reverse(f"migrants:{name}", args=[campaign.pk]), {"at": "2030-01-01T10:00"}).status_code == 404
    assert reached_numbers_count(campaign) == 0
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    assert "Forum" not in client.get(reverse("migrants:campaign_list")).content.decode()

    client.force_login(users["admin"])
    for name in ("campaign_detail", "campaign_progress"):
        assert client.get(reverse(f"migrants:{name}", args=[campaign.pk + 1000])).status_code == 404
    assert client.post(reverse("migrants:campaign_send", args=[campaign.pk + 1000])).status_code == 404


def reached_numbers_count(campaign) -> int:
    return apps.get_model("messaging", "Message").objects.filter(source=campaign.source).count()


def test_the_admin_writes_previews_and_sends_and_the_counts_equal_the_messages_written(
    client, users, group, sedhiou, sms_folder, campaign_morning, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])
    preview = client.post(reverse("migrants:campaign_preview"), _form(sedhiou), HTTP_HX_REQUEST="true")
    text = preview.content.decode()
    assert "2 personnes la recevront." in text
    assert "Le groupe compte 6 personnes." in text
    assert "1 a répondu STOP" in text and "1 n’a pas de téléphone" in text
    assert "FCFA" in text

    response = client.post(reverse("migrants:campaign_create"), _form(sedhiou))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:campaign_send", args=[campaign.pk]))

    page = client.get(campaign.get_absolute_url()).content.decode()
    written = reached_numbers(sms_folder)
    assert written == ["+221771000001", "+221771000002"]
    assert f'data-testid="count-sent">{len(written)}<' in page
    assert f'data-testid="count-total">{len(written)}<' in page
    assert str(users["admin"]) in page  # who sent it
    listing = client.get(reverse("migrants:campaign_list")).content.decode()
    assert "Forum" in listing and "Envoyée" in listing


def test_the_advisor_reads_without_buttons(client, users, sedhiou):
    campaign = _draft(users, sedhiou)
    client.force_login(users["advisor"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Forum de la diaspora" in page
    assert 'data-testid="send-now"' not in page and 'data-testid="cancel"' not in page
    assert reverse("migrants:campaign_create") not in client.get(reverse("migrants:campaign_list")).content.decode()


@pytest.mark.parametrize("fields, error", [
    ({"message": ""}, "Ce champ est obligatoire."),
    ({"message": "a" * 400}, "Le message est trop long"),
    ({"commune": "999999"}, "Sélectionnez un choix valide."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_typed_is_lost(client, users, sedhiou, fields, error):
    client.force_login(users["admin"])
    response = client.post(reverse("migrants:campaign_create"), _form(sedhiou, title="Mon titre", **fields))
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert 'value="Mon titre"' in page
    assert not Campaign.objects.exists()


def test_a_time_in_the_past_is_refused_on_the_page(client, users, sedhiou, campaign_morning):
    campaign = _draft(users, sedhiou)
    client.force_login(users["admin"])
    past = (MORNING - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("migrants:campaign_schedule", args=[campaign.pk]), {"at": past})
    assert response.status_code == 400
    assert "Choisissez une heure dans le futur." in response.content.decode()
    assert past in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    assert client.post(reverse("migrants:campaign_schedule", args=[campaign.pk]), {"at": "demain"}).status_code == 400


def test_the_list_costs_the_same_queries_at_2_and_20_campaigns(client, users, group, sedhiou, sms_folder, campaign_morning,
                                                              django_capture_on_commit_callbacks):
    client.force_login(users["admin"])

    def make_rows(count):
        for _ in range(count):
            campaign = _draft(users, sedhiou)
            with django_capture_on_commit_callbacks(execute=True):
                services.campaign_send(campaign=campaign, by=users["admin"])

    response = assert_constant_queries(client, reverse("migrants:campaign_list"), make_rows=make_rows)
    assert response.content.decode().count('data-testid="campaign-row"') == 20
    queries, _response = count_queries(client, reverse("migrants:campaign_list"))
    assert queries <= 10


def test_the_detail_page_is_within_ten_queries(client, users, group, sedhiou, campaign_morning):
    campaign = _draft(users, sedhiou)
    client.force_login(users["admin"])
    client.get(campaign.get_absolute_url())
    queries, _response = count_queries(client, campaign.get_absolute_url())
    assert queries <= 10


def test_while_sending_the_page_shows_the_progress_and_polls_it(client, users, group, sedhiou, campaign_morning):
    from hom.messaging.services import message_enqueue

    campaign = _draft(users, sedhiou)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SENDING, recipients_count=4)
    message_enqueue(key=f"campaign:{campaign.pk}:1", channel="sms", to="+221771000001", body="x",
                    source=campaign.source)
    client.force_login(users["advisor"])
    fragment = client.get(reverse("migrants:campaign_progress", args=[campaign.pk])).content.decode()
    assert 'data-progress="25"' in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert 'data-testid="count-queued">1<' in fragment

    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SENT, recipients_count=1)
    fragment = client.get(reverse("migrants:campaign_progress", args=[campaign.pk])).content.decode()
    assert "hx-get" not in fragment
