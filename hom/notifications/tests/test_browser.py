"""An advisor sees the bell's count, opens the notifications, marks them all read: the count clears."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.notifications.tests.factories import NotificationFactory
from hom.territories.models import Region

pytestmark = pytest.mark.browser


def test_an_advisor_reads_the_notifications_and_the_bell_clears(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office)
    NotificationFactory.create_batch(3, recipient=advisor)

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("notification-count")).to_have_text("3")

    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_test_id("notifications").get_by_role("listitem")).to_have_count(3)
    page.get_by_test_id("read-all").click()

    expect(page.get_by_text("3 notifications marquées comme lues.")).to_be_visible()
    expect(page.get_by_test_id("notification-bell")).to_be_visible()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
