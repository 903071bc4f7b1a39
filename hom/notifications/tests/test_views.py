"""Notifications pages: who reaches them, constant queries, marking read, preferences, the bell."""
import pytest
from django.urls import reverse

from hom.notifications.models import Notification, NotificationPreference
from hom.notifications.tests.factories import NotificationFactory
from hom.testing.access import LOGIN, ROLES, assert_access_matrix
from hom.testing.queries import assert_constant_queries, count_queries

EVERYONE_LOGGED_IN = {role: 200 for role in ROLES} | {"anonymous": LOGIN}


@pytest.mark.parametrize("url_name", ["notifications:list", "notifications:preferences"])
def test_every_logged_in_person_has_notifications_and_preferences(client, users, url_name):
    assert_access_matrix(client, reverse(url_name), EVERYONE_LOGGED_IN, users)


def test_only_the_recipient_marks_a_notification_read_others_get_404(client, users):
    notification = NotificationFactory(recipient=users["advisor"], url="/migrants/")
    expected = {role: 404 for role in ROLES} | {"anonymous": LOGIN, "advisor": 302}

    assert_access_matrix(client, reverse("notifications:read", args=[notification.pk]), expected, users, method="post")


def test_everyone_logged_in_may_mark_all_their_notifications_read(client, users):
    expected = {role: 302 for role in ROLES} | {"anonymous": LOGIN}

    assert_access_matrix(client, reverse("notifications:read_all"), expected, users, method="post")


def test_marking_read_needs_a_post(client, users):
    notification = NotificationFactory(recipient=users["advisor"])
    client.force_login(users["advisor"])

    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_the_list_query_count_does_not_grow_and_shows_only_my_notifications(client, users):
    client.force_login(users["advisor"])
    NotificationFactory(recipient=users["admin"], title="Pas pour moi")

    response = assert_constant_queries(
        client,
        reverse("notifications:list"),
        make_rows=lambda count: NotificationFactory.create_batch(count, recipient=users["advisor"]),
    )

    assert response.content.decode().count("Relancer la personne") == 20
    assert "Pas pour moi" not in response.content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, users):
    notification = NotificationFactory(recipient=users["advisor"], url="/migrants/")
    client.force_login(users["advisor"])

    response = client.post(reverse("notifications:read", args=[notification.pk]))

    assert response["Location"] == "/migrants/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, users):
    notification = NotificationFactory(recipient=users["advisor"], url="https://evil.example/")
    client.force_login(users["advisor"])

    response = client.post(reverse("notifications:read", args=[notification.pk]))

    assert response["Location"] == reverse("notifications:list")


def test_the_bell_shows_the_unread_count_at_one_query_and_clears_once_all_are_read(client, users):
    NotificationFactory.create_batch(3, recipient=users["advisor"])
    NotificationFactory(recipient=users["admin"])
    client.force_login(users["advisor"])
    home = reverse("home")

    before, response = count_queries(client, home)
    NotificationFactory.create_batch(5, recipient=users["advisor"])
    after, _ = count_queries(client, home)
    client.post(reverse("notifications:read_all"))
    cleared = client.get(home).content.decode()

    assert 'data-testid="notification-count">3</span>' in response.content.decode()
    assert before == after
    assert 'data-testid="notification-bell"' in cleared
    assert 'data-testid="notification-count"' not in cleared


def test_anonymous_visitors_have_no_bell(client, db):
    assert 'data-testid="notification-bell"' not in client.get(reverse("login")).content.decode()


def test_preferences_are_saved_and_shown_again(client, users):
    client.force_login(users["migrant"])

    response = client.post(
        reverse("notifications:preferences"), {"kinds": ["changes_requested"], "language": "en"}, follow=True
    )

    preference = NotificationPreference.objects.get(recipient=users["migrant"])
    assert (preference.kinds, preference.email_enabled, preference.language) == (["changes_requested"], False, "en")
    assert "Vos préférences sont enregistrées." in response.content.decode()


def test_bad_preferences_are_refused_with_a_message_and_keep_what_was_typed(client, users):
    client.force_login(users["migrant"])

    response = client.post(reverse("notifications:preferences"), {"kinds": ["nonsense", "follow_up"], "language": "xx"})

    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_mark_all_read_touches_only_my_notifications(client, users):
    NotificationFactory(recipient=users["advisor"])
    theirs = NotificationFactory(recipient=users["admin"])
    client.force_login(users["advisor"])

    client.post(reverse("notifications:read_all"))

    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert not Notification.objects.filter(recipient=users["advisor"], read_at__isnull=True).exists()
