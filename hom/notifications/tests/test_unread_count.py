"""The bell's unread count is cached per person and never stale after a change (issue 18)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hom.notifications import personal_data, services
from hom.notifications.counts import cache_key
from hom.notifications.models import Notification
from hom.notifications.selectors import unread_count
from hom.notifications.tests.conftest import TODAY
from hom.notifications.tests.factories import NotificationFactory


def _bell(client) -> str:
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="notification-bell"' in page
    if 'data-testid="notification-count">' not in page:
        return "0"
    return page.split('data-testid="notification-count">')[1].split("</span>")[0]


def _notification_queries(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries if "notifications_notification" in query["sql"]]


def test_pages_within_the_minute_do_not_count_again(client, users):
    NotificationFactory.create_batch(2, recipient=users["advisor"])
    client.force_login(users["advisor"])
    assert _bell(client) == "2"

    with CaptureQueriesContext(connection) as context:
        assert _bell(client) == "2"

    assert _notification_queries(context) == []


def test_the_count_is_per_person(client, users):
    NotificationFactory.create_batch(2, recipient=users["advisor"])
    NotificationFactory(recipient=users["admin"])

    assert unread_count(users["advisor"]) == 2
    assert unread_count(users["admin"]) == 1


def test_a_new_notification_shows_on_the_next_page(client, users):
    client.force_login(users["advisor"])
    assert _bell(client) == "0"

    services.notification_record(
        recipient=users["advisor"], kind="follow_up", object_key="migrants.visit:1", title="Relance"
    )

    assert _bell(client) == "1"


def test_the_digest_notifications_show_on_the_next_page(client, users, follow_up, today):
    follow_up(TODAY)
    client.force_login(users["advisor"])
    assert _bell(client) == "0"

    services.digest_send(recipient=users["advisor"], day=today)

    assert _bell(client) == "1"


def test_reading_one_then_all_lowers_the_count_at_once(client, users):
    first, *_ = NotificationFactory.create_batch(3, recipient=users["advisor"])
    client.force_login(users["advisor"])
    assert _bell(client) == "3"

    client.post(reverse("notifications:read", args=[first.pk]))
    assert _bell(client) == "2"

    client.post(reverse("notifications:read_all"))
    assert _bell(client) == "0"


def test_reading_by_keys_lowers_the_count(client, users):
    NotificationFactory(recipient=users["advisor"], object_key="projects.transition:1")
    NotificationFactory(recipient=users["advisor"], object_key="projects.transition:2")
    client.force_login(users["advisor"])
    assert _bell(client) == "2"

    services.notifications_mark_read_by_keys(user=users["advisor"], object_keys=["projects.transition:1"])

    assert _bell(client) == "1"


def test_deleted_notifications_leave_the_count(client, users):
    one, _ = NotificationFactory.create_batch(2, recipient=users["advisor"])
    NotificationFactory(recipient=users["advisor"], object_key="migrants.visit:77")
    client.force_login(users["advisor"])
    assert _bell(client) == "3"

    personal_data.notifications_forget(key_prefixes=["migrants.visit:77"])
    assert _bell(client) == "2"

    one.delete()
    assert _bell(client) == "1"

    Notification.objects.filter(recipient=users["advisor"]).delete()
    assert _bell(client) == "0"


def test_someone_elses_change_keeps_my_cached_count(client, users):
    NotificationFactory(recipient=users["advisor"])
    client.force_login(users["advisor"])
    assert _bell(client) == "1"

    NotificationFactory(recipient=users["admin"])
    with CaptureQueriesContext(connection) as context:
        assert _bell(client) == "1"

    assert _notification_queries(context) == []


def test_a_count_cached_by_another_page_before_the_commit_is_forgotten_at_the_commit(
    users, django_capture_on_commit_callbacks
):
    advisor = users["advisor"]
    NotificationFactory.create_batch(2, recipient=advisor)

    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_mark_all_read(user=advisor)
        # Meanwhile a page in another connection, not seeing the uncommitted update, cached the old count.
        cache.set(cache_key(advisor.pk), 2)

    assert unread_count(advisor) == 0
