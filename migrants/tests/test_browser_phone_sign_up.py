"""The phone sign-up journey in headless Chromium: a migrant with no email creates an account with
their phone number, types the code received by SMS (the file backend's file), and logs in with
the number as they write it. Each page is audited (axe) and fits a 375 px phone."""
import re
import zoneinfo
from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from hom.accounts.models import User
from hom.accounts.tests.factories import OfficeFactory
from hom.territories.models import Region
from hom.testing.a11y import check_page

pytestmark = pytest.mark.browser


def test_a_migrant_signs_up_with_a_phone_number_confirms_by_sms_and_logs_in(
    live_app, reference_data, served_static, page, settings, tmp_path
):
    settings.SMS_URL = f"file://{tmp_path}"
    OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=zoneinfo.ZoneInfo("Africa/Dakar")), tick=True):
        page.goto(f"{live_app.url}/migrants/sign-up/")
        check_page(page, "phone sign-up form")
        page.get_by_label("Bureau*", exact=True).select_option(label="Bureau de Sédhiou")
        page.get_by_label("Prénom*", exact=True).fill("Lamine")
        page.get_by_label("Nom*", exact=True).fill("Coly")
        page.get_by_label("Téléphone", exact=True).fill("77 123 45 67")
        page.get_by_label("Situation*", exact=True).select_option("in_senegal")
        page.get_by_label("Mot de passe*", exact=True).fill("une-phrase-assez-longue")
        page.get_by_label("Confirmation du mot de passe*", exact=True).fill("une-phrase-assez-longue")
        page.get_by_label("J'accepte que le bureau traite mes données pour m'accompagner").check()
        page.get_by_role("main").get_by_role("button", name="Créer mon compte").click()

        expect(page.get_by_test_id("sign-up-code-sent")).to_contain_text("+221 77 123 45 67")
        check_page(page, "phone sign-up code")
        [sms] = list(tmp_path.glob("221771234567-*.txt"))
        code = re.search(r"\b(\d{6})\b", sms.read_text(encoding="utf-8").split("\n\n", 1)[1]).group(1)
        page.get_by_label("Code reçu par SMS*", exact=True).fill(code)
        page.get_by_role("main").get_by_role("button", name="Confirmer").click()

        expect(page.get_by_role("main")).to_contain_text("Votre numéro de téléphone est confirmé")
        page.get_by_label("Adresse e-mail ou numéro de téléphone").fill("00221 77 123 45 67")
        page.get_by_label("Mot de passe*", exact=True).fill("une-phrase-assez-longue")
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()

        expect(page.get_by_role("main")).to_contain_text("Lamine")
        assert User.objects.get(phone="+221771234567").is_active
