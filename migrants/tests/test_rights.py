"""The person's side: online sign-up with consent and email confirmation, linking, own profile, data, erasure."""
import json
import re

from django.core import mail
from django.urls import reverse

from hom.accounts.models import User
from hom.testing.access import LOGIN, assert_access_matrix
from migrants.models import LinkRequest, Migrant
from migrants.services import migrant_erase
from migrants.tests.factories import MigrantFactory
from migrants.views import sign_up_token

MIGRANT_ONLY = {
    "anonymous": LOGIN,
    "superuser": 403,
    "admin": 403,
    "advisor": 403,
    "other_office_advisor": 403,
    "migrant": 200,
    "other_migrant": 200,
    "authority": 403,
    "partner": 403,
}


def sign_up_data(office, **overrides):
    return {
        "office": office.pk,
        "first_name": "Lamine",
        "last_name": "Coly",
        "email": "Lamine.Coly@example.sn",
        "phone": "+33 6 12 34 56 78",
        "birth_year": "1992",
        "situation": "abroad",
        "country_of_residence": "FR",
        "password1": "une-phrase-assez-longue",
        "password2": "une-phrase-assez-longue",
        "consent_processing": "on",
        **overrides,
    }


def test_the_sign_up_page_is_public(client, users):
    expected = {role: 302 for role in MIGRANT_ONLY} | {"anonymous": 200}
    assert_access_matrix(client, reverse("migrants:sign_up"), expected, users)


