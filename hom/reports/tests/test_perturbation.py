"""Cell-key perturbation: the table's properties, and the same cell giving the same figure everywhere."""

import csv
import io
import re
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hom.reports.privacy import (
    HIDDEN_MARK,
    KEY_RANGE,
    MAX_DEVIATION,
    SECONDARY_MARK,
    ZERO_NOISE_RATE,
    is_small,
    noise,
    perturb,
    perturb_grid,
)
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.sections import report_sections
from hom.reports.tables import Table
from migrants.models import Visit
from projects.models import ProjectDossier

from .builders import outcomes_of, small_cells_of

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")


def test_the_perturbation_table_keeps_zero_stays_within_its_deviation_and_is_unbiased():
    assert {noise(0, key) for key in range(KEY_RANGE)} == {0}
    for count in range(1, 40):
        noises = [noise(count, key) for key in range(KEY_RANGE)]
        assert max(abs(value) for value in noises) <= MAX_DEVIATION
        assert min(count + value for value in noises) >= 0
        assert sum(noises) == 0  # no bias: the mean change is nil
        if count >= 2:
            assert Counter(noises)[0] / KEY_RANGE == ZERO_NOISE_RATE


def test_the_same_count_and_key_always_give_the_same_figure():
    assert {perturb(7, 1234) for _ in range(5)} == {perturb(7, 1234 % KEY_RANGE)}


def test_after_perturbation_no_figure_from_one_to_four_is_published():
    counts = [[count] for count in range(0, 12)]
    for offset in range(KEY_RANGE):
        table = perturb_grid(counts, [[offset * 7 + row] for row in range(12)])
        for row in range(12):
            shown = table.shown(row, 0)
            assert shown == HIDDEN_MARK or not is_small(shown)
        assert table.shown(0, 0) == 0  # zero stays zero


def test_totals_are_perturbed_as_cells_of_their_own():
    table = Table(
        key="t",
        title="t",
        row_heading="",
        columns=["a", "b"],
        row_labels=["x", "y"],
        body=[[10, 20], [30, 40]],
        keys=[[1, 2], [3, 4]],
        row_totals=True,
        column_totals=True,
        perturbed=True,
    )

    values = table.suppressed.values

    assert values[0][2] == perturb(30, 3)  # the row total: its records are the row's
    assert values[2][0] == perturb(40, 4)
    assert values[2][2] == perturb(100, 10)


def test_a_secondary_mark_is_never_printed_as_less_than_five(users, office, sedhiou, needs, sectors, client):
    """The staff's exact report: a figure hidden to protect another reads "×", and only a small one "<5"."""
    small_cells_of(sedhiou, office, needs, sectors)
    scope = report_scope(users["advisor"], SEDHIOU, Period.last_twelve_months())
    assert not scope.perturbed
    marks = Counter()
    for section in report_sections(scope):
        for table in section.tables:
            for row, (_label, values) in enumerate(table.rows):
                for column, shown in enumerate(values):
                    if shown in (HIDDEN_MARK, SECONDARY_MARK):
                        marks[shown] += 1
                        exact = table.suppressed.values[row][column]
                        assert (shown == HIDDEN_MARK) == is_small(exact), (table.key, row, column, exact)
    assert marks[HIDDEN_MARK] and marks[SECONDARY_MARK]


@pytest.fixture
def sedhiou_data(users, office, sedhiou, needs, sectors):
    persons = small_cells_of(sedhiou, office, needs, sectors)
    outcomes_of(sedhiou, office, persons)
    return persons


def page_tables(html: str) -> dict:
    tables = {}
    for key, body in re.findall(r'data-table="(\w+)".*?<tbody>(.*?)</tbody>', html, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        tables[key] = [
            [
                re.sub(r"\s+", "", cell).replace("&lt;", "<").replace("\u202f", "")
                for cell in re.findall(r"<td[^>]*data-cell[^>]*>(.*?)</td>", row, re.S)
            ]
            for row in rows
        ]
    return tables


def test_the_same_cell_has_the_same_figure_in_the_report_its_exports_and_print_view(client, users, sedhiou_data):
    client.force_login(users["authority"])
    url = reverse("reports:report", args=["commune", "SN1103_SEDHIOU"])
    page = page_tables(client.get(url).content.decode())
    printed = page_tables(client.get(reverse("reports:print", args=["commune", "SN1103_SEDHIOU"])).content.decode())
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("reports:export", args=["commune", "SN1103_SEDHIOU", "csv"])).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:export", args=["commune", "SN1103_SEDHIOU", "xlsx"])).content)
    ).active
    xlsx_rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]

    assert printed == page
    as_text = {key: [[value.replace("—", "") for value in line] for line in lines] for key, lines in page.items()}
    csv_lines = [row[1:] for row in rows]
    xlsx_lines = [[value for value in row[1:]] for row in xlsx_rows]
    for key, lines in as_text.items():
        for line in lines:
            assert any(candidate[: len(line)] == line for candidate in csv_lines), (key, line)
            assert any(candidate[: len(line)] == line for candidate in xlsx_lines), (key, line)
    assert "<5" in [value for lines in page.values() for line in lines for value in line]


