"""The demo office admin writes a campaign to a filtered group, reads the preview's count and cost, sends it and
reads the counts, in headless Chromium."""
import pytest
import time_machine
from playwright.sync_api import expect

from hom.accounts import demo as accounts_demo
from hom.accounts.models import Office
from hom.territories.models import Commune
from hom.testing.a11y import DESKTOP, audit, check_phone

from .campaign_helpers import MORNING, people, reached_numbers

pytestmark = pytest.mark.browser


def test_the_demo_admin_sends_a_campaign_to_a_filtered_group(live_app, reference_data, served_static, page, settings,
                                                             tmp_path):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    accounts_demo.seed()
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    people(office=Office.objects.get(code="SED"), other_office=Office.objects.get(code="KOL"), sedhiou=sedhiou,
           marsassoum=Commune.objects.get(code="SN1103_MARSASSOUM"))

    page.set_viewport_size(DESKTOP)
    with time_machine.travel(MORNING, tick=True):
        page.goto(f"{live_app.url}/accounts/login/")
        page.get_by_label("Adresse e-mail").fill("admin@demo.hom")
        page.get_by_label("Mot de passe").fill(accounts_demo.DEMO_PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        page.goto(f"{live_app.url}/migrants/campaigns/")
        page.get_by_role("link", name="Nouvelle campagne").click()

        page.locator("#id_commune").select_option(str(sedhiou.pk))
        page.get_by_label("Titre").fill("Forum de la diaspora")
        page.get_by_label("Message").fill("Forum de la diaspora samedi 10h a la mairie. Venez nombreux.")
        preview = page.get_by_test_id("campaign-preview")
        expect(preview).to_contain_text("2 personnes la recevront.")
        expect(preview).to_contain_text("Le groupe compte 6 personnes.")
        expect(preview.get_by_test_id("costs")).to_contain_text("FCFA")
        expect(preview.get_by_test_id("segments")).to_contain_text("1 SMS (GSM-7)")
        expect(preview.get_by_test_id("costs")).to_contain_text("50")
        audit(page, "campaign-new")
        check_phone(page, "campaign-new-375", with_audit=True)

        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(page.get_by_role("heading", name="Forum de la diaspora")).to_be_visible()
        audit(page, "campaign-draft")
        page.get_by_test_id("send-now").click()

        expect(page.get_by_test_id("campaign-state")).to_contain_text("Envoyée")
        expect(page.get_by_test_id("count-sent")).to_have_text("2")
        expect(page.get_by_test_id("sent-by")).to_contain_text("Aïssatou Mané")
        check_phone(page, "campaign-sent-375", with_audit=True)
        assert reached_numbers(folder) == ["+221771000001", "+221771000002"]

        page.get_by_role("link", name="Campagnes").first.click()
        row = page.get_by_test_id("campaign-row")
        expect(row).to_contain_text("Forum de la diaspora")
        expect(row).to_contain_text("Envoyée")
        audit(page, "campaign-list")
        check_phone(page, "campaign-list-375", with_audit=True)
