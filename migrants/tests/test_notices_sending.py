"""One notice to the channels the person chose: in-app, email, SMS, WhatsApp, exactly once (issue 22)."""
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from hom.messaging.models import Message
from hom.notifications.models import DOSSIER_MOVED, Notification, NotificationPreference
from hom.notifications.tests.conftest import DAKAR
from migrants.notices import services
from migrants.notices.models import NoticeSent
from migrants.tests.factories import MigrantFactory
from partnerships.events import services as event_services
from partnerships.services import introduction_move
from partnerships.tasks import event_reminders_send
from partnerships.tests.convention_factories import EventFactory
from partnerships.tests.factories import IntroductionFactory
from projects import services as project_services
from projects.funding.services import funding_application_move
from projects.models import DossierStatus
from projects.tasks import dossier_notify_promoter
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory
from projects.tests.funding_factories import FundingApplicationFactory

pytestmark = pytest.mark.django_db

PHONE = "+221771234567"


@pytest.fixture
def sms_folder(settings, tmp_path):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    settings.SMS_QUIET_HOURS = "0-0"  # no quiet hours: these tests run at any time of day
    settings.SITE_URL = "https://hom.example.sn"
    return folder


def sms_files(folder, phone=PHONE):
    return sorted(folder.glob(f"{phone.lstrip('+')}-*.txt")) if folder.exists() else []


@pytest.fixture
def person(office, users):
    """Like the demo's migrant: an account, a phone verified, SMS chosen."""
    migrant = MigrantFactory(office=office, user=users["migrant"], phone=PHONE)
    services.phone_mark_verified(migrant=migrant, phone=migrant.phone, choose_sms=True)
    return migrant


def move(dossier, users, to_status, capture):
    with capture(execute=True):
        return project_services.dossier_transition(
            dossier=dossier, actor=users["advisor"], to_status=to_status, comment="Le devis, svp."
        )


@pytest.fixture
def dossier(person):
    dossier = DossierFactory(
        promoter=person, status=DossierStatus.SUBMITTED, submitted_at=datetime(2026, 11, 20, 10, 0, tzinfo=DAKAR),
        title="Poulailler de Bakoum",
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=100)
    FinancingLineFactory(dossier=dossier, amount=100)
    return dossier


def test_moving_the_dossier_writes_exactly_one_sms_to_their_number(
    sms_folder, users, dossier, django_capture_on_commit_callbacks
):
    transition = move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    files = sms_files(sms_folder)
    assert len(files) == 1
    text = files[0].read_text()
    assert dossier.reference in text and "En examen" in text
    assert f"https://hom.example.sn/projects/{dossier.pk}/" in text

    with django_capture_on_commit_callbacks(execute=True):
        dossier_notify_promoter(transition.pk)
        dossier_notify_promoter(transition.pk)

    assert len(sms_files(sms_folder)) == 1
    assert Message.objects.filter(key=f"projects.transition:{transition.pk}").count() == 1
    assert Message.objects.get().status == "sent"


def test_the_person_also_gets_the_bell_and_the_email_once(sms_folder, users, dossier, django_capture_on_commit_callbacks):
    transition = move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)
    dossier_notify_promoter(transition.pk)

    assert Notification.objects.filter(recipient=users["migrant"], kind=DOSSIER_MOVED).count() == 1
    assert [message.to for message in mail.outbox] == [["migrant@example.sn"]]
    assert Notification.objects.get().emailed_at is not None


def test_changes_requested_says_so(sms_folder, users, dossier, django_capture_on_commit_callbacks):
    move(dossier, users, DossierStatus.CHANGES_REQUESTED, django_capture_on_commit_callbacks)

    assert "Des modifications sont demandées" in sms_files(sms_folder)[0].read_text().replace("\n", " ")
    assert "Des modifications sont demandées" in mail.outbox[0].body


def test_no_sms_when_the_person_did_not_choose_it(sms_folder, users, person, dossier, django_capture_on_commit_callbacks):
    services.contact_choice_set(migrant=person, by=users["migrant"], email=True, sms=False, whatsapp=False)

    move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    assert sms_files(sms_folder) == [] and not Message.objects.exists()
    assert len(mail.outbox) == 1  # email only
    assert Notification.objects.filter(recipient=users["migrant"]).count() == 1


def test_no_sms_to_a_phone_not_verified(sms_folder, office, users, django_capture_on_commit_callbacks):
    migrant = MigrantFactory(office=office, user=users["migrant"], phone=PHONE)
    services.contact_choice_set(migrant=migrant, by=users["migrant"], email=False, sms=True, whatsapp=False)
    dossier = DossierFactory(promoter=migrant, status=DossierStatus.SUBMITTED, submitted_at=timezone.now())

    move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    assert sms_files(sms_folder) == [] and not Message.objects.exists()
    assert mail.outbox == []
    # In-app always, for an account holder.
    assert Notification.objects.filter(recipient=users["migrant"]).count() == 1


def test_no_sms_once_the_verified_phone_changed(sms_folder, users, person, dossier, django_capture_on_commit_callbacks):
    person.phone = "+221770000001"
    person.save()  # even without migrant_update: the number must still be the one verified

    move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    assert not Message.objects.exists()


def test_in_app_for_an_account_holder_who_chose_nothing(sms_folder, users, person, dossier,
                                                        django_capture_on_commit_callbacks):
    services.contact_choice_set(migrant=person, by=users["migrant"], email=False, sms=False, whatsapp=False)

    move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=users["migrant"]).count() == 1
    assert mail.outbox == [] and not Message.objects.exists()


