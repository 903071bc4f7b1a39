"""Accounts made with a phone number only (issue 22): sign-up confirmed by an SMS code, sign-in with
the number in any spelling, one lockout for every spelling, password reset by SMS.

The SMS go through ``hom.messaging`` with the file backend (``SMS_URL=file:///…``): the tests read
the code from the file written for the number, as the person reads their SMS. The clock stands at
10:00 in Dakar: no SMS waits for the morning (quiet hours are 21:00–08:00).
"""
import html
import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, UserFactory
from hom.messaging.selectors import messages_for_person
from migrants.models import Migrant, PendingSignUp
from migrants.phone_accounts.models import AccountCode
from migrants.phone_accounts.views import sign_up_phone_token
from migrants.tests.test_rights import sign_up_data

User = get_user_model()
DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")
NUMBER = "+221771234567"


@pytest.fixture
def morning():
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=DAKAR), tick=True) as traveller:
        yield traveller


def text(response) -> str:
    """The page as read: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def sms_to(folder, number=NUMBER) -> list[str]:
    """The SMS written for ``number``, oldest first."""
    files = sorted(folder.glob(f"{number.lstrip('+')}-*.txt"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    return [path.read_text(encoding="utf-8") for path in files]


def last_code(folder, number=NUMBER) -> str:
    messages = sms_to(folder, number)
    assert messages, f"no SMS for {number}"
    return re.search(r"\b(\d{6})\b", messages[-1].split("\n\n", 1)[1]).group(1)


def phone_sign_up(client, office, django_capture_on_commit_callbacks, **overrides):
    data = sign_up_data(office, **{"email": "", "phone": "77 123 45 67", **overrides})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("migrants:sign_up"), data)


def confirm(client, response, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(response["Location"], {"code": code})


def test_a_migrant_without_email_signs_up_with_the_phone_confirms_by_sms_and_logs_in_with_it(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)

    assert sent.status_code == 302 and "/sign-up/phone/" in sent["Location"]
    account = User.objects.get(phone=NUMBER)
    assert account.email is None and not account.is_active and not Migrant.objects.filter(user=account).exists()
    page = client.get(sent["Location"])
    assert "+221 77 123 45 67" in text(page)
    [sms] = sms_to(sms_folder)
    assert "HOM" in sms and "10 minutes" in sms
    code = last_code(sms_folder)
    assert code not in AccountCode.objects.get().code_hash

    confirmed = confirm(client, sent, code, django_capture_on_commit_callbacks)

    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("login")
    account.refresh_from_db()
    migrant = Migrant.objects.get(user=account)
    assert account.is_active and not PendingSignUp.objects.exists()
    assert migrant.phone.as_e164 == NUMBER and migrant.email == "" and migrant.file_number
    choice = migrant.contact_choice
    assert choice.phone_verified == NUMBER and choice.phone_verified_at is not None and choice.sms
    # The code's SMS is the person's: on their record's ledger (page, export, erasure).
    assert messages_for_person(f"migrants.migrant:{migrant.pk}").count() == 1
    # Signing in with the number as people write it.
    logged_in = client.post(reverse("login"), {"username": "00221 77 123 45 67", "password": "une-phrase-assez-longue"})
    assert logged_in.status_code == 302 and client.session["_auth_user_id"] == str(account.pk)
    assert "Lamine" in client.get(reverse("migrants:me")).content.decode()


def test_a_wrong_code_is_refused_and_the_fifth_needs_a_new_code(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)
    code = last_code(sms_folder)
    wrong = "000000" if code != "000000" else "111111"

    first = confirm(client, sent, wrong, django_capture_on_commit_callbacks)
    assert first.status_code == 200 and "Ce code est faux. Il reste 4 essais." in text(first)
    for _ in range(4):
        last = confirm(client, sent, wrong, django_capture_on_commit_callbacks)
    assert "Trop de codes faux : demandez-en un nouveau." in text(last)
    # Even the right code no longer opens the account.
    right_too_late = confirm(client, sent, code, django_capture_on_commit_callbacks)
    assert "Trop de codes faux" in text(right_too_late)
    assert not User.objects.get(phone=NUMBER).is_active

    morning.shift(timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(reverse("migrants:sign_up_phone_resend", args=[sent["Location"].split("/")[-2]]), follow=True)
    assert "Un nouveau code est envoyé par SMS." in text(resent)
    assert len(sms_to(sms_folder)) == 2
    assert confirm(client, sent, code, django_capture_on_commit_callbacks).status_code == 200  # the old code is closed
    assert confirm(client, sent, last_code(sms_folder), django_capture_on_commit_callbacks).status_code == 302
    assert User.objects.get(phone=NUMBER).is_active


def test_an_expired_code_is_refused_with_a_clear_message(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)
    code = last_code(sms_folder)
    morning.shift(timedelta(minutes=11))

    expired = confirm(client, sent, code, django_capture_on_commit_callbacks)

    assert expired.status_code == 200 and "Ce code a expiré : demandez-en un nouveau." in text(expired)
    assert not User.objects.get(phone=NUMBER).is_active and not Migrant.objects.exists()


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", "12 345"])
def test_a_malformed_code_is_refused_without_counting_a_try(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks, code
):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)

    refused = confirm(client, sent, code, django_capture_on_commit_callbacks)

    assert refused.status_code == 200 and "is-invalid" in text(refused)
    assert AccountCode.objects.get().attempts == 0


def test_a_new_code_is_refused_within_a_minute_and_after_five_an_hour(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)
    resend = reverse("migrants:sign_up_phone_resend", args=[sent["Location"].split("/")[-2]])

    too_soon = client.post(resend, follow=True)
    assert "Un code a été envoyé il y a moins d’une minute" in text(too_soon)
    for _ in range(4):
        morning.shift(timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(resend)
    morning.shift(timedelta(minutes=2))
    sixth = client.post(resend, follow=True)

    assert "Trop de codes ont été demandés pour ce numéro" in text(sixth)
    assert AccountCode.objects.count() == 5


def test_a_phone_already_used_is_refused_without_saying_whose(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT, first_name="Awa", last_name="Badji")

    refused = phone_sign_up(client, office, django_capture_on_commit_callbacks, phone="+221 77 123 45 67")

    page = text(refused)
    assert refused.status_code == 200
    assert "Ce numéro de téléphone ne peut pas servir à un nouveau compte" in page
    assert "Awa" not in page and "Badji" not in page
    assert User.objects.filter(phone=NUMBER).count() == 1 and not PendingSignUp.objects.exists()
    assert sms_to(sms_folder) == []


def test_an_unconfirmed_sign_up_with_the_number_is_replaced_by_a_new_one(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    phone_sign_up(client, office, django_capture_on_commit_callbacks, first_name="Intrus")
    again = phone_sign_up(client, office, django_capture_on_commit_callbacks, first_name="Lamine")

    assert again.status_code == 302
    assert list(User.objects.filter(phone=NUMBER).values_list("first_name", flat=True)) == ["Lamine"]


def test_the_sign_up_needs_an_email_or_a_phone(client, users, office):
    response = client.post(reverse("migrants:sign_up"), sign_up_data(office, email="", phone=""))

    assert response.status_code == 200
    assert "Donnez une adresse e-mail ou un numéro de téléphone." in text(response)
    assert not User.objects.filter(role=Role.MIGRANT, pending_sign_up__isnull=False).exists()


def test_with_an_email_the_sign_up_still_confirms_by_email(client, users, office, sms_folder, morning):
    response = client.post(reverse("migrants:sign_up"), sign_up_data(office, phone="77 123 45 67"))

    assert response.status_code == 200 and 'data-testid="sign-up-sent"' in text(response)
    account = User.objects.get(email="lamine.coly@example.sn")
    assert account.phone is None and sms_to(sms_folder) == []


@pytest.mark.parametrize("token", ["forged", None])
def test_a_forged_or_used_token_opens_no_code_page(client, users, office, token):
    if token is None:
        token = sign_up_phone_token(UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT))  # active: already confirmed
    assert client.get(reverse("migrants:sign_up_phone", args=[token])).status_code == 400
    assert client.post(reverse("migrants:sign_up_phone", args=[token]), {"code": "123456"}).status_code == 400
    assert client.post(reverse("migrants:sign_up_phone_resend", args=[token])).status_code == 400


@pytest.mark.parametrize(
    "spellings",
    [
        ["77 123 45 67", "+221771234567", "00221 77 123 45 67", "771234567", "(77) 123-45-67"],
        ["+221 77 123 45 67"] * 5,
    ],
)
def test_every_spelling_of_a_number_counts_on_one_lockout(client, users, spellings):
    UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT)
    for spelling in spellings:
        client.post(reverse("login"), {"username": spelling, "password": "wrong-password"})

    with_right_password = client.post(reverse("login"), {"username": "77.123.45.67", "password": PASSWORD})

    assert with_right_password.status_code == 429 and "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [NUMBER]


@pytest.mark.parametrize("spelling", ["77 123 45 67", "+221771234567", "00221771234567", " 221 77 123 45 67 "])
def test_a_phone_account_signs_in_with_any_spelling(client, users, spelling):
    account = UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT)

    response = client.post(reverse("login"), {"username": spelling, "password": PASSWORD})

    assert response.status_code == 302 and client.session["_auth_user_id"] == str(account.pk)


def test_another_number_or_an_email_does_not_open_a_phone_account(client, users):
    UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT)

    for username in ["77 123 45 68", "+33771234567", "771234567@example.sn"]:
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_phone_account_resets_its_password_by_sms(
    client, users, sms_folder, morning, django_capture_on_commit_callbacks
):
    account = UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("migrants:password_reset_phone"), {"phone": "77 123 45 67"})
    assert asked.status_code == 302
    page = client.get(asked["Location"]).content.decode()
    assert 'data-testid="reset-code-sent"' in page

    wrong = client.post(asked["Location"], {"code": "000000" if last_code(sms_folder) != "000000" else "111111",
                                            "password1": "un-nouveau-mot-de-passe", "password2": "un-nouveau-mot-de-passe"})
    assert "Ce code est faux" in text(wrong)
    changed = client.post(asked["Location"], {"code": last_code(sms_folder),
                                              "password1": "un-nouveau-mot-de-passe", "password2": "un-nouveau-mot-de-passe"})

    assert changed.status_code == 302 and changed["Location"] == reverse("login")
    account.refresh_from_db()
    assert account.check_password("un-nouveau-mot-de-passe")
    assert client.post(reverse("login"), {"username": "771234567", "password": "un-nouveau-mot-de-passe"}).status_code == 302


def test_a_reset_for_an_unknown_number_answers_the_same_and_sends_nothing(
    client, users, sms_folder, morning, django_capture_on_commit_callbacks
):
    UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("migrants:password_reset_phone"), {"phone": "77 123 45 67"})
        unknown = client.post(reverse("migrants:password_reset_phone"), {"phone": "77 765 43 21"})

    assert known.status_code == unknown.status_code == 302
    # The same page but for the number typed (and the address naming it).
    known_page = client.get(known["Location"]).content.decode().replace("+221771234567", "N").replace(known["Location"], "URL")
    unknown_page = (
        client.get(unknown["Location"]).content.decode().replace("+221777654321", "N").replace(unknown["Location"], "URL")
    )
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", known_page) == strip.sub("", unknown_page)
    assert len(sms_to(sms_folder)) == 1 and sms_to(sms_folder, "+221777654321") == []
    refused = client.post(unknown["Location"], {"code": "123456", "password1": "un-nouveau-mot-de-passe",
                                                "password2": "un-nouveau-mot-de-passe"})
    assert refused.status_code == 200 and "demandez-en un nouveau" in text(refused)


def test_a_forged_reset_page_is_refused(client, users):
    response = client.post(reverse("migrants:password_reset_phone_confirm", args=["forged"]), {"code": "123456"})
    assert response.status_code == 400


def test_the_phone_pages_are_public_and_light(client, users, office, sms_folder, morning,
                                              django_capture_on_commit_callbacks, django_assert_max_num_queries):
    sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)
    for url in [sent["Location"], reverse("migrants:password_reset_phone")]:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    for role in ["advisor", "migrant", "authority", "partner", "other_office_advisor"]:
        client.force_login(users[role])
        assert client.get(reverse("migrants:password_reset_phone")).status_code == 200
        assert client.get(sent["Location"]).status_code == 200


# --- The account model --------------------------------------------------------------------------


def test_an_account_needs_an_email_or_a_phone_and_staff_an_email(office):
    with pytest.raises(ValidationError):
        User(role=Role.MIGRANT).full_clean(exclude=["password"])
    with pytest.raises(ValidationError):
        User(role=Role.ADVISOR, office=office, phone=NUMBER).full_clean(exclude=["password"])
    User(role=Role.MIGRANT, phone=NUMBER, email="").full_clean(exclude=["password"])


def test_accounts_without_email_store_null_and_do_not_collide(db):
    first = User.objects.create_user(phone=NUMBER, password=PASSWORD)
    second = User.objects.create_user(email="", phone="+221771234568", password=PASSWORD)

    assert first.email is None and second.email is None
    assert str(first) == NUMBER and first.login_name == NUMBER
    with pytest.raises(ValueError):
        User.objects.create_superuser(email="", password=PASSWORD)
    with pytest.raises(ValueError):
        User.objects.create_user(password=PASSWORD)


def test_createsuperuser_still_asks_for_an_email(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, verbosity=0)
    call_command("createsuperuser", interactive=False, email="Chef@Example.sn", verbosity=0)
    assert User.objects.get(email="chef@example.sn").is_superuser


def test_the_admin_shows_and_searches_phone_accounts(client, users):
    account = UserFactory(email=None, phone=NUMBER, role=Role.MIGRANT, first_name="Awa")
    client.force_login(users["superuser"])

    found = client.get(reverse("admin:accounts_user_changelist"), {"q": "771234567"})
    change = client.get(reverse("admin:accounts_user_change", args=[account.pk]))
    add = client.get(reverse("admin:accounts_user_add"))

    assert found.status_code == change.status_code == add.status_code == 200
    assert "+221 77 123 45 67" in text(found) and "1 résultat" in text(found)
    assert "+221 77 123 45 67" in text(change)


def test_one_persons_code_does_not_confirm_another_sign_up(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    mine = phone_sign_up(client, office, django_capture_on_commit_callbacks)
    theirs = phone_sign_up(client, office, django_capture_on_commit_callbacks, phone="77 765 43 21", first_name="Awa")
    my_code, their_code = last_code(sms_folder), last_code(sms_folder, "+221777654321")
    if my_code == their_code:
        pytest.skip("the two random codes are equal (one chance in a million)")

    refused = confirm(client, theirs, my_code, django_capture_on_commit_callbacks)

    assert refused.status_code == 200 and "Ce code est faux" in text(refused)
    assert not User.objects.filter(is_active=True, role=Role.MIGRANT, phone__isnull=False).exists()
    assert confirm(client, mine, my_code, django_capture_on_commit_callbacks).status_code == 302


def test_sign_ups_are_rate_limited_per_number_whatever_its_spelling(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    spellings = ["77 123 45 67", "+221771234567", "00221 77 123 45 67", "771234567", "(77) 123-45-67", "77.123.45.67"]
    answers = []
    for spelling in spellings:
        morning.shift(timedelta(minutes=2))
        answers.append(phone_sign_up(client, office, django_capture_on_commit_callbacks, phone=spelling).status_code)

    assert answers == [302] * 5 + [429]


def test_a_number_that_answered_stop_is_told_at_sign_up_and_nothing_is_kept(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    from hom.messaging.models import OptOut

    OptOut.objects.create(phone=NUMBER, source="tests")

    refused = phone_sign_up(client, office, django_capture_on_commit_callbacks)

    assert refused.status_code == 200
    assert "Ce numéro nous a demandé de ne plus lui envoyer de SMS (STOP)" in text(refused)
    assert not User.objects.filter(phone=NUMBER).exists() and not PendingSignUp.objects.exists()
    assert sms_to(sms_folder) == []


def test_a_code_asked_at_night_is_sent_at_once_and_leaves_no_text_in_the_ledger(
    client, users, office, sms_folder, django_capture_on_commit_callbacks
):
    from hom.messaging.models import Message

    with time_machine.travel(datetime(2026, 11, 30, 23, 30, tzinfo=DAKAR), tick=True):
        sent = phone_sign_up(client, office, django_capture_on_commit_callbacks)
        code = last_code(sms_folder)  # the person has it now, not at 08:00

        confirmed = confirm(client, sent, code, django_capture_on_commit_callbacks)

    assert confirmed.status_code == 302
    assert User.objects.get(phone=NUMBER).is_active
    assert not Message.objects.filter(body__contains=code).exists()


def test_the_code_sms_of_a_sign_up_never_confirmed_go_with_it(
    client, users, office, sms_folder, morning, django_capture_on_commit_callbacks
):
    from hom.messaging.models import Message
    from migrants.services import pending_sign_ups_purge

    phone_sign_up(client, office, django_capture_on_commit_callbacks)
    assert Message.objects.filter(to=NUMBER).count() == 1

    assert pending_sign_ups_purge(now=timezone.now() + timedelta(days=4)) == 1

    assert not Message.objects.filter(to=NUMBER).exists() and not User.objects.filter(phone=NUMBER).exists()
