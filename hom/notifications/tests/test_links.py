"""Links that work from an email (issue 19): every absolute link starts with SITE_URL, whoever
sends it (a worker's digest, a dossier notice, an admin's invitation, a reset or sign-up asked
from a page reached through an internal host name), and emails read in their recipient's language."""
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.links import check_site_url
from hom.notifications import services
from hom.notifications.models import DOSSIER_MOVED, Notification, NotificationPreference
from hom.notifications.tests.conftest import TODAY
from migrants.tests.factories import MigrantFactory
from migrants.tests.test_rights import sign_up_data
from projects import services as project_services
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

SITE = "https://hom.example.sn"
# A link in a text body, or the target of an anchor in an HTML one; also a bare path where a link belongs.
LINK = re.compile(r"""(?:https?://[^\s"'<>]+|href="[^"]*"|(?<![\w/])/(?:projects|migrants|accounts|notifications)/\S*)""")


def links(text: str) -> list[str]:
    return [match.removeprefix('href="').removesuffix('"') for match in LINK.findall(text)]


def assert_only_site_links(*texts: str) -> None:
    found = [link for text in texts for link in links(text)]
    assert found, "no link at all"
    assert [link for link in found if not link.startswith(SITE + "/")] == []


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def moved(users, office, django_capture_on_commit_callbacks):
    """The migrant's submitted dossier, sent back to them by the advisor."""

    def move():
        dossier = DossierFactory(
            promoter=MigrantFactory(office=office, user=users["migrant"]),
            status=DossierStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=100)
        FinancingLineFactory(dossier=dossier, amount=100)
        with django_capture_on_commit_callbacks(execute=True):
            return project_services.dossier_transition(
                dossier=dossier, actor=users["advisor"], to_status=DossierStatus.CHANGES_REQUESTED, comment="Le devis."
            )

    return move


def test_the_digest_holds_only_links_to_the_site_url(site, users, follow_up, today):
    follow_up(TODAY)

    services.digest_send(recipient=users["advisor"], day=today)

    email = mail.outbox[0]
    assert_only_site_links(email.body, email.alternatives[0][0])
    assert f"{SITE}{reverse('notifications:preferences')}" in email.body


def test_the_dossier_notice_holds_only_links_to_the_site_url(site, users, moved):
    transition = moved()

    email = mail.outbox[-1]
    assert email.to == ["migrant@example.sn"]
    assert_only_site_links(email.body)
    assert f"{SITE}{reverse('projects:detail', args=[transition.dossier_id])}" in email.body


def test_a_notice_and_its_email_are_in_the_recipients_language(site, users, moved):
    NotificationPreference.objects.create(recipient=users["migrant"], language="en")

    transition = moved()

    notice = Notification.objects.get(recipient=users["migrant"], kind=DOSSIER_MOVED)
    assert notice.title.startswith(f"Your dossier {transition.dossier.reference}")
    assert "Changes requested" in notice.title
    assert mail.outbox[-1].subject == "HOM: your project dossier"
    assert "See your dossier:" in mail.outbox[-1].body


def test_without_a_saved_language_the_notice_is_in_french(site, users, moved):
    moved()

    assert mail.outbox[-1].subject == "HOM\u00a0: votre dossier de projet"
    assert Notification.objects.get(recipient=users["migrant"], kind=DOSSIER_MOVED).title.startswith("Votre dossier")


def test_the_digest_is_in_the_recipients_language(site, users, follow_up, today):
    NotificationPreference.objects.create(recipient=users["advisor"], language="en")
    follow_up(TODAY)

    services.digest_send(recipient=users["advisor"], day=today)

    assert mail.outbox[0].subject == "HOM: 1 reminder for 27/11/2026"


def test_an_invitation_sent_from_an_internal_host_links_to_the_site_url(
    site, client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("staff_invite"),
            {"email": "new.advisor@example.sn", "first_name": "Awa", "last_name": "Diatta", "role": Role.ADVISOR},
            HTTP_HOST="127.0.0.1",
        )

    assert mail.outbox[-1].to == ["new.advisor@example.sn"]
    assert mail.outbox[-1].subject == "Votre compte HOM"
    assert_only_site_links(mail.outbox[-1].body)


def test_a_password_reset_links_to_the_site_url_in_the_language_of_the_page(site, client, users):
    client.post(reverse("password_reset"), {"email": "advisor@example.sn"}, HTTP_HOST="127.0.0.1",
                HTTP_ACCEPT_LANGUAGE="en")

    assert_only_site_links(mail.outbox[-1].body)
    assert "Someone asked to reset the password" in mail.outbox[-1].body


def test_a_password_reset_follows_the_saved_language(site, client, users):
    NotificationPreference.objects.create(recipient=users["advisor"], language="fr")

    client.post(reverse("password_reset"), {"email": "advisor@example.sn"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Someone asked" not in mail.outbox[-1].body
    assert_only_site_links(mail.outbox[-1].body)


def test_the_sign_up_confirmation_links_to_the_site_url(site, client, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:sign_up"), sign_up_data(office), HTTP_HOST="127.0.0.1")

    assert_only_site_links(mail.outbox[-1].body)


def test_check_deploy_warns_when_site_url_is_missing(settings):
    settings.DEBUG = False
    settings.SITE_URL = ""
    assert [warning.id for warning in check_site_url()] == ["hom.W001"]

    settings.SITE_URL = "http://hom.example.sn"
    assert [warning.id for warning in check_site_url()] == ["hom.W002"]

    settings.SITE_URL = SITE
    assert check_site_url() == []


def test_check_deploy_fails_on_the_missing_site_url_and_passes_with_it(settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production (the tests speak plain HTTP)
    settings.SITE_URL = ""
    with pytest.raises(SystemCheckError, match="hom.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")

    settings.SITE_URL = SITE
    call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