def test_the_public_profile_and_the_authoritys_report_publish_the_same_cells(client, users, sedhiou_data, needs):
    """Every dossier and visit of the commune lies in the report's period: the same records, the same cells."""
    client.force_login(users["authority"])
    first = ProjectDossier.objects.earliest("created_at").created_at
    # Whole calendar years (a period an authority may ask), from the first dossier's to this one.
    period = f"?start={first:%Y}-01&end={date.today():%Y}-12"
    report = page_tables(
        client.get(reverse("reports:report", args=["commune", "SN1103_SEDHIOU"]) + period).content.decode()
    )
    client.logout()
    profile = page_tables(client.get(reverse("communes:profile", args=["SN1103_SEDHIOU"])).content.decode())

    assert profile["dossiers"] == report["dossiers"]
    # Main needs: the visits column of the needs table, in the order of the published figures.
    report_needs = sorted(
        (line[0] for line in report["needs"]), key=lambda value: -int(value) if value.isdigit() else 0
    )
    assert [line[0] for line in profile["main_needs"]] == report_needs[: len(profile["main_needs"])]


def test_the_main_needs_are_ranked_on_published_figures(client, db, sedhiou, office, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors)

    html = client.get(reverse("communes:profile", args=["SN1103_SEDHIOU"])).content.decode()
    figures = [line[0] for line in page_tables(html)["main_needs"]]

    ranks = [int(value) if value.isdigit() else 0 for value in figures]
    assert ranks == sorted(ranks, reverse=True)


def test_staff_read_their_office_exact_figures_and_the_authority_perturbed_ones(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors)
    period = Period.last_twelve_months()

    staff = report_scope(users["advisor"], SEDHIOU, period)
    authority = report_scope(users["authority"], SEDHIOU, period)

    staff_sex = [table for section in report_sections(staff) for table in section.tables if table.key == "sex"][0]
    authority_sex = [table for section in report_sections(authority) for table in section.tables if table.key == "sex"][
        0
    ]
    assert not staff.perturbed and authority.perturbed
    assert staff_sex.rows[-1][1] == [12, 10]  # 12 visits (2 walk-ins), 10 persons: exact
    expected = [
        perturb(count, key)
        for count, key in zip(
            [12, 10],
            [sum(authority_sex.keys[row][column] or 0 for row in range(len(authority_sex.keys))) for column in (0, 1)],
            strict=True,
        )
    ]
    assert [value if value != HIDDEN_MARK else None for value in authority_sex.rows[-1][1]] == [
        value if not is_small(value) else None for value in expected
    ]


def test_persons_without_a_country_are_not_counted_as_walk_ins(users, office, sedhiou, needs, sectors):
    persons = small_cells_of(sedhiou, office, needs, sectors)
    persons[-1].country_of_residence = ""
    persons[-1].save()
    scope = report_scope(users["advisor"], SEDHIOU, Period.last_twelve_months(), from_summary=False)

    country = [table for section in report_sections(scope) for table in section.tables if table.key == "country"][0]

    labels = [str(label) for label in country.row_labels]
    assert labels[-2:] == ["Non renseigné", "Passages anonymes"]
    assert country.body[-2] == [1, 1]  # the man without a country: a person, one visit
    assert country.body[-1] == [2, None]  # the two walk-ins: visits, no person
    assert Visit.objects.filter(migrant__isnull=True).count() == 2


def test_a_charts_hidden_cells_are_gaps_and_its_figures_those_of_the_table(users, sedhiou_data):
    scope = report_scope(users["authority"], SEDHIOU, Period.last_twelve_months())
    gaps = 0
    for section in report_sections(scope):
        for table in section.tables:
            chart = table.chart_data()
            for dataset, column in zip(chart["datasets"], table.chart_columns, strict=True):
                for row, value in enumerate(dataset["data"]):
                    shown = table.rows[row][1][column]
                    if shown == HIDDEN_MARK:
                        assert value is None
                        gaps += 1
                    else:
                        assert value == shown
    assert gaps
