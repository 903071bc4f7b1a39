"""The done-means journey of a dossier, on a phone-sized window, in headless Chromium."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory
from projects.demo import demo_pdf

pytestmark = pytest.mark.browser


def _log_in(page, base_url, email):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()


def _move(page, action, comment=""):
    form = page.get_by_test_id("transition-form")
    form.get_by_label("Action").select_option(label=action)
    if comment:
        form.get_by_label("Commentaire").fill(comment)
    form.get_by_role("button", name="Confirmer").click()


def test_a_migrant_builds_and_submits_a_dossier_and_the_advisor_reviews_it_on_a_phone(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    account = UserFactory(email="awa@example.sn", role=Role.MIGRANT, first_name="Awa", last_name="Badji")
    MigrantFactory(office=office, user=account, first_name="Awa", last_name="Badji")
    page.set_viewport_size({"width": 375, "height": 740})

    # The migrant opens a dossier and goes through the steps; each one saves the draft.
    _log_in(page, live_app.url, "awa@example.sn")
    page.get_by_test_id("my-projects-card").get_by_role("link", name="Voir mes projets").click()
    page.get_by_role("link", name="Nouveau projet").click()
    page.get_by_label("Titre du projet").fill("Atelier de couture à Sédhiou")
    page.get_by_label("Résumé").fill("Coudre des uniformes scolaires pour les écoles de la commune.")
    page.get_by_label("Type de projet").select_option(label="Individuel")
    page.get_by_label("Secteur").select_option(label="Artisanat (couture, menuiserie…)")
    page.get_by_label("Commune de réalisation").select_option(label="Sédhiou — Sédhiou (Sédhiou)")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_text("Votre brouillon est enregistré.")).to_be_visible()
    page.get_by_label("Marché et clients").fill("Les cinq écoles de Sédhiou, 1 200 élèves.")
    page.get_by_label("Démarrage prévu").fill("2027-03-01")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_label("Équipe et expérience").fill("Moi, couturière depuis dix ans, et ma sœur.")
    page.get_by_label("Emplois de femmes").fill("2")
    page.get_by_label("Dont emplois de jeunes").fill("1")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Budget and financing, added line by line with htmx, until the plan balances.
    budget = page.get_by_test_id("budget-form")
    budget.get_by_label("Article").fill("Machines à coudre")
    budget.get_by_label("Quantité").fill("4")
    budget.get_by_label("Coût unitaire (FCFA)").fill("250000")
    budget.get_by_label("Devis joint").check()
    budget.get_by_role("button", name="Ajouter au budget").click()
    expect(page.get_by_test_id("budget-area").get_by_text("Machines à coudre")).to_be_visible()
    for source, amount in (("Apport personnel", "200000"), ("Subvention", "800000")):
        financing = page.get_by_test_id("financing-form")
        financing.get_by_label("Source").select_option(label=source)
        financing.get_by_label("Montant (FCFA)").fill(amount)
        financing.get_by_role("button", name="Ajouter au plan de financement").click()
        expect(page.get_by_test_id("budget-area").get_by_role("cell", name=source, exact=True)).to_be_visible()
    expect(page.get_by_test_id("plan-balance")).to_contain_text("Le plan de financement équilibre le budget.")

    # Documents: the four the checklist requires (an advisor marks a dossier ready only when complete), as PDFs.
    page.get_by_role("link", name="Continuer").click()
    for label, name in (
        ("Carte d'identité ou passeport", "cni.pdf"),
        ("Carte consulaire ou certificat de résidence", "residence.pdf"),
        ("Plan d'affaires ou étude du projet", "plan.pdf"),
        ("Devis ou factures pro forma", "devis.pdf"),
    ):
        upload = page.get_by_test_id("upload-form")
        upload.get_by_label("Document").select_option(label=label)
        upload.get_by_label("Fichier").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(name)})
        upload.get_by_role("button", name="Envoyer le document").click()
        # Sent with a progress bar (static/js/uploads.js): the answer then replaces the page.
        expect(page.locator("progress[data-upload-progress]")).to_have_count(0)
        expect(page.get_by_text("Document reçu.")).to_be_visible()
    expect(page.get_by_test_id("checklist").get_by_text("Reçu")).to_have_count(4)

    # Still a draft; the migrant submits it.
    page.get_by_role("link", name="Terminer\u00a0: voir le résumé").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Brouillon")
    _move(page, "Déposer le dossier au bureau")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Déposé")
    dossier_url = page.url

    # The advisor finds it in the queue and asks for changes, with a comment.
    _log_in(page, live_app.url, "lamine@example.sn")
    page.goto(f"{live_app.url}/projects/queue/")
    page.get_by_test_id("queue").get_by_role("link").first.click()
    _move(page, "Demander des modifications au porteur", "Donnez le prix d'un uniforme.")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Modifications demandées")

    # The migrant sees the comment, corrects the market step and submits again.
    _log_in(page, live_app.url, "awa@example.sn")
    expect(page.get_by_test_id("my-projects-card")).to_contain_text("Modifications demandées")
    # The bell (in the phone's collapsed menu) counts it; the notifications page says what happened.
    expect(page.get_by_test_id("notification-count")).to_have_count(1)
    page.goto(f"{live_app.url}/notifications/")
    expect(page.get_by_test_id("notifications")).to_contain_text("est maintenant\u00a0: Modifications demandées")
    page.goto(dossier_url)
    expect(page.get_by_test_id("changes-request")).to_contain_text("Donnez le prix d'un uniforme.")
    page.get_by_role("link", name="Corriger le dossier").click()
    page.get_by_role("link", name="2. Marché").click()
    page.get_by_label("Marché et clients").fill("Les cinq écoles de Sédhiou, 1 200 élèves, uniforme vendu 6 000 FCFA.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.goto(dossier_url)
    _move(page, "Déposer le dossier au bureau")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Déposé")

    # The advisor marks it ready.
    _log_in(page, live_app.url, "lamine@example.sn")
    page.goto(dossier_url)
    expect(page.get_by_test_id("section-market")).to_contain_text("6 000 FCFA")
    _move(page, "Marquer prêt pour un financeur", "Dossier complet.")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Prêt")