def test_a_migrant_signs_up_confirms_the_email_and_sees_only_their_profile(
    client, users, office, django_capture_on_commit_callbacks
):
    other = MigrantFactory(office=office, user=users["other_migrant"])

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("migrants:sign_up"), sign_up_data(office))
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    confirmed = client.get(link)
    client.post(reverse("login"), {"username": "lamine.coly@example.sn", "password": "une-phrase-assez-longue"})
    profile = client.get(reverse("migrants:me"))
    own = Migrant.objects.get(user__email="lamine.coly@example.sn")

    assert 'data-testid="sign-up-sent"' in sent.content.decode()
    assert confirmed["Location"] == reverse("login")
    assert "Lamine Coly" in profile.content.decode() and own.consent_processing
    assert client.get(reverse("migrants:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("migrants:detail", args=[other.pk])).status_code == 404


def test_an_unconfirmed_account_cannot_log_in(client, office):
    client.post(reverse("migrants:sign_up"), sign_up_data(office))

    response = client.post(reverse("login"), {"username": "lamine.coly@example.sn", "password": "une-phrase-assez-longue"})

    assert response.status_code == 200 and not User.objects.get(email="lamine.coly@example.sn").is_active


def test_sign_up_without_consent_keeps_what_was_typed(client, office):
    response = client.post(reverse("migrants:sign_up"), sign_up_data(office, consent_processing=""))

    text = response.content.decode()
    assert "Votre consentement est nécessaire" in text and 'value="Coly"' in text
    assert not User.objects.exists()


def test_sign_up_with_different_passwords_says_why_and_never_that_the_email_is_taken(client, users, office):
    response = client.post(
        reverse("migrants:sign_up"), sign_up_data(office, email="advisor@example.sn", password2="autre-chose-longue")
    )

    text = response.content.decode()
    assert "Les deux mots de passe sont différents" in text
    assert "existe déjà" not in text and "advisor@example.sn" in text  # what was typed is kept


def test_a_bad_or_forged_token_is_refused(client, db):
    response = client.get(reverse("migrants:sign_up_confirm", args=["forged"]))

    assert response.status_code == 400


def test_an_old_link_does_not_revive_an_erased_account(client, users, office):
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    user = User.objects.get(email="lamine.coly@example.sn")
    token = sign_up_token(user)
    client.get(reverse("migrants:sign_up_confirm", args=[token]))
    migrant = Migrant.objects.get(user=user)

    migrant_erase(migrant=migrant, erased_by=users["admin"])
    response = client.get(reverse("migrants:sign_up_confirm", args=[token]))

    user.refresh_from_db()
    assert response.status_code == 400 and not user.is_active


def test_a_desk_record_is_linked_once_an_advisor_confirms(client, users, office):
    desk = MigrantFactory(office=office, first_name="Lamine", last_name="Coly", phone="+33612345678")
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    user = User.objects.get(email="lamine.coly@example.sn")
    client.get(reverse("migrants:sign_up_confirm", args=[sign_up_token(user)]))
    link_request = LinkRequest.objects.get(user=user)
    client.force_login(user)
    waiting = client.get(reverse("migrants:me")).content.decode()
    client.force_login(users["advisor"])
    page = client.get(reverse("migrants:detail", args=[desk.pk])).content.decode()

    client.post(reverse("migrants:link_decide", args=[link_request.pk]), {"decision": "confirm"})

    desk.refresh_from_db()
    assert 'data-testid="profile-pending"' in waiting and 'data-testid="link-request"' in page
    assert desk.user == user and Migrant.objects.count() == 1


def test_the_link_decision_is_for_the_office_of_the_record(client, users, office):
    desk = MigrantFactory(office=office, email="lamine.coly@example.sn")
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    client.get(reverse("migrants:sign_up_confirm", args=[sign_up_token(User.objects.get(email="lamine.coly@example.sn"))]))
    url = reverse("migrants:link_decide", args=[LinkRequest.objects.get(migrant=desk).pk])
    expected = {
        "anonymous": LOGIN, "superuser": 302, "admin": 302, "advisor": 302, "other_office_advisor": 404,
        "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
    }

    assert_access_matrix(client, url, expected, users, method="post", data={"decision": "reject"})


def test_my_profile_pages_are_for_migrants(client, users, office):
    MigrantFactory(office=office, user=users["migrant"])
    MigrantFactory(office=office, user=users["other_migrant"])

    assert_access_matrix(client, reverse("migrants:me"), MIGRANT_ONLY, users)
    assert_access_matrix(client, reverse("migrants:my_data"), MIGRANT_ONLY, users)
    erasure = {**MIGRANT_ONLY, "migrant": 302, "other_migrant": 302}
    assert_access_matrix(client, reverse("migrants:my_erasure"), erasure, users, method="post")


def test_a_migrant_without_a_file_gets_404_for_data_and_erasure(client, users):
    client.force_login(users["migrant"])

    assert client.get(reverse("migrants:me")).status_code == 200
    assert client.get(reverse("migrants:my_data")).status_code == 404
    assert client.post(reverse("migrants:my_erasure")).status_code == 404


def test_a_migrant_corrects_their_profile_and_withdraws_a_consent(client, users, office):
    migrant = MigrantFactory(office=office, user=users["migrant"], consent_sharing=True)
    client.force_login(users["migrant"])

    client.post(reverse("migrants:me"), {
        "first_name": "Awa", "last_name": "Sané", "situation": "returned", "consent_processing": "on",
    })

    migrant.refresh_from_db()
    assert migrant.last_name == "Sané" and not migrant.consent_sharing
    assert migrant.history.first().history_user == users["migrant"]


def test_a_migrant_downloads_their_data_and_asks_for_erasure(client, users, office, needs):
    migrant = MigrantFactory(office=office, user=users["migrant"], first_name="Awa")
    migrant.visits.create(office=office).needs.add(needs["FUNDING"])
    client.force_login(users["migrant"])

    data = json.loads(client.get(reverse("migrants:my_data")).content)
    client.post(reverse("migrants:my_erasure"))

    migrant.refresh_from_db()
    person = data["migrants"]
    assert person["first_name"] == "Awa" and person["visits"][0]["needs"] == ["Recherche de financement"]
    assert migrant.erasure_requested_at is not None
