"""Headers and small leaks (issue 14): forged ``next``, personal pages kept out of caches, /healthz over HTTP."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from migrants.tests.factories import MigrantFactory, VisitFactory
from partnerships.tests.convention_factories import ActionItemFactory, MeetingFactory
from partnerships.tests.event_factories import convention_with_party
from partnerships.tests.factories import OrganisationFactory
from projects import services as project_services
from projects.models import DocumentType
from projects.tests.factories import PDF_BYTES, DossierFactory

FORGED = ["//evil.example", "https://evil.example/", "/\\evil.example", "http:/evil.example", "\\\\evil.example"]


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_next_after_marking_a_follow_up_done_goes_to_the_person(client, users, office, forged):
    visit = VisitFactory(office=office, migrant=MigrantFactory(office=office), follow_up_on=datetime.date(2026, 1, 5))
    client.force_login(users["advisor"])

    response = client.post(f"{reverse('migrants:follow_up_done', args=[visit.pk])}?next={forged}", {"next": forged})

    assert response.status_code == 302
    assert response["Location"] == visit.migrant.get_absolute_url()


def test_a_local_next_after_marking_a_follow_up_done_is_followed(client, users, office):
    visit = VisitFactory(office=office, migrant=MigrantFactory(office=office), follow_up_on=datetime.date(2026, 1, 5))
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:follow_up_done", args=[visit.pk]), {"next": reverse("migrants:follow_ups")})

    assert response["Location"] == reverse("migrants:follow_ups")


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_next_after_toggling_a_meeting_action_goes_to_the_meeting(client, users, office, forged):
    meeting = MeetingFactory(convention=convention_with_party(office, OrganisationFactory(), title="Convention"))
    action = ActionItemFactory(meeting=meeting)
    client.force_login(users["advisor"])

    plain = client.post(reverse("partnerships:action_toggle", args=[action.pk]), {"next": forged})
    htmx = client.post(reverse("partnerships:action_toggle", args=[action.pk]), {"next": forged},
                       headers={"HX-Request": "true"})

    assert plain["Location"] == meeting.get_absolute_url()
    assert "evil.example" not in htmx.content.decode()


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_next_on_login_and_language_stays_on_the_site(client, users, forged):
    language = client.post(reverse("set_language"), {"language": "en", "next": forged})
    login = client.post(f"{reverse('login')}?next={forged}",
                        {"username": "advisor@example.sn", "password": "correct-horse-battery", "next": forged})

    assert "evil.example" not in language["Location"]
    assert login.status_code == 302 and login["Location"] == reverse("home")


# --- Cache-Control -----------------------------------------------------------------------


def _personal_urls(users, office):
    migrant = MigrantFactory(office=office, user=users["migrant"])
    dossier = DossierFactory(promoter=migrant)
    document = project_services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=DocumentType.objects.get(code="ID"),
        uploaded_file=SimpleUploadedFile("cni.pdf", PDF_BYTES),
    )
    return {
        "admin": [
            reverse("migrants:list"), reverse("migrants:detail", args=[migrant.pk]), reverse("migrants:export_csv"),
            reverse("migrants:export_xlsx"), reverse("projects:document", args=[document.pk]), reverse("home"),
        ],
        "migrant": [reverse("migrants:me"), reverse("migrants:my_data"), reverse("projects:document", args=[document.pk])],
    }


def test_personal_pages_and_downloads_are_never_stored_by_a_cache(client, users, office):
    urls = _personal_urls(users, office)
    for role, role_urls in urls.items():
        client.force_login(users[role])
        for url in role_urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "no-store, private", url


def test_public_pages_seen_anonymously_may_be_cached(client, db):
    for url in (reverse("communes:profile", args=["SN1103_SEDHIOU"]), reverse("partnerships:public_list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
    # The login page keeps Django's own never_cache headers.
    assert client.get(reverse("login"))["Cache-Control"] != "no-store, private"


# --- /healthz and the HTTPS redirect ----------------------------------------------------


def test_healthz_answers_over_plain_http_when_https_is_enforced(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    health = client.get(reverse("healthz"))
    login = client.get(reverse("login"))

    assert health.status_code == 200
    assert login.status_code == 301 and login["Location"].startswith("https://")
