"""The authority's journey in headless Chromium: log in, open the report, change the period, download the XLSX."""
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import PASSWORD, OfficeFactory, UserFactory
from hom.territories.models import Commune, NeedCategory, Region, Sector

from .builders import moment, small_cells_of

pytestmark = pytest.mark.browser


def test_the_authority_opens_its_report_changes_the_period_and_downloads_the_xlsx(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    UserFactory(email="mairie@example.sn", role=Role.AUTHORITY, communes=[sedhiou])
    needs = {need.code: need for need in NeedCategory.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2025, 3))

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("mairie@example.sn")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Rapports").click()
    expect(page.get_by_test_id("report-title")).to_contain_text("Sédhiou")

    page.get_by_label("Du mois").fill("2025-01")
    page.get_by_label("Au mois").fill("2025-06")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("report-period")).to_have_text("janvier 2025 – juin 2025")
    expect(page.locator("canvas[data-chart='months']")).to_be_visible()
    expect(page.locator("table[data-table='sex']")).to_contain_text("<5")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger en Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "hom-report-commune-SN1103_SEDHIOU-202501-202506.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    figures = [cell for row in sheet.iter_rows(min_row=5, min_col=2, values_only=True) for cell in row if cell is not None]
    assert "<5" in figures
    assert not {1, 2, 3, 4} & {figure for figure in figures if isinstance(figure, int)}


def test_the_authority_of_sedhiou_reads_the_demo_report_with_real_figures_and_the_protection(
    live_app, reference_data, page
):
    from hom.accounts import demo as accounts_demo
    from hom.accounts.demo import DEMO_PASSWORD
    from hom.reports import demo as reports_demo

    accounts_demo.seed()
    reports_demo.seed()

    page.goto(f"{live_app.url}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("commune@demo.hom")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Rapports").click()

    expect(page.get_by_test_id("report-title")).to_contain_text("Sédhiou")
    rule = page.get_by_test_id("privacy-rule")
    expect(rule).to_contain_text("chaque chiffre publié ici est légèrement modifié")
    expect(rule).to_contain_text("peut différer un peu de la somme de ses lignes")
    rule.get_by_role("link", name="comment ça marche").click()
    expect(page.get_by_test_id("method-note")).to_contain_text("modulo 256")
    figures = [text.strip() for text in page.locator("td[data-cell]").all_inner_texts()]
    assert "<5" in figures
    numbers = [int(text.replace("\u202f", "")) for text in figures if text.replace("\u202f", "").isdigit()]
    assert max(numbers) >= 50  # real figures: a year of visits
    assert not {1, 2, 3, 4} & set(numbers)
    expect(page.locator("canvas[data-chart='months']")).to_be_visible()
