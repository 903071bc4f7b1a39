"""The person's choices and phone verification on their profile and on the staff person page (issue 22)."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hom.messaging.models import Message
from hom.testing.access import LOGIN, assert_access_matrix
from migrants.models import ContactChoice, PhoneCode
from migrants.tests.factories import MigrantFactory

pytestmark = pytest.mark.django_db

PHONE = "+221771234567"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_URL = "console://"
    settings.SMS_QUIET_HOURS = "0-0"


@pytest.fixture
def person(office, users):
    return MigrantFactory(office=office, user=users["migrant"], phone=PHONE)


def code_sent_to(person) -> str:
    """The code, as the person reads it in the SMS (the database keeps it hashed only)."""
    message = Message.objects.filter(person_key=f"migrants.migrant:{person.pk}", source="migrants.phone-code").first()
    return "".join(char for char in message.body.split("est")[1] if char.isdigit())[:6]


def ask_code(client, person):
    client.force_login(person.user)
    return client.post(reverse("migrants:my_phone_code"), follow=True)


def test_the_person_chooses_sms_asks_a_code_and_verifies_their_phone(client, person):
    client.force_login(person.user)
    response = client.post(reverse("migrants:my_channels"), {"sms": "on"}, follow=True)
    assert "Le choix des canaux est enregistré." in response.content.decode()
    assert "non vérifié" in response.content.decode()

    response = ask_code(client, person)
    assert "Un code a été envoyé par SMS" in response.content.decode()
    code = code_sent_to(person)
    assert len(code) == 6 and code not in PhoneCode.objects.get().code_hash

    response = client.post(reverse("migrants:my_phone_verify"), {"code": code}, follow=True)

    page = response.content.decode()
    assert "Votre numéro de téléphone est vérifié." in page
    assert 'text-bg-success">vérifié<' in page
    choice = ContactChoice.objects.get(migrant=person)
    assert choice.sms and choice.phone_verified == PHONE and choice.consent_on == timezone.localdate()


def test_a_wrong_code_is_refused_with_the_tries_left_then_locked_after_five(client, person):
    ask_code(client, person)
    code = code_sent_to(person)
    wrong = "000000" if code != "000000" else "111111"

    response = client.post(reverse("migrants:my_phone_verify"), {"code": wrong}, follow=True)
    assert "Ce code n’est pas le bon\u00a0: encore 4 essais." in response.content.decode()
    for _try in range(4):
        response = client.post(reverse("migrants:my_phone_verify"), {"code": wrong}, follow=True)
    assert "Trop de codes erronés" in response.content.decode()

    response = client.post(reverse("migrants:my_phone_verify"), {"code": code}, follow=True)

    assert "Trop de codes erronés" in response.content.decode()
    assert not ContactChoice.objects.filter(migrant=person).exclude(phone_verified="").exists()


def test_a_code_that_is_not_six_digits_is_refused_clearly(client, person):
    ask_code(client, person)

    response = client.post(reverse("migrants:my_phone_verify"), {"code": "12ab"}, follow=True)

    assert response.status_code == 200
    assert "Saisissez les 6 chiffres du code." in response.content.decode()
    assert PhoneCode.objects.get().tries == 0


def test_an_expired_code_is_refused(client, person):
    ask_code(client, person)
    code = code_sent_to(person)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(reverse("migrants:my_phone_verify"), {"code": code}, follow=True)

    assert "Ce code a expiré" in response.content.decode()
    assert not ContactChoice.objects.filter(migrant=person).exclude(phone_verified="").exists()


def test_a_code_before_asking_for_one_is_refused(client, person):
    client.force_login(person.user)

    response = client.post(reverse("migrants:my_phone_verify"), {"code": "123456"}, follow=True)

    assert "Demandez d’abord un code." in response.content.decode()


def test_codes_are_limited_to_three_an_hour(client, person):
    for _sent in range(3):
        ask_code(client, person)

    response = ask_code(client, person)

    assert "Vous avez demandé trop de codes" in response.content.decode()
    assert PhoneCode.objects.count() == 3


def test_asking_again_ends_the_previous_code(client, person):
    ask_code(client, person)
    first = code_sent_to(person)
    Message.objects.all().delete()
    ask_code(client, person)

    if first != code_sent_to(person):
        response = client.post(reverse("migrants:my_phone_verify"), {"code": first}, follow=True)
        assert "Ce code n’est pas le bon" in response.content.decode()


def test_another_person_cannot_verify_someone_elses_phone(client, person, users, office):
    other = MigrantFactory(office=office, user=users["other_migrant"], phone="+221770000002")
    ask_code(client, person)
    code = code_sent_to(person)

    client.force_login(users["other_migrant"])
    response = client.post(reverse("migrants:my_phone_verify"), {"code": code}, follow=True)

    assert "Demandez d’abord un code." in response.content.decode()
    assert not ContactChoice.objects.exclude(phone_verified="").exists()
    assert PhoneCode.objects.get().migrant == person and other.phone_codes.count() == 0


def test_without_a_phone_no_code_is_sent(client, office, users):
    MigrantFactory(office=office, user=users["migrant"])
    client.force_login(users["migrant"])

    response = client.post(reverse("migrants:my_phone_code"), follow=True)

    assert "Ajoutez d’abord un numéro de téléphone" in response.content.decode()
    assert not Message.objects.exists()


def test_choosing_sms_without_a_phone_says_what_to_do_and_keeps_the_choice_shown(client, office, users):
    MigrantFactory(office=office, user=users["migrant"])
    client.force_login(users["migrant"])

    response = client.post(reverse("migrants:my_channels"), {"sms": "on", "email": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ajoutez un numéro de téléphone au profil avant de choisir SMS ou WhatsApp." in page
    assert 'name="sms" class="form-check-input" id="id_sms" checked' in page or 'id="id_sms" checked' in page
    assert not ContactChoice.objects.exists()


def test_the_staff_record_the_choice_with_the_date_and_their_name(client, person, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:channels", args=[person.pk]), {"email": "on", "whatsapp": "on"}, follow=True)

    choice = ContactChoice.objects.get(migrant=person)
    assert (choice.email, choice.sms, choice.whatsapp, choice.recorded_by) == (True, False, True, users["advisor"])
    assert f"enregistré par {users['advisor']}" in response.content.decode()


def test_staff_never_see_a_code(client, person, users):
    ask_code(client, person)
    code = code_sent_to(person)
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:detail", args=[person.pk])).content.decode()
    channels = client.get(reverse("migrants:channels", args=[person.pk])).content.decode()

    assert code not in page and code not in channels
    assert "Messages SMS et WhatsApp envoyés" in channels  # the ledger is listed there, the code blanked


def test_the_choices_pages_access_matrix(client, users, person):
    url = reverse("migrants:channels", args=[person.pk])
    expected = {
        "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
        "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
    }
    assert_access_matrix(client, url, expected, users)
    assert_access_matrix(client, url, {**expected, "superuser": 302, "admin": 302, "advisor": 302}, users,
                         method="post", data={"email": "on"})


def test_the_persons_own_pages_access_matrix(client, users, person):
    own = {
        "anonymous": LOGIN, "superuser": 403, "admin": 403, "advisor": 403, "other_office_advisor": 403,
        "migrant": 302, "other_migrant": 404, "authority": 403, "partner": 403,
    }
    assert_access_matrix(client, reverse("migrants:my_channels"), {**own, "migrant": 200}, users)
    assert_access_matrix(client, reverse("migrants:my_phone_code"), own, users, method="post")
    assert_access_matrix(client, reverse("migrants:my_phone_verify"), own, users, method="post", data={"code": "1"})
