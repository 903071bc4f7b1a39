"""A convention's follow-up in headless Chromium: staff record a meeting, add its two action items
and mark one done with htmx, the row changing in place."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from partnerships.events.models import ActionItem, Meeting

from .event_factories import convention_with_party
from .factories import OrganisationFactory

pytestmark = pytest.mark.browser


def test_staff_record_a_meeting_with_two_actions_and_mark_one_done(live_app, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine",
                          last_name="Sagna")
    grdr = OrganisationFactory(name="Grdr", country="FR", city="Montreuil")
    convention = convention_with_party(office, grdr, title="Convention ARD – Grdr")
    held_at = timezone.localtime() - timedelta(days=2)
    overdue_on = timezone.localdate() - timedelta(days=1)
    next_week = timezone.localdate() + timedelta(days=7)

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}/partnerships/conventions/{convention.pk}/meetings/new/")
    page.locator("#id_held_at").fill(held_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("ARD Sédhiou")
    page.get_by_label("Grdr").check()
    page.locator("#id_minutes").fill("Le comité a validé le plan de travail.")
    page.locator("#id_decisions").fill("Le Grdr transmet son rapport sous quinzaine.")
    page.get_by_test_id("meeting-form").locator("button[type=submit]").click()

    expect(page.get_by_test_id("minutes")).to_contain_text("Le comité a validé le plan de travail.")
    for description, owner, due_on in (
        ("Relancer le Grdr pour son rapport", str(advisor.pk), overdue_on),
        ("Arrêter la liste des porteurs", "", next_week),
    ):
        form = page.get_by_test_id("action-form")
        form.locator("#id_description").fill(description)
        if owner:
            form.locator("#id_owner").select_option(owner)
        form.locator("#id_due_on").fill(due_on.isoformat())
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("actions")).to_contain_text(description)

    actions = page.get_by_test_id("actions").get_by_test_id("action")
    expect(actions).to_have_count(2)
    overdue = actions.filter(has_text="Relancer le Grdr")
    expect(overdue).to_contain_text(overdue_on.strftime("%d/%m/%Y"))
    page.evaluate("window.sameDocument = true")
    overdue.locator("button[type=submit]").click()

    # htmx swapped the row in place: marked done, and no new page was loaded.
    expect(actions.filter(has_text="Relancer le Grdr").locator(".text-bg-success")).to_be_visible()
    assert page.evaluate("window.sameDocument === true")

    meeting = Meeting.objects.get(convention=convention)
    assert meeting.organisations.get() == grdr
    assert list(ActionItem.objects.filter(meeting=meeting).values_list("done_on", flat=True).order_by("due_on")) == [
        timezone.localdate(), None,
    ]
