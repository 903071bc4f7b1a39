"""Report pages and exports: who may open what, the period, and no count from 1 to 4 anywhere."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.tests.factories import PDF_BYTES

from .builders import outcomes_of, small_cells_of

SMALL = {"1", "2", "3", "4"}
READERS = {
    "anonymous": LOGIN,
    "superuser": 200,
    "admin": 200,
    "advisor": 200,
    "other_office_advisor": 404,
    "migrant": 403,
    "other_migrant": 403,
    "authority": 200,
    "partner": 403,
}


def sedhiou_url(name="reports:report", *extra):
    return reverse(name, args=["commune", "SN1103_SEDHIOU", *extra])


def page_figures(html: str) -> list[str]:
    cells = re.findall(r"<td[^>]*data-cell[^>]*>(.*?)</td>", html, flags=re.S)
    return [cell.strip() for cell in cells]


def chart_figures(html: str) -> list:
    data = json.loads(
        re.search(r'<script id="report-charts" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    return [value for chart in data for dataset in chart["datasets"] for value in dataset["data"]]


@pytest.fixture
def small_cells(users, office, sedhiou, needs, sectors):
    persons = small_cells_of(sedhiou, office, needs, sectors)
    outcomes_of(sedhiou, office, persons)
    return persons


def test_the_index_sends_each_reader_to_their_territory(client, users):
    assert_access_matrix(
        client,
        reverse("reports:index"),
        {**READERS, "superuser": 302, "admin": 302, "advisor": 302, "other_office_advisor": 302, "authority": 302},
        users,
    )
    client.force_login(users["authority"])
    assert client.get(reverse("reports:index") + "?start=2026-01&end=2026-06")["Location"] == (
        sedhiou_url() + "?start=2026-01&end=2026-06"
    )
    client.force_login(users["advisor"])
    assert client.get(reverse("reports:index"))["Location"] == reverse("reports:report", args=["office", "SED"])
    assert client.get(reverse("reports:index") + "?territory=commune:SN1103_SEDHIOU")["Location"] == sedhiou_url()
    assert client.get(reverse("reports:index") + "?territory=commune:SN0701_DABO").status_code == 404


def test_an_authority_without_commune_is_told_so(client, users):
    users["authority"].communes.clear()
    client.force_login(users["authority"])

    response = client.get(reverse("reports:index"))

    assert response.status_code == 200
    assert "Aucune commune" in response.content.decode()


def test_the_commune_report_opens_for_its_readers_only(client, users):
    assert_access_matrix(client, sedhiou_url(), READERS, users)


def test_another_communes_report_answers_404_to_the_authority(client, users, kolda_commune):
    url = reverse("reports:report", args=["commune", kolda_commune.code])

    assert_access_matrix(
        client, url, {**READERS, "admin": 404, "advisor": 404, "other_office_advisor": 200, "authority": 404}, users
    )


def test_only_the_national_admin_reads_the_national_report(client, users):
    url = reverse("reports:report", args=["national", "all"])

    assert_access_matrix(client, url, {**READERS, "admin": 404, "advisor": 404, "authority": 404}, users)


def test_the_printable_version_and_the_exports_follow_the_same_access(client, users):
    for url in (
        sedhiou_url("reports:print"),
        sedhiou_url("reports:export", "csv"),
        sedhiou_url("reports:export", "xlsx"),
    ):
        assert_access_matrix(client, url, READERS, users)


def test_an_unknown_export_format_is_404(client, users):
    client.force_login(users["authority"])

    assert client.get(sedhiou_url("reports:export", "pdf")).status_code == 404


def test_the_authority_cannot_open_a_persons_page(client, users, small_cells):
    client.force_login(users["authority"])

    response = client.get(reverse("migrants:detail", args=[small_cells[0].pk]))

    assert response.status_code in (403, 404)


def test_the_authority_sees_its_commune_report_and_no_count_from_one_to_four(client, users, small_cells):
    client.force_login(users["authority"])

    html = client.get(sedhiou_url()).content.decode()

    figures = page_figures(html)
    assert any(figure.isdigit() and int(figure) >= 5 for figure in figures)
    assert "&lt;5" in figures
    assert not SMALL & set(figures)
    assert not {1, 2, 3, 4} & set(chart_figures(html))
    assert None in chart_figures(html)  # hidden figures are gaps in the charts, not zeros
    assert "Protéger les personnes" in html
    assert small_cells[0].last_name not in html
    for key in ("funding", "introductions", "conventions", "events"):
        assert f'data-table="{key}"' in html
    amounts = re.findall(r"<td[^>]*data-amount[^>]*>(.*?)</td>", html)
    assert "7\u202f000\u202f000" in amounts
    assert any(not re.fullmatch(r"[\d\u202f]+|—", amount) for amount in amounts)  # hidden amounts


def test_the_printable_version_shows_the_office_period_and_date_without_small_counts(client, users, small_cells):
    client.force_login(users["authority"])

    html = client.get(sedhiou_url("reports:print")).content.decode()

    assert "Bureau de Sédhiou" in html
    assert "data-print" in html
    assert not SMALL & set(page_figures(html))


def test_the_csv_export_holds_what_is_shown(client, users, small_cells):
    client.force_login(users["authority"])

    response = client.get(sedhiou_url("reports:export", "csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    figures = [cell for row in rows[4:] for cell in row[1:]]
    assert response["Content-Disposition"].startswith('attachment; filename="hom-report-commune-SN1103_SEDHIOU')
    assert "<5" in figures
    assert not SMALL & set(figures)
    assert "7000000" in figures  # the funding section: amounts requested by planned applications


def test_the_xlsx_export_holds_what_is_shown(client, users, small_cells):
    client.force_login(users["authority"])

    response = client.get(sedhiou_url("reports:export", "xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    figures = [
        cell for row in sheet.iter_rows(min_row=5, min_col=2, values_only=True) for cell in row if cell is not None
    ]
    assert "<5" in figures
    assert any(isinstance(figure, int) and figure >= 5 for figure in figures)
    assert not {1, 2, 3, 4} & {figure for figure in figures if isinstance(figure, int)}
    assert 7_000_000 in figures  # the funding section, amounts as numbers


def test_the_period_filter_changes_the_figures_and_keeps_what_was_typed(client, users, small_cells):
    client.force_login(users["authority"])

    empty = client.get(sedhiou_url(), {"start": "2020-01", "end": "2020-03"}).content.decode()
    wrong = client.get(sedhiou_url(), {"start": "2026-05", "end": "2026-01"}).content.decode()
    garbled = client.get(sedhiou_url(), {"start": "janvier", "end": "2026-01"})
    far = client.get(sedhiou_url(), {"start": "9999-01", "end": "9999-12"})

    assert "janvier 2020" in empty
    assert "&lt;5" not in page_figures(empty)
    assert 'value="2026-05"' in wrong
    assert garbled.status_code == 200
    assert 'value="janvier"' in garbled.content.decode()
    assert far.status_code == 200
    assert "Choisissez un mois entre 2000 et 2100." in far.content.decode()


def test_an_authority_may_ask_only_aligned_periods_and_is_told_so(client, users, small_cells):
    """Feb–March, a rolling twelve months or July–June are refused for a perturbed report: the form's
    error, what was typed kept, and no figure (nor a file) of any period; months, quarters, half-years
    and whole years are answered."""
    client.force_login(users["authority"])
    year = timezone.localdate().year
    refused = [(f"{year}-02", f"{year}-03"), (f"{year - 1}-12", f"{year}-11"), (f"{year - 1}-07", f"{year}-06")]
    for start, end in refused:
        for url in (
            sedhiou_url(),
            sedhiou_url("reports:print"),
            sedhiou_url("reports:export", "csv"),
            sedhiou_url("reports:export", "xlsx"),
        ):
            response = client.get(url, {"start": start, "end": end})
            html = response.content.decode()
            assert response.status_code == 200 and "Content-Disposition" not in response, url
            assert "ne couvrent qu’un mois, un trimestre, un semestre ou des années entières" in html, url
            assert "Aucun chiffre n’est affiché pour cette période." in html
            assert page_figures(html) == []
        assert f'value="{start}"' in html and f'value="{end}"' in html
    accepted = [
        (f"{year}-03", f"{year}-03"),
        (f"{year}-04", f"{year}-06"),
        (f"{year}-07", f"{year}-12"),
        (f"{year}-01", f"{year}-12"),
        (f"{year - 4}-01", f"{year}-12"),
    ]
    for start, end in accepted:
        html = client.get(sedhiou_url(), {"start": start, "end": end}).content.decode()
        assert 'data-testid="period-refused"' not in html and page_figures(html), (start, end)
    five_years_and_one = client.get(sedhiou_url(), {"start": f"{year - 5}-01", "end": f"{year}-12"})
    assert "Un rapport couvre au plus 60 mois." in five_years_and_one.content.decode()
    assert page_figures(five_years_and_one.content.decode()) == []


def test_the_authority_picks_a_quarter_or_a_half_year_in_one_click(client, users, small_cells):
    year = timezone.localdate().year
    client.force_login(users["authority"])
    html = client.get(sedhiou_url()).content.decode()
    shortcuts = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(r'<a class="btn btn-sm[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    )
    assert shortcuts[f"2e trimestre {year}"] == sedhiou_url() + f"?start={year}-04&end={year}-06"
    assert shortcuts[f"1er semestre {year}"] == sedhiou_url() + f"?start={year}-01&end={year}-06"
    assert shortcuts[f"Année {year - 1}"] == sedhiou_url() + f"?start={year - 1}-01&end={year - 1}-12"
    quarter = client.get(shortcuts[f"2e trimestre {year}"])
    assert quarter.context["period"].length == 3 and not quarter.context["refused"]
    client.force_login(users["advisor"])
    assert 'data-testid="period-shortcuts"' not in client.get(sedhiou_url()).content.decode()


def test_the_authoritys_default_period_is_the_calendar_year_and_staff_keep_any_range(client, users, small_cells):
    year = timezone.localdate().year
    client.force_login(users["authority"])
    assert client.get(sedhiou_url()).context["period"].months()[0::11] == [
        timezone.localdate().replace(year=year, month=1, day=1),
        timezone.localdate().replace(year=year, month=12, day=1),
    ]
    client.force_login(users["advisor"])
    staff = client.get(sedhiou_url(), {"start": f"{year}-02", "end": f"{year}-03"})
    assert 'data-testid="period-refused"' not in staff.content.decode() and page_figures(staff.content.decode())
    assert staff.context["period"].length == 2
    assert client.get(sedhiou_url()).context["period"].length == 12  # the last twelve months


def test_the_report_keeps_a_constant_query_count(client, users, office, sedhiou, needs):
    client.force_login(users["authority"])

    def make_rows(count):
        from partnerships.tests.convention_factories import ContributionFactory, ConventionFactory, EventFactory
        from partnerships.tests.factories import IntroductionFactory
        from projects.tests.factories import DossierFactory
        from projects.tests.funding_factories import FundingApplicationFactory

        migrant = MigrantFactory(office=office, commune_of_origin=sedhiou)
        VisitFactory.create_batch(count, migrant=migrant, needs=[needs["FUNDING"]])
        for _ in range(count):
            person = MigrantFactory(office=office, commune_of_origin=sedhiou)
            FundingApplicationFactory(dossier=DossierFactory(promoter=person, commune=sedhiou))
            IntroductionFactory(migrant=person)
            event = EventFactory(office=office, commune=sedhiou, starts_on=timezone.localdate())
            event.participants.create(migrant=person)
            convention = ConventionFactory(office=office, starts_on=None)
            convention.communes.set([sedhiou])
            ContributionFactory(budget_line__convention=convention)

    response = assert_constant_queries(client, sedhiou_url(), make_rows=make_rows)

    assert "20" in page_figures(response.content.decode())


# --- Public commune profile ---------------------------------------------------------------------

PUBLIC = {role: 200 for role in READERS}


def test_the_commune_profile_is_public_with_aggregates_and_no_name(client, users, small_cells):
    url = reverse("communes:profile", args=["SN1103_SEDHIOU"])

    assert_access_matrix(client, url, PUBLIC, users)
    html = client.get(url).content.decode()

    assert "Sédhiou" in html
    assert "&lt;5" in html
    assert not SMALL & set(page_figures(html))
    text = re.sub(r"<[^>]+>", " ", html)
    named = [
        name
        for person in small_cells
        for name in (person.last_name, person.first_name)
        if re.search(rf"\b{re.escape(name)}\b", text)
    ]
    assert not named
    assert "France" in html


def test_the_commune_profile_lists_programmes_that_fit(client, db, sedhiou, kolda_commune):
    from projects.tests.funding_factories import FundingOpportunityFactory

    FundingOpportunityFactory(name="Fonds de Sédhiou", eligible_communes=[sedhiou])
    FundingOpportunityFactory(name="Fonds de Dabo", eligible_communes=[kolda_commune])

    html = client.get(reverse("communes:profile", args=["SN1103_SEDHIOU"])).content.decode()

    assert "Fonds de Sédhiou" in html
    assert "Fonds de Dabo" not in html


def test_an_unknown_commune_is_404(client, db):
    assert client.get(reverse("communes:profile", args=["NOWHERE"])).status_code == 404


def test_staff_of_the_region_edit_the_profile_and_upload_the_plan(client, users, sedhiou):
    edit_url = reverse("communes:edit", args=["SN1103_SEDHIOU"])
    assert_access_matrix(client, edit_url, {**READERS, "authority": 403, "other_office_advisor": 404}, users)
    client.force_login(users["advisor"])

    response = client.post(
        edit_url,
        {"narrative": "Commune de la diaspora.", "development_plan": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
    )

    assert response.status_code == 302
    html = client.get(reverse("communes:profile", args=["SN1103_SEDHIOU"])).content.decode()
    assert "Commune de la diaspora." in html
    plan = client.get(reverse("communes:plan", args=["SN1103_SEDHIOU"]))
    assert plan.status_code == 200
    assert_access_matrix(client, reverse("communes:plan", args=["SN1103_SEDHIOU"]), PUBLIC, users)
    assert plan["Content-Type"] == "application/pdf"


def test_a_plan_that_is_not_a_document_is_refused_and_the_text_kept(client, users, sedhiou):
    client.force_login(users["advisor"])

    response = client.post(
        reverse("communes:edit", args=["SN1103_SEDHIOU"]),
        {"narrative": "Texte gardé.", "development_plan": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")},
    )

    assert response.status_code == 200
    assert "Texte gardé." in response.content.decode()
    assert client.get(reverse("communes:plan", args=["SN1103_SEDHIOU"])).status_code == 404
