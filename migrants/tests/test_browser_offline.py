"""Offline capture in headless Chromium (docs/offline.md): an advisor without a network counts a walk-in,
registers a person and logs their visit; back online, each record reaches the server once, with the time
it was entered and its advisor, and the device keeps nothing."""
import time
from datetime import datetime

import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import audit, check_phone
from migrants.models import Migrant, OfflineItem, Visit

from .factories import MigrantFactory

pytestmark = pytest.mark.browser

ITEMS = "() => HomOutbox.list(document.querySelector('meta[name=hom-user]').content)"
OUTBOX_EMPTY = "async () => (await HomOutbox.list(document.querySelector('meta[name=hom-user]').content)).length === 0"
PAGES_KEPT = "async () => (await (await caches.open('hom-pages')).keys()).length >= 3"


@pytest.fixture
def advisor(live_app, reference_data):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    return UserFactory(email="lamine@example.sn", first_name="Lamine", last_name="Sané", role=Role.ADVISOR,
                       office=office)


def _sign_in(page, live_app, email):
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("main").get_by_role("button", name="Se connecter")).to_have_count(0)


def _eventually(check, seconds=10):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the server never got the records"
        time.sleep(0.2)


def _when(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def test_records_entered_offline_reach_the_server_once_with_their_time_and_advisor(
    live_app, served_static, advisor, page, context
):
    _sign_in(page, live_app, advisor.email)
    page.goto(f"{live_app.url}/migrants/walk-ins/new/")
    # The service worker took the page over and keeps the three offline pages.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(PAGES_KEPT)

    context.set_offline(True)
    page.reload()
    outbox = page.get_by_test_id("outbox")
    expect(outbox).to_contain_text("Pas de réseau")
    expect(page.get_by_role("heading", name="Compter un passage anonyme")).to_be_visible()

    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("Enregistré sur cet appareil")
    expect(outbox).to_contain_text("1 fiche en attente d’envoi")

    page.goto(f"{live_app.url}/migrants/new/")
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label("Nom*", exact=True).fill("Mané")
    page.get_by_label("Consent au traitement par le bureau").check()
    page.get_by_role("button", name="Inscrire").click()
    expect(outbox).to_contain_text("2 fiches en attente d’envoi")
    page.get_by_role("link", name="Noter une visite de cette personne (Awa Mané)").click()

    registration = [item for item in page.evaluate(ITEMS) if item["kind"] == "registration"]
    expect(page.get_by_label("Personne inscrite sur cet appareil")).to_have_value(registration[0]["client_id"])
    page.get_by_label("Services rendus").fill("Orientation vers le FAISE")
    page.get_by_role("button", name="Enregistrer la visite sur cet appareil").click()
    expect(outbox).to_contain_text("3 fiches en attente d’envoi")
    check_phone(page, "offline-outbox-375")
    items = page.evaluate(ITEMS)
    assert [item["kind"] for item in items] == ["walk_in", "registration", "visit"]
    assert not Visit.objects.exists() and not Migrant.objects.exists()

    # A page that needs the network shows the offline page, in French.
    page.goto(f"{live_app.url}/migrants/")
    expect(page.get_by_test_id("offline-page")).to_contain_text("Vous êtes hors ligne")
    audit(page, "offline-page")
    check_phone(page, "offline-page-375")

    page.goto(f"{live_app.url}/migrants/walk-ins/new/")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(OUTBOX_EMPTY)
    # The outbox empties as the answers arrive; the live server's thread may commit a moment later.
    _eventually(lambda: Visit.objects.count() == 2 and Migrant.objects.count() == 1)
    walk_in = Visit.objects.get(migrant__isnull=True)
    person = Migrant.objects.get()
    visit = person.visits.get()
    assert walk_in.occurred_at == _when(items[0]["entered_at"])
    assert person.created_at == _when(items[1]["entered_at"])
    assert visit.occurred_at == _when(items[2]["entered_at"])
    assert (walk_in.advisor, person.advisor, visit.advisor) == (advisor, advisor, advisor)
    assert visit.services_given == "Orientation vers le FAISE"
    assert OfflineItem.objects.count() == 3
    expect(outbox).to_contain_text("Tout ce qui était enregistré sur cet appareil a été envoyé.")


def test_an_item_whose_answer_was_lost_is_sent_again_and_created_once(live_app, served_static, advisor, page,
                                                                      context):
    _sign_in(page, live_app, advisor.email)
    page.goto(f"{live_app.url}/migrants/walk-ins/new/")
    context.set_offline(True)
    page.get_by_label("Sexe").select_option(label="Homme")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("outbox")).to_contain_text("1 fiche en attente d’envoi")

    # The server saves the walk-in, then the network drops before the answer arrives.
    answered = []

    def lose_the_answer(route):
        route.fetch()
        answered.append(route.request.url)
        route.abort("connectionreset")

    page.route("**/api/v1/walk-ins/", lose_the_answer)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.querySelector('[data-outbox-send]') && "
                           "!document.querySelector('[data-outbox-send]').hidden")
    assert len(answered) == 1
    assert Visit.objects.count() == 1
    assert len(page.evaluate(ITEMS)) == 1

    page.unroute("**/api/v1/walk-ins/")
    page.get_by_role("button", name="Envoyer maintenant").click()
    page.wait_for_function(OUTBOX_EMPTY)
    _eventually(lambda: OfflineItem.objects.exists())
    assert Visit.objects.count() == 1
    assert OfflineItem.objects.get().visit == Visit.objects.get()


