"""The done-means journey of results after funding: on a phone, an advisor records the 12-month check
of a funded dossier from their reminder; the dossier page shows it; the reminder is gone."""
import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from hom.accounts.models import Role
from hom.accounts.tests.factories import OfficeFactory, UserFactory
from hom.territories.models import Region
from hom.testing.a11y import check_page
from migrants.tests.factories import MigrantFactory
from projects.results.models import ResultCheck
from projects.results.services import result_check_record, result_schedule_create
from projects.tests.results_factories import FundedDossierFactory
from projects.tests.test_browser import _log_in

pytestmark = pytest.mark.browser


def test_an_advisor_records_the_12_month_check_of_a_funded_dossier_on_a_phone(live_app, reference_data, page):
    office = OfficeFactory(code="SED", name="Bureau de Sédhiou", region=Region.objects.get(code="SN11"))
    advisor = UserFactory(email="lamine@example.sn", role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sagna")
    promoter = MigrantFactory(office=office, first_name="Awa", last_name="Badji")
    dossier = FundedDossierFactory(promoter=promoter, advisor=advisor, title="Quincaillerie à Goudomp")
    funded_on = timezone.localdate() - relativedelta(months=13)
    checks = {check.months: check for check in result_schedule_create(dossier=dossier, funded_on=funded_on)}
    for months in (3, 6):
        result_check_record(check=checks[months], actor=advisor, state="operating", jobs_created=2)
    page.set_viewport_size({"width": 375, "height": 740})

    # The overdue check waits on the advisor's Today card; its link opens the schedule.
    _log_in(page, live_app.url, "lamine@example.sn")
    reminder = page.get_by_test_id("due-item").filter(has_text="Enregistrer les résultats à 12 mois")
    expect(reminder).to_have_count(1)
    reminder.get_by_role("link").click()
    twelve = page.locator('[data-testid="result-check"][data-months="12"]')
    expect(twelve.get_by_test_id("overdue")).to_be_visible()
    check_page(page, "results-schedule")
    twelve.get_by_role("link", name="Enregistrer ce suivi").click()

    form = page.get_by_test_id("result-form")
    check_page(page, "results-record")
    form.get_by_label("En activité").check()
    form.get_by_label("Emplois créés").fill("4")
    form.get_by_label("Dont emplois de femmes").fill("2")
    form.get_by_label("Dont emplois de jeunes").fill("3")
    form.get_by_label("Chiffre d’affaires annuel").select_option(label="De 5 000 000 à 20 000 000 FCFA par an")
    form.get_by_label("Montant décaissé à ce jour (FCFA)").fill("2 800 000")
    form.get_by_label("Montant remboursé à ce jour (FCFA)").fill("900.000")
    form.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.get_by_text("Le suivi à 12 mois est enregistré.")).to_be_visible()

    # The dossier page shows the check as recorded, with its figures.
    page.goto(f"{live_app.url}/projects/{dossier.pk}/")
    recorded = page.locator('#results [data-testid="result-check"][data-months="12"]')
    expect(recorded).to_have_attribute("data-recorded", "yes")
    expect(recorded.get_by_test_id("jobs-created")).to_contain_text("4")
    expect(recorded).to_contain_text("900")
    check_page(page, "results-dossier-page")

    # The reminder is gone from the Today card.
    page.goto(f"{live_app.url}/")
    expect(page.get_by_test_id("due-today")).to_be_visible()
    expect(page.get_by_test_id("due-item").filter(has_text="Enregistrer les résultats")).to_have_count(0)
    check = ResultCheck.objects.get(dossier=dossier, months=12)
    assert (check.amount_disbursed, check.amount_repaid, check.recorded_by) == (2_800_000, 900_000, advisor)
