"""A referral to a partner offer in headless Chromium: an advisor finds the offer in the public
catalogue (on a phone), refers a person from the offer's page by file number, moves the referral
to accepted from the person's page, and the page shows it."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import audit, check_phone
from migrants.tests.factories import MigrantFactory
from partnerships.offers.models import OfferKind, OfferReferral, ReferralStatus

from .factories import OrganisationFactory
from .offer_factories import PartnerOfferFactory

pytestmark = pytest.mark.browser


def test_an_advisor_refers_a_person_to_an_offer_and_moves_it_to_accepted(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    person = MigrantFactory(office=office, first_name="Seydou", last_name="Mané", consent_sharing=True)
    PartnerOfferFactory(office=office, title="Microassurance santé", kind=OfferKind.INSURANCE,
                        target_groups="diaspora")
    loan = PartnerOfferFactory(office=office, title="Crédit de réinstallation", kind=OfferKind.LOAN,
                        target_groups="returnees,youth", amount_min_xof=250_000, amount_max_xof=3_000_000,
                        organisation=OrganisationFactory(name="Mutuelle de Sédhiou"))

    # The public catalogue, on a phone, searched by kind.
    page.goto(f"{live_app.url}/partnerships/offers/")
    check_phone(page, "offers-catalogue", with_audit=True)
    page.get_by_label("Type d'offre").select_option("loan")
    expect(page.get_by_test_id("offer-result")).to_have_count(1)
    expect(page.get_by_test_id("offer-result")).to_contain_text("3 000 000")
    audit(page, "offers-catalogue-filtered")

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lamine@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}/partnerships/offers/")
    page.get_by_role("link", name="Crédit de réinstallation").click()
    audit(page, "offer-detail")
    page.get_by_label("Numéro de dossier de la personne").fill(person.file_number)
    page.get_by_test_id("offer-find-person").get_by_role("button", name="Orienter").click()

    form = page.get_by_test_id("referral-form")
    expect(form.locator("#id_offer")).to_have_value(str(loan.pk))
    form.get_by_label("Pourquoi cette offre").fill("Projet de transformation de mangues.")
    audit(page, "referral-form")
    form.get_by_role("button", name="Enregistrer l'orientation").click()

    referrals = page.get_by_test_id("migrant-referrals")
    expect(referrals).to_contain_text("Crédit de réinstallation")
    expect(referrals.get_by_test_id("referral-status")).to_have_text("Proposée")
    referrals.get_by_label("Nouveau statut").select_option("accepted")
    referrals.get_by_label("Résultat").fill("Rendez-vous à l'agence le 12.")
    referrals.get_by_role("button", name="Mettre à jour").click()

    referrals = page.get_by_test_id("migrant-referrals")
    expect(referrals.get_by_test_id("referral-status")).to_have_text("Acceptée")
    expect(referrals).to_contain_text("Rendez-vous à l'agence le 12.")
    check_phone(page, "person-referrals", with_audit=True)
    referral = OfferReferral.objects.get()
    assert referral.migrant == person and referral.status == ReferralStatus.ACCEPTED
