"""Sign-up tells nobody which addresses have an account (issue 17): a known address gets the
same answer as a new one, and its owner an email instead of a second account."""
import re

from django.core import mail
from django.urls import reverse

from hom.accounts.models import User
from migrants.models import PendingSignUp
from migrants.tests.test_rights import sign_up_data


def _visible(response):
    """What a person sees: the page without its one-time CSRF tokens."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, users, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("migrants:sign_up"), sign_up_data(office, email="nouveau@example.sn"))
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("migrants:sign_up"), sign_up_data(office, email="Advisor@Example.sn"))
    unknown_page = _visible(unknown).replace("nouveau@example.sn", "ADDRESS")
    known_page = _visible(known).replace("advisor@example.sn", "ADDRESS")

    assert unknown.status_code == known.status_code == 200
    pages = [[t.name for t in response.templates if t.name.endswith(".html")] for response in (unknown, known)]
    assert pages[0] == pages[1]
    assert unknown_page == known_page and 'data-testid="sign-up-sent"' in known_page
    # One account was made, for the new address only; the advisor's account is untouched.
    assert User.objects.filter(email="nouveau@example.sn").exists()
    assert User.objects.filter(email__iexact="advisor@example.sn").count() == 1
    assert not PendingSignUp.objects.filter(user=users["advisor"]).exists()
    # Each got one email: a confirmation link for the new address, a warning for the owner.
    assert [message.to for message in mail.outbox] == [["nouveau@example.sn"], ["advisor@example.sn"]]
    warning = mail.outbox[1]
    assert "Quelqu’un" in warning.subject or "quelqu’un" in warning.body.lower()
    assert "http://testserver" + reverse("password_reset") in warning.body
    assert "sign-up/confirm" not in warning.body


def test_the_known_address_costs_the_same_password_hashing(client, users, office, monkeypatch):
    from django.contrib.auth import base_user, hashers

    real, hashed = hashers.make_password, []

    def counting(password, *args, **kwargs):
        hashed.append(password)
        return real(password, *args, **kwargs)

    monkeypatch.setattr(hashers, "make_password", counting)
    monkeypatch.setattr(base_user, "make_password", counting)

    client.post(reverse("migrants:sign_up"), sign_up_data(office, email="nouveau@example.sn"))
    new_address = len(hashed)
    client.post(reverse("migrants:sign_up"), sign_up_data(office, email="advisor@example.sn"))

    assert new_address == 1 and len(hashed) - new_address == 1


def test_a_sign_up_waiting_for_confirmation_gets_its_link_again(client, office, django_capture_on_commit_callbacks):
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("migrants:sign_up"), sign_up_data(office))
    link = re.search(r"http://testserver(/\S*sign-up/confirm/\S+)", mail.outbox[-1].body).group(1)

    assert 'data-testid="sign-up-sent"' in again.content.decode()
    assert User.objects.filter(email="lamine.coly@example.sn").count() == 1
    assert client.get(link)["Location"] == reverse("login")
    assert User.objects.get(email="lamine.coly@example.sn").is_active
