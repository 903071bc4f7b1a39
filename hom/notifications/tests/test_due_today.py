"""The staff dashboard's "Today" card: the person's due items, live, from the digest's providers."""
from datetime import timedelta

import pytest
from django.urls import reverse

from hom.testing.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _card(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="due-today"')
    return html[start:html.index("</div></div>", start)]


def test_an_advisor_sees_their_overdue_follow_up_on_the_dashboard_and_another_advisor_does_not(
    client, users, follow_up, today
):
    follow_up(today - timedelta(days=3))

    client.force_login(users["advisor"])
    mine = _card(client.get(reverse("home")))
    client.force_login(users["other_office_advisor"])
    theirs = _card(client.get(reverse("home")))

    assert "Awa Sané" in mine and 'data-kind="follow_up"' in mine and "En retard" in mine
    assert "Awa Sané" not in theirs and "Rien n’arrive à échéance aujourd’hui." in theirs.replace("'", "’")


def test_the_card_shows_eight_items_and_says_how_many_more(client, users, follow_up, today):
    for days in range(10):
        follow_up(today - timedelta(days=days))
    client.force_login(users["advisor"])

    card = _card(client.get(reverse("home")))

    assert card.count('data-testid="due-item"') == 8
    assert "2 autres" in card


def test_the_dashboard_keeps_its_query_count_whatever_falls_due(client, users, follow_up, today):
    client.force_login(users["advisor"])

    assert_constant_queries(
        client, reverse("home"), make_rows=lambda count: [follow_up(today - timedelta(days=n % 5)) for n in range(count)]
    )
