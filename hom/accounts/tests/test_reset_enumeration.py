"""Password reset tells nobody which addresses have an account (issue 17): the same answer for a
known and an unknown address; only the owner of a known one gets an email."""
import re

from django.core import mail
from django.urls import reverse


def _visible(response):
    """What a person sees: the page without its one-time CSRF tokens."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, users):
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.sn"}, follow=True)
    known = client.post(reverse("password_reset"), {"email": " Advisor@Example.sn"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert unknown.status_code == known.status_code == 200
    assert _visible(unknown) == _visible(known)
    # The unknown address gets nothing; the owner of the known one gets the link to choose a password.
    assert [message.to for message in mail.outbox] == [["advisor@example.sn"]]
    assert re.search(r"http://testserver/accounts/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)


def test_a_deactivated_account_gets_the_same_answer_and_no_email(client, users):
    advisor = users["advisor"]
    advisor.is_active = False
    advisor.save()

    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.sn"}, follow=True)
    inactive = client.post(reverse("password_reset"), {"email": advisor.email}, follow=True)

    assert _visible(unknown) == _visible(inactive) and mail.outbox == []
