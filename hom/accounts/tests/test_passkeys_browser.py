"""A staff member enrols a passkey and signs in with it, in Chromium with its virtual authenticator.

Chromium's DevTools WebAuthn domain stands in for a phone's fingerprint reader: a CTAP2
"internal" authenticator that keeps discoverable credentials and always verifies its user.
WebAuthn needs a secure context: http://localhost (the live server) is one; the relying
party is then ``localhost`` and the allowed origin the live server's address.
"""
import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Region

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_site(live_app, settings):
    assert live_app.url.startswith("http://localhost:"), live_app.url
    settings.MFA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_app.url]
    return live_app


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    return cdp


def _sign_in(page, url, email):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_an_advisor_enrols_a_passkey_and_signs_in_with_password_then_passkey(passkey_site, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine",
                          last_name="Sagna")
    _virtual_authenticator(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # Password only: HOM asks for a second factor; the advisor chooses a passkey.
    _sign_in(page, passkey_site.url, advisor.email)
    expect(page.get_by_role("heading", name="Configurer une application d'authentification")).to_be_visible()
    page.get_by_test_id("use-a-passkey").click()
    expect(page.get_by_test_id("no-passkey")).to_be_visible()
    page.get_by_role("button", name="Ajouter une clé d’accès").click()
    expect(page.get_by_test_id("passkey-name")).to_have_count(1)
    assert WebAuthnCredential.objects.filter(user=advisor, confirmed=True).count() == 1

    # The enrolment verified this session: staff pages open.
    page.goto(f"{passkey_site.url}/migrants/")
    expect(page.get_by_role("heading", name="Migrants", exact=True)).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # Next time: the password, then the passkey.
    _sign_in(page, passkey_site.url, advisor.email)
    expect(page.get_by_role("heading", name="Second facteur")).to_be_visible()
    # The button works once the page's script has run: wait for it (a loaded machine runs it late), and give the
    # ceremony (two requests and the authenticator) time.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Utiliser ma clé d’accès").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Tableau de bord — Bureau de Sédhiou", timeout=20_000)
    page.goto(f"{passkey_site.url}/migrants/")
    expect(page.get_by_role("heading", name="Migrants", exact=True)).to_be_visible()
    assert WebAuthnCredential.objects.get(user=advisor).last_used_at is not None
    assert not [error for error in errors if "Content Security Policy" in error], errors
