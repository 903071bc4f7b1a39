"""The authority's attacks on the published figures, replayed: none gives back a hidden count.

Data built to have small cells: two years of a commune's visits, many months under five,
dossiers opened over the months, grants of odd amounts. Record keys are drawn from a
seeded generator so that each run replays the same attack on the same figures.

Each attack is what issue 16 found: (1) subtracting overlapping periods, (2) subtracting
tables or margins of one report, (3) the public profile against a report of another
period, (4) averaging the same cell over many periods. A hidden count is "recovered" when
the attacker's estimate equals the true count; the cell-key method lets that happen only
by chance (two noises equal), so the rate must stay under the perturbation's own
zero-noise rate (``privacy.ZERO_NOISE_RATE``). An attacker who ignores the method and takes
the figures as exact finds differences that contradict one another for every hidden month,
so recovers none. The method's known limit is measured last: averaging the differences of
many overlapping periods narrows the noise down.
"""
import random
import re
from datetime import date, datetime

import pytest
from django.utils import timezone

from hom.reports.privacy import HIDDEN_MARK, MAX_DEVIATION, ZERO_NOISE_RATE, is_small
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.selectors.visits import all_dossiers_by_sector_and_stage, dossiers_by_sector_and_stage, person_tables
from hom.reports.selectors.visits import visits_by_month as months_table
from migrants.models import Migrant, Visit
from migrants.tests.factories import MigrantFactory
from projects.models import ProjectDossier
from projects.tests.factories import DossierFactory

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
MONTHS = [date(2024 + index // 12, index % 12 + 1, 1) for index in range(24)]


def month_after(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def at(month: date, day: int = 10) -> datetime:
    return datetime(month.year, month.month, day, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def two_small_years(users, office, sedhiou, sectors):
    """Per month 0 to 8 visits of twelve persons and 0 to 5 walk-ins; a dossier most months."""
    draw = random.Random(16)
    persons = [
        MigrantFactory(
            office=office, commune_of_origin=sedhiou, sex="F" if n % 2 else "M", birth_year=1980 + n,
            situation="abroad" if n % 3 else "returned", country_of_residence="FR" if n % 3 else "",
        )
        for n in range(12)
    ]
    visits, truth = [], {}
    for month in MONTHS:
        registered, walk_ins = draw.randint(0, 8), draw.randint(0, 5)
        truth[month] = (registered, walk_ins)
        for n in range(registered):
            visits.append(Visit(office=office, migrant=draw.choice(persons), occurred_at=at(month, 1 + n)))
        for n in range(walk_ins):
            visits.append(Visit(office=office, commune=sedhiou, sex="F", age_group="25_34", occurred_at=at(month, 2 + n)))
    Visit.objects.bulk_create(visits)
    for month in MONTHS + MONTHS[::3]:
        dossier = DossierFactory(promoter=draw.choice(persons), commune=sedhiou, sector=sectors["AGRI"])
        ProjectDossier.objects.filter(pk=dossier.pk).update(created_at=at(month))
    # Keys drawn again from the seed: the same figures every run.
    for model in (Migrant, Visit, ProjectDossier):
        for pk in model.objects.order_by("pk").values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(record_key=draw.randrange(256))
    return truth


def published(table, row, column):
    """What the authority reads in a cell: a number, or None when hidden."""
    shown = table.rows[row][1][column]
    return None if shown == HIDDEN_MARK else shown


class Reports:
    """The authority's reports, computed once per period, perturbed as the page shows them."""

    def __init__(self, user):
        self.user, self.cache = user, {}

    def tables(self, first: date, last: date) -> dict:
        if (first, last) not in self.cache:
            scope = report_scope(self.user, SEDHIOU, Period(first=first, last=last), from_summary=False)
            assert scope.perturbed
            tables = [months_table(scope), *person_tables(scope), dossiers_by_sector_and_stage(scope)]
            for table in tables:
                table.perturbed = True
            self.cache[(first, last)] = {table.key: table for table in tables}
        return self.cache[(first, last)]

    def months(self, first: date, last: date):
        """Only the months table of the period (what attacks 1 and 4 read)."""
        if (first, last) in self.cache:
            return self.cache[(first, last)]["months"]
        if ("months", first, last) not in self.cache:
            scope = report_scope(self.user, SEDHIOU, Period(first=first, last=last), from_summary=False)
            assert scope.perturbed
            table = months_table(scope)
            table.perturbed = True
            self.cache[("months", first, last)] = table
        return self.cache[("months", first, last)]

    def total(self, first, last, key="months", column=0):
        """The period's total row (a cell of its own); zero for an empty period."""
        if last < first:
            return 0
        table = self.months(first, last) if key == "months" else self.tables(first, last)[key]
        return published(table, len(table.rows) - 1, column)


def rate(hits, attempts):
    assert attempts, "the attack found nothing to try: the data must hold hidden cells"
    print(f"recovered {hits} of {attempts} ({hits / attempts:.0%}); zero-noise rate {ZERO_NOISE_RATE:.0%}")
    return hits / attempts


def test_no_count_from_one_to_four_is_published_and_small_cells_exist(users, two_small_years):
    reports = Reports(users["authority"])
    table = reports.tables(MONTHS[0], MONTHS[-1])["months"]
    shown = [value for _label, values in table.rows for value in values]
    assert HIDDEN_MARK in shown
    assert not {1, 2, 3, 4} & {value for value in shown if isinstance(value, int)}
    assert any(is_small(registered) for registered, _walk_ins in two_small_years.values())


def test_subtracting_overlapping_periods_recovers_no_hidden_month(users, two_small_years):
    """Attack 1: January hidden, January–March minus February–March; every length from 1 to 12 months."""
    reports = Reports(users["authority"])
    hits = attempts = 0
    for column in (0, 1):
        for index, month in enumerate(MONTHS):
            single = reports.tables(month, month)["months"]
            if published(single, 0, column) is not None:
                continue  # not hidden: nothing to recover
            truth = two_small_years[month][column]
            for length in range(2, 13):
                if index + length > len(MONTHS):
                    break
                last = month_after(month, length - 1)
                longer, shorter = reports.total(month, last, column=column), reports.total(month_after(month, 1), last, column=column)
                if longer is None or shorter is None:
                    continue
                attempts += 1
                hits += longer - shorter == truth
    assert rate(hits, attempts) <= ZERO_NOISE_RATE


def test_the_margins_and_other_tables_of_one_report_give_back_no_hidden_walk_ins(users, two_small_years):
    """Attack 2: registered visits of the months table against the situation and country tables."""
    reports = Reports(users["authority"])
    hits = attempts = 0
    for index, first in enumerate(MONTHS):
        for length in (1, 2, 3, 4, 6, 12):
            if index + length > len(MONTHS):
                continue
            last = month_after(first, length - 1)
            tables = reports.tables(first, last)
            truth = sum(two_small_years[month][1] for month in MONTHS[index:index + length])
            months = tables["months"]
            for key in ("situation", "country"):
                table = tables[key]
                # The walk-ins' row: visits, no person.
                walk_in_rows = [row for row, line in enumerate(table.body) if line[1] is None]
                if not walk_in_rows:
                    continue
                (walk_in_row,) = walk_in_rows
                if published(table, walk_in_row, 0) is not None:
                    continue
                total = published(table, len(table.rows) - 1, 0)
                visible = [published(table, row, 0) for row in range(len(table.rows) - 1) if row != walk_in_row]
                if total is not None and None not in visible:
                    attempts += 1
                    hits += total - sum(visible) == truth
                grand, registered = published(months, len(months.rows) - 1, 2), published(months, len(months.rows) - 1, 0)
                if grand is not None and registered is not None:
                    attempts += 1
                    hits += grand - registered == truth
    assert rate(hits, attempts) <= ZERO_NOISE_RATE


def test_the_public_profile_against_the_authoritys_reports_gives_back_no_hidden_dossier_count(
    client, users, two_small_years
):
    """Attack 3: the profile counts every dossier; a report of all months but one gives that month."""
    every = all_dossiers_by_sector_and_stage(ProjectDossier.objects.filter(commune__code=SEDHIOU.code))
    every.perturbed = True
    profile_html = client.get("/communes/SN1103_SEDHIOU/").content.decode()
    profile_row = re.search(r'data-table="dossiers".*?<tbody>\s*<tr[^>]*>(.*?)</tr>', profile_html, re.S).group(1)
    profile_cells = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", profile_row, re.S)]
    assert profile_cells[0] == str(every.rows[0][1][0]).replace("<", "&lt;")  # the same cell, the same figure

    reports = Reports(users["authority"])
    profile_total = published(every, 0, 0)
    assert profile_total is not None
    hits = attempts = 0
    dossier_months = {
        month: ProjectDossier.objects.filter(created_at__gte=at(month, 1), created_at__lt=at(month_after(month, 1), 1)).count()
        for month in MONTHS
    }
    for index, month in enumerate(MONTHS):
        if not dossier_months[month]:
            continue
        # The other months, cut into periods every way the attacker likes: one estimate per cut.
        befores = _cuts(reports, MONTHS[:index])
        afters = _cuts(reports, MONTHS[index + 1:])
        for before in befores:
            for after in afters[:4]:
                attempts += 1
                hits += profile_total - before - after == dossier_months[month]
    assert rate(hits, attempts) <= ZERO_NOISE_RATE


def _cuts(reports, months) -> list[int]:
    """The published dossiers of ``months`` read as one period, or as two periods cut anywhere."""
    if not months:
        return [0]
    sums = []
    for cut in range(len(months)):
        parts = [(months[0], months[cut]), (month_after(months[cut], 1), months[-1])]
        figures = [
            published(reports.tables(first, last)["dossiers"], 0, 0) if first <= last else 0 for first, last in parts
        ]
        if None not in figures:
            sums.append(sum(figures))
    return sums


def test_averaging_the_same_cell_over_many_periods_gives_nothing_more(users, two_small_years):
    """Attack 4, as issue 16 states it: a month's cell read in every period that contains it, averaged.

    The same records give the same cell key, hence the same figure in every period: there is
    nothing to average. A hidden month reads "<5" in every period (the attacker gets no number
    at all), and a published one always the same figure, which equals the true count only when
    its own noise is zero.
    """
    reports = Reports(users["authority"])
    hits = attempts = 0
    for column in (0, 1):
        for index, month in enumerate(MONTHS):
            readings = []
            for first in MONTHS[max(0, index - 6):index + 1]:
                for last in MONTHS[index:index + 7]:
                    table = reports.months(first, last)
                    readings.append(table.rows[(month.year - first.year) * 12 + month.month - first.month][1][column])
            assert len(set(readings)) == 1, f"{month:%Y-%m} reads {set(readings)}"
            if HIDDEN_MARK not in readings:
                continue  # published: nothing hidden to recover
            attempts += 1
            numbers = [reading for reading in readings if isinstance(reading, int)]
            if numbers:  # the attacker's average of what the periods show of this cell
                hits += round(sum(numbers) / len(numbers)) == two_small_years[month][column]
    assert rate(hits, attempts) <= ZERO_NOISE_RATE
    assert hits == 0  # a hidden month shows no number in any period: there is nothing to average


def _differences(reports, month: date, column: int) -> list[int]:
    """Every estimate of ``month``'s cell that overlapping periods of 2 to 12 months give, as if exact.

    A period starting at the month minus the same period starting a month later, and a period
    ending at the month minus the same period ending a month earlier.
    """
    found = []
    for length in range(2, 13):
        later = month_after(month, length - 1)
        if later <= MONTHS[-1]:
            pair = (reports.total(month, later, column=column), reports.total(month_after(month, 1), later, column=column))
            if None not in pair:
                found.append(pair[0] - pair[1])
        earlier = month_after(month, -(length - 1))
        if earlier >= MONTHS[0]:
            pair = (reports.total(earlier, month, column=column), reports.total(earlier, month_after(month, -1), column=column))
            if None not in pair:
                found.append(pair[0] - pair[1])
    return found


def _hidden_months(reports, column: int):
    for month in MONTHS:
        if published(reports.months(month, month), 0, column) is None:
            yield month


def test_an_attacker_who_takes_published_figures_as_exact_recovers_no_hidden_month(users, two_small_years):
    """Differences of exact figures no longer exist: for every hidden month, the differences of
    overlapping periods contradict one another, so an attacker who believes them exact has no
    answer (and cannot tell which of them, if any, is right)."""
    reports = Reports(users["authority"])
    checked = 0
    for column in (0, 1):
        for month in _hidden_months(reports, column):
            differences = _differences(reports, month, column)
            if len(differences) < 2:
                continue  # nothing to compare (the longer periods' figures hidden too)
            assert len(set(differences)) > 1, f"{month:%Y-%m}: every difference reads {differences[0]}"
            checked += 1
    assert checked >= 10


def test_averaging_many_differences_of_a_hidden_month_narrows_the_noise_down(users, two_small_years):
    """The method's known limit, measured: averaging the differences of many overlapping periods.

    Each difference is the hidden count plus two independent noises; their mean over some twenty
    differences has a small spread, so the rounded mean is often the hidden count. The cell-key
    method makes every single answer uncertain (attack 1: at most the zero-noise rate); it does
    not stop this, and this test states what does hold, so that a change of the perturbation
    table or of the periods an authority may choose shows here.
    """
    reports = Reports(users["authority"])
    hits = attempts = 0
    errors = []
    for column in (0, 1):
        for month in _hidden_months(reports, column):
            differences = _differences(reports, month, column)
            truth = two_small_years[month][column]
            # What a hidden "<5" may be: 1 to 4 published, at most two away from the count, never 0.
            estimate = min(max(round(sum(differences) / len(differences)), 1), 4 + MAX_DEVIATION)
            attempts += 1
            hits += estimate == truth
            errors.append(abs(estimate - truth))
    recovered = rate(hits, attempts)
    # What holds on this data (measured: 18 of 24 hidden months, 75 %): the rounded mean is
    # never more than one away from the hidden count, and exact well above the zero-noise rate
    # of a single figure, though not always. Whoever strengthens the method sees it fail here,
    # and updates this bound and the method note of docs/reports.md with it.
    assert max(errors) <= 1
    assert ZERO_NOISE_RATE < recovered < 1
