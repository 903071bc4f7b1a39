"""The migrant chooses SMS on their profile, verifies their phone with the code received, and sees the
notice of their dossier's move as sent — in headless Chromium, the SMS written by the file backend (issue 22)."""
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.notifications.tests.conftest import DAKAR
from hom.territories.models import Region
from hom.testing.a11y import audit
from migrants.tests.factories import MigrantFactory
from projects import services as project_services
from projects.models import DossierStatus
from projects.tests.factories import BudgetLineFactory, DossierFactory, FinancingLineFactory

pytestmark = pytest.mark.browser

PHONE = "+221771234567"


def test_the_migrant_verifies_their_phone_and_sees_the_dossier_notice_sent(
    live_app, reference_data, served_static, page, settings, tmp_path
):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    settings.SMS_QUIET_HOURS = "0-0"
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="conseiller@example.sn", role=Role.ADVISOR, office=office)
    account = UserFactory(email="ousmane@example.sn", role=Role.MIGRANT)
    person = MigrantFactory(office=office, user=account, phone=PHONE, first_name="Ousmane", last_name="Diédhiou")
    dossier = DossierFactory(
        promoter=person, status=DossierStatus.SUBMITTED, submitted_at=datetime(2026, 11, 20, 10, 0, tzinfo=DAKAR)
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=100)
    FinancingLineFactory(dossier=dossier, amount=100)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("ousmane@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_app.url}/migrants/me/")

    notices = page.get_by_test_id("notices")
    notices.get_by_role("checkbox", name="Par SMS").check()
    notices.get_by_role("button", name="Enregistrer les canaux").click()
    expect(page.get_by_text("Le choix des canaux est enregistré.")).to_be_visible()
    expect(page.get_by_test_id("phone-status")).to_contain_text("non vérifié")

    page.get_by_role("button", name="Envoyez-moi un code").click()
    expect(page.get_by_text("Un code a été envoyé par SMS")).to_be_visible()
    [sms] = folder.glob(f"{PHONE.lstrip('+')}-*.txt")
    code = re.search(r"votre code est (\d{6})", sms.read_text()).group(1)

    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Votre numéro de téléphone est vérifié.")).to_be_visible()
    expect(page.get_by_test_id("phone-status")).to_contain_text("vérifié")
    expect(page.get_by_test_id("phone-status")).not_to_contain_text("non vérifié")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    audit(page, "migrant-notices")

    project_services.dossier_transition(dossier=dossier, actor=advisor, to_status=DossierStatus.IN_REVIEW)

    page.reload()
    rows = page.get_by_test_id("sent-messages").locator("tbody tr")
    expect(rows).to_have_count(2)  # the code, then the notice of the move
    expect(rows.first).to_contain_text("Envoyé")
    assert len(list(folder.glob(f"{PHONE.lstrip('+')}-*.txt"))) == 2