def test_a_person_without_account_gets_the_email_they_chose(sms_folder, office, django_capture_on_commit_callbacks):
    migrant = MigrantFactory(office=office, email="awa@example.sn")
    services.contact_choice_set(migrant=migrant, by=None, email=True, sms=False, whatsapp=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(migrant=migrant, kind=DOSSIER_MOVED, key="test:1", text="Bonjour", path="/projects/1/")
        services.notice_send(migrant=migrant, kind=DOSSIER_MOVED, key="test:1", text="Bonjour", path="/projects/1/")

    assert [message.to for message in mail.outbox] == [["awa@example.sn"]]
    assert "https://hom.example.sn/projects/1/" in mail.outbox[0].body
    assert not Notification.objects.exists()
    assert NoticeSent.objects.filter(key="test:1").count() == 1


def test_the_notice_is_in_the_persons_language(sms_folder, users, dossier, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(recipient=users["migrant"], language="en")

    move(dossier, users, DossierStatus.IN_REVIEW, django_capture_on_commit_callbacks)

    assert "Your dossier" in sms_files(sms_folder)[0].read_text()
    assert mail.outbox[0].body.startswith("Your dossier")


def test_whatsapp_goes_through_the_kinds_template(settings, sms_folder, users, person):
    settings.WHATSAPP_TEMPLATES = {DOSSIER_MOVED: "hom_dossier"}
    services.contact_choice_set(migrant=person, by=users["migrant"], email=False, sms=False, whatsapp=True)

    services.notice_send(migrant=person, kind=DOSSIER_MOVED, key="test:wa", text="Bonjour", path="/projects/1/")

    message = Message.objects.get(channel="whatsapp")
    assert (message.to, message.template, message.params) == (PHONE, "hom_dossier", ["Bonjour", "https://hom.example.sn/projects/1/"])


def test_no_whatsapp_without_a_template_for_the_kind(settings, sms_folder, users, person):
    settings.WHATSAPP_TEMPLATES = {}
    services.contact_choice_set(migrant=person, by=users["migrant"], email=False, sms=False, whatsapp=True)

    services.notice_send(migrant=person, kind=DOSSIER_MOVED, key="test:wa", text="Bonjour")

    assert not Message.objects.exists()


def test_a_long_text_fits_two_sms_and_keeps_the_link():
    from hom.messaging.text import sms_segments

    link = "https://hom.example.sn/projects/12345/"
    body = services.sms_text("Votre dossier « Élevage de poulets à Bakoum » est maintenant : envoyé au bailleur. " * 6, link)

    assert sms_segments(body).count <= 2
    assert body.endswith(link)
    assert sms_segments(body).encoding == "GSM-7"  # « » and the non-breaking spaces made plain
    assert body.startswith('Votre dossier "Élevage de poulets à Bakoum" est maintenant : envoyé')


# --- The other events wired to notices -----------------------------------------------------------


def test_a_funding_decision_is_sent_once(sms_folder, users, dossier, django_capture_on_commit_callbacks):
    application = FundingApplicationFactory(dossier=dossier, status="submitted", submitted_on=date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        funding_application_move(application=application, actor=users["advisor"], to_status="accepted", amount=1_000)
    with django_capture_on_commit_callbacks(execute=True):
        from projects.tasks import funding_decision_notify

        funding_decision_notify(application.pk, "accepted")

    files = sms_files(sms_folder)
    assert len(files) == 1 and "est acceptée" in files[0].read_text()
    assert Notification.objects.filter(kind="funding_decided").count() == 1


def test_an_accepted_introduction_is_sent_once(sms_folder, users, person, django_capture_on_commit_callbacks):
    person.consent_sharing = True
    person.save()
    introduction = IntroductionFactory(migrant=person, status="contacted")
    with django_capture_on_commit_callbacks(execute=True):
        introduction_move(introduction=introduction, status="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        from partnerships.tasks import introduction_notify

        introduction_notify(introduction.pk)

    files = sms_files(sms_folder)
    assert len(files) == 1 and introduction.organisation.name in files[0].read_text()
    assert Notification.objects.filter(kind="introduction_accepted").count() == 1


def test_a_registration_is_confirmed_once_and_reminded_the_day_before_once(
    sms_folder, users, person, office, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    event = EventFactory(office=office, starts_on=today + timedelta(days=1), registration_open=True, title="Formation aviculture")
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_register(event=event, migrant=person, registered_by=users["migrant"])

    assert len(sms_files(sms_folder)) == 1
    assert "Formation aviculture" in sms_files(sms_folder)[0].read_text()
    assert Notification.objects.filter(kind="event_registered").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert event_reminders_send(today.isoformat()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        event_reminders_send(today.isoformat())
        event_reminders_send((today + timedelta(days=3)).isoformat())  # another day: no event tomorrow

    texts = [path.read_text() for path in sms_files(sms_folder)]
    assert len(texts) == 2 and sum("demain" in text for text in texts) == 1
    assert Notification.objects.filter(kind="event_tomorrow").count() == 1


def test_staff_adding_a_person_to_an_event_confirms_it(sms_folder, users, person, office,
                                                       django_capture_on_commit_callbacks):
    event = EventFactory(office=office, starts_on=date(2030, 5, 1), kind="forum")
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_participant_add(event=event, migrant=person, registered_by=users["advisor"])

    assert len(sms_files(sms_folder)) == 1
