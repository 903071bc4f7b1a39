"""A migrant books an appointment on a phone; the advisor's day shows it and turns it into a visit in one click
(issue 24, part 4), in headless Chromium."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import DESKTOP, PHONE, audit, check_page, check_phone
from migrants.models import Booking, Slot, Visit

from .factories import MigrantFactory, SlotFactory

pytestmark = pytest.mark.browser


def _login(page, live_app, user):
    page.context.clear_cookies()
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_a_migrant_books_on_a_phone_and_the_advisor_turns_it_into_a_visit(live_app, reference_data, served_static,
                                                                           page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="conseiller@example.sn", first_name="Mamadou", last_name="Coly", role=Role.ADVISOR,
                          office=office)
    account = UserFactory(email="ousmane@example.sn", role=Role.MIGRANT)
    person = MigrantFactory(office=office, user=account, first_name="Ousmane", last_name="Diédhiou")
    tomorrow = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) + timedelta(days=1)
    slot = SlotFactory(advisor=advisor, starts_at=tomorrow)
    SlotFactory(advisor=advisor, starts_at=tomorrow + timedelta(hours=2), kind="phone")

    page.set_viewport_size(PHONE)
    _login(page, live_app, account)
    page.goto(f"{live_app.url}/appointments/book/")
    expect(page.get_by_role("heading", name="Prendre rendez-vous", exact=True)).to_be_visible()
    check_phone(page, "appointment-book-375", with_audit=True)
    page.get_by_test_id("book-slot").filter(has_text="09:30").click()

    expect(page.locator(".alert-success")).to_contain_text("Votre rendez-vous est réservé")
    expect(page.get_by_test_id("my-appointments")).to_contain_text("09:30")
    expect(page.get_by_test_id("book-slot")).to_have_count(1)
    check_phone(page, "appointment-booked-375")
    assert Booking.objects.get().migrant == person

    # The appointment's time comes: the slot is now an hour ago, on its day.
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    day = timezone.localdate(timezone.now() - timedelta(hours=1))
    page.set_viewport_size(DESKTOP)
    _login(page, live_app, advisor)
    page.get_by_role("link", name="Rendez-vous").first.click()
    page.get_by_label("Jour").fill(f"{day:%Y-%m-%d}")
    page.get_by_role("button", name="Afficher").click()
    booking_row = page.get_by_test_id("booking")
    expect(booking_row).to_contain_text("Ousmane Diédhiou")
    check_page(page, "appointment-day")
    booking_row.get_by_test_id("booking-visit").click()

    expect(page.get_by_test_id("booking")).to_contain_text("Visite enregistrée")
    expect(page.get_by_test_id("booking-visit")).to_have_count(0)
    audit(page, "appointment-day-after-visit")
    visit = Visit.objects.get()
    assert (visit.migrant, visit.advisor) == (person, advisor)
    page.get_by_test_id("booking").get_by_role("link", name="Visite enregistrée").click()
    expect(page.get_by_test_id("migrant-name")).to_contain_text("Ousmane Diédhiou")
    expect(page.locator("#visits")).to_contain_text("Mamadou Coly")
    expect(page.get_by_test_id("migrant-appointments")).to_contain_text("Présent(e)")
