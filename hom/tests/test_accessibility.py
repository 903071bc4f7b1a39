"""Every page of each role's main journey, in headless Chromium: axe-core finds no serious or
critical WCAG 2.2 A/AA violation, and nothing overflows sideways on a 375 px phone (issue 19).
One test per role walks its pages; each page is audited at 1280 px, then narrowed to 375 px,
measured, kept as a screenshot under ``test-artifacts/screens/`` and audited again there.

A test walks all its pages before failing, then lists every page's failures at once.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.formatting import format_fcfa
from hom.notifications.tests.factories import NotificationFactory
from hom.reports.tests.builders import small_cells_of
from hom.territories.models import Commune, NeedCategory, Region, Sector
from hom.testing.a11y import DESKTOP, PHONE, audit, check_phone, screenshot_path
from migrants.tests.factories import MigrantFactory, VisitFactory
from partnerships.tests.convention_factories import (
    ContributionFactory,
    ConventionBudgetLineFactory,
    ConventionFactory,
    ConventionPartyFactory,
    EventFactory,
    MeetingFactory,
    ReportingObligationFactory,
)
from partnerships.tests.factories import IntroductionFactory, OrganisationFactory
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

pytestmark = pytest.mark.browser


class Walk:
    """Visits pages, checks each at both widths and keeps every failure for the end."""

    def __init__(self, page, base_url, role):
        self.page, self.base_url, self.role = page, base_url, role
        self.failures = []
        self.checked = []

    def log_in(self, email):
        page = self.page
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        self.visit("/accounts/login/", "login")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        expect(page.get_by_test_id("dashboard-title")).to_be_visible()

    def visit(self, path, name, *, expect_text=None):
        self.page.set_viewport_size(DESKTOP)
        response = self.page.goto(f"{self.base_url}{path}")
        assert response.status == 200, f"{self.role}/{name}: {path} answered {response.status}"
        if expect_text:
            expect(self.page.get_by_role("main")).to_contain_text(expect_text)
        self.check(name)

    def check(self, name):
        """The page as it is now: axe at desktop width, then the phone."""
        label = f"{self.role}-{name}"
        self.page.set_viewport_size(DESKTOP)
        for step in (audit, partial(check_phone, with_audit=True)):
            try:
                step(self.page, label)
            except AssertionError as failure:
                self.failures.append(f"{self.page.url}\n{failure}")
        self.checked.append(label)

    def finish(self):
        assert not self.failures, f"{len(self.failures)} failure(s):\n\n" + "\n\n".join(self.failures)
        for label in self.checked:
            assert screenshot_path(label).exists(), label


@pytest.fixture
def world(live_app, reference_data):
    """An office with its people, dossiers, organisations, a convention and an event."""
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    needs = {need.code: need for need in NeedCategory.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    advisor = UserFactory(
        email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna"
    )
    persons = small_cells_of(sedhiou, office, needs, sectors, when=timezone.now() - timedelta(days=20))
    # A person with a follow-up due, whose page shows a timeline.
    ansou = MigrantFactory(
        office=office, first_name="Ansou", last_name="Mané", commune_of_origin=sedhiou, consent_sharing=True
    )
    VisitFactory(
        migrant=ansou,
        needs=[needs["FUNDING"]],
        notes="Cherche un financement pour un poulailler.",
        follow_up_on=timezone.localdate() - timedelta(days=1),
    )
    # The migrant with an account, and a dossier in progress with its budget.
    account = UserFactory(email="awa@example.sn", role=Role.MIGRANT, first_name="Awa", last_name="Badji")
    awa = MigrantFactory(office=office, user=account, first_name="Awa", last_name="Badji", commune_of_origin=sedhiou)
    dossier = DossierFactory(
        promoter=awa, title="Atelier de couture à Sédhiou", commune=sedhiou, sector=sectors["ARTI"]
    )
    for label, quantity, cost in (
        ("Machines à coudre industrielles", 4, 250_000),
        ("Tissu et fournitures", 1, 150_000),
    ):
        BudgetLineFactory(dossier=dossier, label=label, quantity=quantity, unit_cost=cost)
    FinancingLineFactory(dossier=dossier, source="own", amount=300_000)
    submitted = DossierFactory(
        promoter=persons[0],
        title="Poulailler de Marsassoum",
        commune=sedhiou,
        status=DossierStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    BudgetLineFactory(dossier=submitted)
    # Organisations: a diaspora association (introduced to Ansou) and a partner with an account.
    association = OrganisationFactory(name="Association des ressortissants de Sédhiou en France", country="FR")
    IntroductionFactory(migrant=ansou, organisation=association)
    partner = UserFactory(email="grdr@example.sn", role=Role.PARTNER, first_name="Claire", last_name="Martin")
    grdr = OrganisationFactory(
        name="Grdr Migration-Citoyenneté-Développement", acronym="Grdr", country="FR", partner_users=[partner]
    )
    convention = ConventionFactory(office=office, title="Convention ARD – Grdr 2026-2027")
    ard = OrganisationFactory(name="Agence régionale de développement de Sédhiou", acronym="ARD Sédhiou", country="SN")
    parties = [
        ConventionPartyFactory(convention=convention, organisation=organisation)
        for organisation in (ard, grdr, association)
    ]
    for activity, amount in (
        ("Forum de la diaspora à Sédhiou", 5_000_000),
        ("Formation des porteurs de projets", 2_500_000),
    ):
        line = ConventionBudgetLineFactory(convention=convention, activity=activity, amount=amount)
        for party in parties:
            ContributionFactory(budget_line=line, party=party, committed=amount // 4)
    ReportingObligationFactory(convention=convention, party=parties[0])
    event = EventFactory(
        office=office, title="Formation en gestion de projet", starts_on=timezone.localdate() + timedelta(days=10)
    )
    event.organisers.add(grdr)
    meeting = MeetingFactory(convention=convention, agenda="Bilan du premier semestre.")
    meeting.organisations.add(grdr)
    authority = UserFactory(email="mairie@example.sn", role=Role.AUTHORITY, communes=[sedhiou])
    for user in (advisor, account, partner):
        NotificationFactory(recipient=user, title="Un dossier attend votre relecture", url=dossier.get_absolute_url())
    return {
        "office": office,
        "advisor": advisor,
        "ansou": ansou,
        "awa": awa,
        "dossier": dossier,
        "submitted": submitted,
        "convention": convention,
        "event": event,
        "meeting": meeting,
        "authority": authority,
        "grdr": grdr,
        "sedhiou": sedhiou,
        "url": live_app.url,
    }


def test_the_public_pages(world, page):
    walk = Walk(page, world["url"], "public")
    walk.visit("/accounts/login/", "login")
    # The login form with its error shown once.
    page.get_by_label("Adresse e-mail").fill("personne@example.sn")
    page.get_by_label("Mot de passe").fill("mauvais-mot-de-passe")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("main").locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    walk.check("login-error")
    walk.visit("/", "home")
    walk.visit(f"/communes/{world['sedhiou'].code}/", "commune-profile", expect_text="Sédhiou")
    walk.visit("/funding/", "funding-catalogue")
    walk.visit("/accounts/password_reset/", "password-reset")
    walk.visit("/migrants/sign-up/", "sign-up")
    page.get_by_role("main").locator("button[type=submit]").last.click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    walk.check("sign-up-errors")
    walk.finish()


def _current_step_fits_a_phone(page, step):
    page.set_viewport_size(PHONE)
    current = page.get_by_role("navigation", name="Étapes").locator("[aria-current=step]")
    expect(current).to_be_visible()
    expect(current).to_contain_text(step)
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"step {step!r} is cut: {box}"
    page.set_viewport_size(DESKTOP)


def _fits_the_phone(locator, what):
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{what} is off the phone's screen: {box}"


def _budget_table_is_whole_at_desktop_width(page):
    """The convention budget (a column per party) shows every column at 1280 px, without scrolling."""
    page.set_viewport_size(DESKTOP)
    table = page.get_by_test_id("budget-table")
    expect(table.locator("thead th")).to_have_count(3 + 4)
    widths = table.evaluate("(t) => ({table: t.scrollWidth, box: t.parentElement.clientWidth})")
    assert widths["table"] <= widths["box"], f"the convention budget is cut at 1280 px: {widths}"


def test_the_advisor_journey(world, page):
    walk = Walk(page, world["url"], "advisor")
    ansou, dossier, submitted, convention = world["ansou"], world["dossier"], world["submitted"], world["convention"]
    walk.log_in("lamine@example.sn")
    walk.check("dashboard")
    walk.visit("/migrants/", "registry", expect_text="Mané")
    walk.visit("/migrants/?q=mane", "registry-search", expect_text="Ansou")
    walk.visit("/migrants/new/", "new-person")
    page.get_by_role("main").get_by_role("button", name="Inscrire").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    walk.check("new-person-errors")
    walk.visit(f"/migrants/{ansou.pk}/", "person", expect_text="Ansou Mané")
    walk.visit(f"/migrants/{ansou.pk}/visits/new/", "visit-form")
    walk.visit("/migrants/walk-ins/new/", "walk-in")
    walk.visit("/migrants/follow-ups/", "follow-ups", expect_text="Mané")
    walk.visit("/projects/", "dossiers", expect_text="Atelier de couture")
    walk.visit("/projects/queue/", "queue", expect_text="Poulailler de Marsassoum")
    walk.visit(f"/projects/{submitted.pk}/", "dossier", expect_text="Poulailler de Marsassoum")
    walk.visit(f"/projects/{dossier.pk}/", "dossier-draft", expect_text="Atelier de couture")
    for step in ("idea", "budget", "documents"):
        walk.visit(f"/projects/{dossier.pk}/edit/{step}/", f"wizard-{step}")
    walk.visit("/funding/", "funding-catalogue")
    walk.visit("/reports/", "reports")
    walk.visit("/partnerships/", "associations", expect_text="Association des ressortissants")
    walk.visit(f"/partnerships/migrant/{ansou.pk}/matches/", "matches")
    walk.visit("/partnerships/introductions/follow-ups/", "introductions")
    walk.visit("/partnerships/conventions/", "conventions", expect_text="Convention ARD")
    walk.visit(f"/partnerships/conventions/{convention.pk}/", "convention", expect_text="Forum de la diaspora")
    _budget_table_is_whole_at_desktop_width(page)
    walk.visit("/partnerships/events/", "events", expect_text="Formation en gestion de projet")
    walk.visit("/notifications/", "notifications", expect_text="Un dossier attend votre relecture")
    walk.finish()


def test_the_migrant_journey(world, page):
    walk = Walk(page, world["url"], "migrant")
    dossier = world["dossier"]
    walk.log_in("awa@example.sn")
    walk.check("dashboard")
    walk.visit("/migrants/me/", "profile", expect_text="Badji")
    walk.visit("/projects/", "my-dossiers", expect_text="Atelier de couture")
    walk.visit("/projects/new/", "new-dossier")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    walk.check("new-dossier-errors")
    for number, step in enumerate(("idea", "market", "team", "budget", "documents"), start=1):
        walk.visit(f"/projects/{dossier.pk}/edit/{step}/", f"wizard-{number}-{step}")
        _current_step_fits_a_phone(page, f"{number}.")
    expect(page.get_by_test_id("checklist")).to_be_visible()
    walk.visit(f"/projects/{dossier.pk}/edit/budget/", "wizard-budget", expect_text="Machines à coudre industrielles")
    # On the phone every budget line's amount and its Remove button are on the screen, without scrolling sideways.
    page.set_viewport_size(PHONE)
    for line in ("Machines à coudre industrielles", "Tissu et fournitures"):
        row = page.get_by_test_id("budget-area").get_by_role("row").filter(has_text=line)
        quantity, unit_cost = (4, 250_000) if line.startswith("Machines") else (1, 150_000)
        expect(row).to_contain_text(f"{quantity} × {format_fcfa(unit_cost)}")
        for part in (
            row.get_by_role("cell").filter(has_text="FCFA").last,
            row.get_by_role("button", name=f"Retirer {line}"),
        ):
            _fits_the_phone(part, line)
    walk.visit(f"/projects/{dossier.pk}/", "dossier", expect_text="Atelier de couture")
    walk.visit("/migrants/me/data/", "my-data", expect_text="Badji")
    walk.visit("/notifications/", "notifications")
    walk.finish()


def test_the_authority_journey(world, page):
    walk = Walk(page, world["url"], "authority")
    walk.log_in("mairie@example.sn")
    walk.check("dashboard")
    walk.visit("/reports/commune/SN1103_SEDHIOU/", "report", expect_text="Sédhiou")
    expect(page.locator("td[data-cell]").first).to_be_visible()
    walk.visit("/reports/commune/SN1103_SEDHIOU/print/", "report-print", expect_text="Sédhiou")
    walk.finish()


def test_the_partner_journey(world, page):
    walk = Walk(page, world["url"], "partner")
    convention, event = world["convention"], world["event"]
    walk.log_in("grdr@example.sn")
    walk.check("dashboard")
    walk.visit("/partnerships/mine/", "organisation", expect_text="Grdr")
    walk.visit("/partnerships/conventions/", "conventions", expect_text="Convention ARD")
    walk.visit(f"/partnerships/conventions/{convention.pk}/", "convention", expect_text="Forum de la diaspora")
    walk.visit(f"/partnerships/conventions/{convention.pk}/meetings/", "meetings", expect_text="ARD Sédhiou")
    walk.visit(f"/partnerships/meetings/{world['meeting'].pk}/", "meeting", expect_text="Bilan du premier semestre")
    walk.visit(f"/partnerships/events/{event.pk}/", "event", expect_text="Formation en gestion de projet")
    walk.visit("/notifications/", "notifications")
    walk.finish()


def test_the_checks_fail_on_a_page_that_breaks_them(page):
    """The attack: a pale text, an image without alternative and a block wider than a phone."""
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>Essai</title></head><body style="margin:0"><main>'
        '<h1>Essai</h1><p style="color:#bbb;background:#fff">Texte trop pâle</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">'
        '<div id="too-wide" style="width:600px">Un tableau trop large</div></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        audit(page, "attack")
    assert "color-contrast" in str(failure.value) and "image-alt" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        check_phone(page, "attack")
    assert "600 px wide on a 375 px phone" in str(failure.value) and "div#too-wide" in str(failure.value)
    assert screenshot_path("attack").exists()
