"""Uploads on a slow link (issue 19, point 4), in headless Chromium on a phone-sized window.

A file over the limit, or of a refused type, is refused in the browser before a byte is sent
(static/js/uploads.js reads the limits the form's widget renders); an accepted file goes with
a progress bar and its answer shows as a normal submission's would. The server still checks
(projects/tests/test_uploads.py)."""
import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region
from migrants.tests.factories import MigrantFactory
from projects.demo import demo_pdf
from projects.models import DossierDocument
from projects.tests.factories import DossierFactory

pytestmark = pytest.mark.browser

TWELVE_MB = 12 * 1024 * 1024


@pytest.fixture
def documents_page(live_app, reference_data, page):
    """A migrant's draft dossier, open at its documents step on a 375 px screen; the POSTs are recorded."""
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    account = UserFactory(email="awa@example.sn", role=Role.MIGRANT, first_name="Awa", last_name="Badji")
    dossier = DossierFactory(promoter=MigrantFactory(office=office, user=account, first_name="Awa", last_name="Badji"))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("awa@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    page.goto(f"{live_app.url}/projects/{dossier.pk}/edit/documents/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    return page, dossier, posts


def test_a_12_mb_file_is_refused_in_the_browser_before_any_request(documents_page):
    page, dossier, posts = documents_page
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("Document").select_option(index=1)

    upload.get_by_label("Fichier").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * TWELVE_MB}
    )
    expect(page.get_by_test_id("upload-error")).to_contain_text("Ce fichier est trop gros")
    upload.get_by_role("button", name="Envoyer le document").click()

    expect(page.get_by_test_id("upload-error")).to_contain_text("la limite est de 10,0\u00a0Mio")
    page.wait_for_timeout(500)
    assert posts == []
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_a_file_of_a_refused_type_is_refused_in_the_browser(documents_page):
    page, dossier, posts = documents_page
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("Document").select_option(index=1)

    upload.get_by_label("Fichier").set_input_files({"name": "setup.exe", "mimeType": "application/octet-stream",
                                                   "buffer": b"MZ" + b"0" * 100})
    upload.get_by_role("button", name="Envoyer le document").click()

    expect(page.get_by_test_id("upload-error")).to_contain_text("pas un PDF, une photo")
    page.wait_for_timeout(500)
    assert posts == []


def test_an_accepted_file_is_sent_with_a_progress_bar_and_the_answer_shows(documents_page):
    page, dossier, posts = documents_page
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("Document").select_option(index=1)
    upload.get_by_label("Fichier").set_input_files({"name": "cni.pdf", "mimeType": "application/pdf",
                                                   "buffer": demo_pdf("cni")})

    upload.get_by_role("button", name="Envoyer le document").click()

    expect(page.locator("progress[data-upload-progress]")).to_have_count(0)  # the answer replaced the page
    expect(page.get_by_text("Document reçu.")).to_be_visible()
    assert len(posts) == 1 and posts[0].endswith(f"/projects/{dossier.pk}/documents/")
    assert DossierDocument.objects.filter(dossier=dossier).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