def test_logging_out_warns_of_waiting_records_then_leaves_nothing_on_the_device(live_app, served_static, advisor,
                                                                              page, context):
    _sign_in(page, live_app, advisor.email)
    page.goto(f"{live_app.url}/migrants/walk-ins/new/")
    page.wait_for_function(PAGES_KEPT)
    context.set_offline(True)
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("outbox")).to_contain_text("1 fiche en attente d’envoi")
    page.route("**/api/v1/**", lambda route: route.abort())  # the records stay unsent
    context.set_offline(False)
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss() if len(messages) == 1 else dialog.accept()

    page.on("dialog", answer)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Se déconnecter").click()
    assert "1 fiche(s) enregistrée(s) sur cet appareil" in messages[0]
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()  # dismissed: still signed in

    with page.expect_event("dialog"):
        page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    # The page after the logout deletes the records and the kept pages from the device.
    page.wait_for_function("async () => (await HomOutbox.list('%s')).length === 0 && !(await caches.has('hom-pages'))"
                           % advisor.pk)
    page.goto(f"{live_app.url}/migrants/walk-ins/new/")  # signed out: the login page, and nothing kept again
    assert page.evaluate("caches.has('hom-pages')") is False
    assert not Visit.objects.exists()


def test_chromium_finds_hom_installable(live_app, served_static, advisor, browser_type, browser_type_launch_args,
                                       tmp_path):
    # Chromium installs nothing from an incognito window, which is what Playwright's contexts are: a
    # profile on disk, as on the advisor's phone.
    context = browser_type.launch_persistent_context(tmp_path / "profile", locale="fr-FR",
                                                     **browser_type_launch_args)
    try:
        page = context.new_page()
        _sign_in(page, live_app, advisor.email)
        page.goto(f"{live_app.url}/migrants/walk-ins/new/")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        session = context.new_cdp_session(page)

        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest.get("errors")
    finally:
        context.close()


def test_a_person_registered_offline_twice_is_reviewed_side_by_side_and_merged_in_one_click(
    live_app, served_static, advisor, page, context
):
    known = MigrantFactory(office=advisor.office, first_name="Awa", last_name="Mané", phone="+221771234567")
    _sign_in(page, live_app, advisor.email)
    page.goto(f"{live_app.url}/migrants/new/")
    context.set_offline(True)
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label("Nom*", exact=True).fill("Mane")
    page.get_by_label("Téléphone", exact=True).fill("77 123 45 67")
    page.get_by_label("Consent au traitement par le bureau").check()
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_test_id("outbox")).to_contain_text("1 fiche en attente d’envoi")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    review_link = page.get_by_role("link", name="1 inscription(s) ressemblent à des personnes déjà inscrites")
    review_link.click()

    review = page.get_by_test_id("review")
    expect(review.get_by_test_id("review-table")).to_contain_text(known.file_number)
    expect(review.get_by_test_id("review-table")).to_contain_text("même téléphone")
    page.on("dialog", lambda dialog: dialog.accept())
    review.get_by_role("button", name=f"Fusionner dans {known.file_number}").click()

    expect(page.get_by_test_id("no-review")).to_be_visible()
    assert list(Migrant.objects.values_list("pk", flat=True)) == [known.pk]


def test_a_record_the_server_refuses_stays_with_its_reason_until_discarded(live_app, served_static, advisor, page,
                                                                          context):
    _sign_in(page, live_app, advisor.email)
    page.goto(f"{live_app.url}/migrants/walk-ins/new/")
    context.set_offline(True)
    page.get_by_role("button", name="Compter").click()  # nothing filled in: the server will refuse it
    expect(page.get_by_test_id("outbox")).to_contain_text("1 fiche en attente d’envoi")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    refused = page.get_by_test_id("outbox").get_by_role("listitem")
    expect(refused).to_contain_text("Refusé par le serveur")
    expect(refused).to_contain_text("Passage anonyme")
    expect(refused).to_contain_text("Renseignez au moins")
    assert not Visit.objects.exists()
    refused.get_by_role("button", name="Supprimer").click()
    page.wait_for_function(OUTBOX_EMPTY)
    assert not Visit.objects.exists()
