"""The authority's attacks on the published figures, replayed: none gives back a hidden count.

Data built to have small cells: two years of visits in four communes of the authority, hidden
months among published ones, dossiers opened over the months. Record keys are drawn from a
seeded generator so that each run replays the same attack on the same figures.

Each attack is what issue 16 found: (1) subtracting overlapping periods, (2) subtracting
tables or margins of one report, (3) the public profile against a report of another
period, (4) averaging the same cell over many periods. An authority may ask only aligned
periods (a month, a quarter, a half-year, one to five whole years: ``Period.is_aligned``):
attack 1's periods are refused by the page, and the attacks use every period the page accepts.
A hidden count is "recovered" when the attacker's estimate equals the true count; the cell-key
method lets that happen only by chance, so the rate must stay under the perturbation's own
zero-noise rate (``privacy.ZERO_NOISE_RATE``). An attacker who ignores the method and takes
the figures as exact finds differences that contradict one another for every hidden month,
so recovers none.
"""

import functools
import itertools
import random
import re
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse_lazy
from django.utils import timezone

from hom.reports.privacy import HIDDEN_MARK, MAX_DEVIATION, ZERO_NOISE_RATE, is_small, perturb
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.selectors.visits import all_dossiers_by_sector_and_stage, dossiers_by_sector_and_stage, person_tables
from hom.reports.selectors.visits import visits_by_month as months_table
from hom.territories.models import Commune
from migrants.models import Migrant, Visit
from migrants.tests.factories import MigrantFactory
from projects.models import ProjectDossier
from projects.tests.factories import DossierFactory

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
REPORT_URL = reverse_lazy("reports:report", args=["commune", "SN1103_SEDHIOU"])
MONTHS = [date(2024 + index // 12, index % 12 + 1, 1) for index in range(24)]


def month_after(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def at(month: date, day: int = 10) -> datetime:
    return datetime(month.year, month.month, day, 10, tzinfo=timezone.get_current_timezone())


# The averaging attack (4) needs hidden months whose neighbours are published: a handful per
# commune, so the same two years are built in four communes of the authority for a sample.
COMMUNES = ["SN1103_SEDHIOU", "SN1103_MARSASSOUM", "SN1103_BAMBALY", "SN1103_DIENDE"]


@pytest.fixture
def two_small_years(users, office, sectors):
    """Per commune and month, 1 to 4 (two months in five) or 5 to 12 visits of twelve persons,
    0 to 5 walk-ins; in Sédhiou a dossier most months. Returns {commune code: {month: (registered, walk-ins)}}."""
    draw = random.Random(16)
    truth, visits = {}, []
    communes = [Commune.objects.get(code=code) for code in COMMUNES]
    users["authority"].communes.add(*communes)
    for commune in communes:
        persons = [
            MigrantFactory(
                office=office,
                commune_of_origin=commune,
                sex="F" if n % 2 else "M",
                birth_year=1980 + n,
                situation="abroad" if n % 3 else "returned",
                country_of_residence="FR" if n % 3 else "",
            )
            for n in range(12)
        ]
        truth[commune.code] = {}
        for month in MONTHS:
            # Small months among larger ones: a hidden month whose neighbours are published is what
            # an attacker subtracting periods needs.
            registered = draw.randint(1, 4) if draw.random() < 0.4 else draw.randint(5, 12)
            walk_ins = draw.randint(0, 5)
            truth[commune.code][month] = (registered, walk_ins)
            for n in range(registered):
                visits.append(Visit(office=office, migrant=draw.choice(persons), occurred_at=at(month, 1 + n)))
            for n in range(walk_ins):
                visits.append(
                    Visit(office=office, commune=commune, sex="F", age_group="25_34", occurred_at=at(month, 2 + n))
                )
        if commune.code == SEDHIOU.code:
            for month in MONTHS + MONTHS[::3]:
                dossier = DossierFactory(promoter=draw.choice(persons), commune=commune, sector=sectors["AGRI"])
                ProjectDossier.objects.filter(pk=dossier.pk).update(created_at=at(month))
    Visit.objects.bulk_create(visits)
    # Keys drawn again from the seed: the same figures every run.
    for model in (Migrant, Visit, ProjectDossier):
        rows = list(model.objects.order_by("pk").only("pk"))
        for row in rows:
            row.record_key = draw.randrange(256)
        model.objects.bulk_update(rows, ["record_key"], batch_size=500)
    return truth


def published(table, row, column):
    """What the authority reads in a cell: a number, or None when hidden."""
    shown = table.rows[row][1][column]
    return None if shown == HIDDEN_MARK else shown


class Reports:
    """The authority's reports, computed once per period, perturbed as the page shows them.

    Only the periods the site accepts from an authority: the attacker works with what the page
    (or the API) would answer; test_the_overlapping_periods_of_attack_one_are_refused checks the
    others are refused."""

    def __init__(self, user, territory: Territory = SEDHIOU):
        self.user, self.territory, self.cache = user, territory, {}

    def _scope(self, period: Period):
        assert period.is_aligned, f"{period} is not a period the site accepts"
        scope = report_scope(self.user, self.territory, period, from_summary=False)
        assert scope.perturbed
        return scope

    def tables(self, period: Period) -> dict:
        if period not in self.cache:
            scope = self._scope(period)
            tables = [months_table(scope), *person_tables(scope), dossiers_by_sector_and_stage(scope)]
            for table in tables:
                table.perturbed = True
            self.cache[period] = {table.key: table for table in tables}
        return self.cache[period]

    def months(self, period: Period):
        """Only the months table of the period (what attacks 1 and 4 read)."""
        if period in self.cache:
            return self.cache[period]["months"]
        if ("months", period) not in self.cache:
            table = months_table(self._scope(period))
            table.perturbed = True
            self.cache[("months", period)] = table
        return self.cache[("months", period)]

    def total(self, period: Period, key="months", column=0):
        """The period's total row (a cell of its own), or None when hidden."""
        table = self.months(period) if key == "months" else self.tables(period)[key]
        return published(table, len(table.rows) - 1, column)


# The periods the site accepts, within the data: every record lies in 2024–2025, so a period
# reaching beyond (2023–2024, 2024–2028) counts the same records as its part within the data and
# publishes the same figures (same keys; checked below): it tells the attacker nothing more.
DATA = Period.calendar_years(2024, 2025)
HALF_YEARS = Period(first=date(2024, 1, 1), last=date(2024, 6, 1)).is_aligned


def within(period: Period, month: date) -> bool:
    return period.first <= month <= period.last


def parts(period: Period) -> list[Period]:
    """The accepted periods one level down: years, then half-years (if accepted), quarters, months."""
    if period.length == 1:
        return []
    if period.length > 12:
        return [Period.calendar_years(year) for year in range(period.first.year, period.last.year + 1)]
    size = {3: 1, 6: 3, 12: 6 if HALF_YEARS else 3}[period.length]
    return [Period(first=first, last=month_after(first, size - 1)) for first in period.months()[::size]]


@functools.cache
def tilings(period: Period) -> tuple[tuple[Period, ...], ...]:
    """Every way to cut ``period`` into accepted periods: itself, or a cut of each of its parts."""
    found = [(period,)]
    if parts(period):
        for combination in itertools.product(*(tilings(part) for part in parts(period))):
            found.append(tuple(piece for cut in combination for piece in cut))
    return tuple(found)


@functools.cache
def tilings_without(period: Period, month: date) -> tuple[tuple[Period, ...], ...]:
    """Every way to cut ``period`` minus ``month`` into accepted periods that do not contain it."""
    if period.length == 1:
        return ((),)
    choices = [tilings_without(part, month) if within(part, month) else tilings(part) for part in parts(period)]
    return tuple(tuple(piece for cut in combination for piece in cut) for combination in itertools.product(*choices))


def periods_containing(month: date) -> list[Period]:
    """The accepted periods of the data that hold ``month``: the two years down to the month itself."""
    chain = [DATA]
    while chain[-1].length > 1:
        chain.append(next(part for part in parts(chain[-1]) if within(part, month)))
    return chain


def every_accepted_period() -> list[Period]:
    return sorted({piece for cut in tilings(DATA) for piece in cut}, key=lambda period: (period.first, period.last))


def rate(hits, attempts):
    assert attempts, "the attack found nothing to try: the data must hold hidden cells"
    print(f"recovered {hits} of {attempts} ({hits / attempts:.0%}); zero-noise rate {ZERO_NOISE_RATE:.0%}")
    return hits / attempts


def test_no_count_from_one_to_four_is_published_and_small_cells_exist(users, two_small_years):
    reports = Reports(users["authority"])
    table = reports.tables(DATA)["months"]
    shown = [value for _label, values in table.rows for value in values]
    assert HIDDEN_MARK in shown
    assert not {1, 2, 3, 4} & {value for value in shown if isinstance(value, int)}
    assert any(is_small(registered) for registered, _walk_ins in two_small_years[SEDHIOU.code].values())


def test_the_overlapping_periods_of_attack_one_are_refused(client, users, two_small_years):
    """Attack 1 replayed through the page: a hidden month M, then the periods M to M+n and M+1 to
    M+n (n from 1 to 11) asked for in the URL. An authority's report accepts only aligned periods
    (a month, a quarter, a half-year, whole years): in every pair at least one period is refused
    with the form's error and no figure, so no such difference can be taken any more."""
    client.force_login(users["authority"])
    reports = Reports(users["authority"])
    answers = {}

    def figures(first: date, last: date) -> list[str] | None:
        """The page's figures for the period, or None when the page refuses it."""
        if (first, last) not in answers:
            response = client.get(REPORT_URL, {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"})
            assert response.status_code == 200
            html = response.content.decode()
            cells = re.findall(r"<td[^>]*data-cell[^>]*>", html)
            refused = 'data-testid="period-refused"' in html
            assert refused != bool(cells), (first, last)
            if refused:
                assert "ne couvrent qu’un mois" in html  # the form's error, in French
                assert f'value="{first:%Y-%m}"' in html and f'value="{last:%Y-%m}"' in html  # what was typed is kept
            answers[(first, last)] = None if refused else cells
        return answers[(first, last)]

    pairs = answered = 0
    for month in _hidden_months(reports, 0):
        for length in range(2, 13):
            last = month_after(month, length - 1)
            if last > MONTHS[-1]:
                break
            pairs += 1
            answered += figures(month, last) is not None and figures(month_after(month, 1), last) is not None
    print(f"{pairs} pairs of periods asked, {answered} answered both; {len(answers)} requests")
    assert pairs >= 50
    assert answered == 0
    assert any(answer is not None for answer in answers.values())  # the aligned ones are answered


def test_the_margins_and_other_tables_of_one_report_give_back_no_hidden_walk_ins(users, two_small_years):
    """Attack 2: registered visits of the months table against the situation and country tables."""
    reports = Reports(users["authority"])
    hits = attempts = 0
    for period in every_accepted_period():
        tables = reports.tables(period)
        truth = sum(two_small_years[SEDHIOU.code][month][1] for month in period.months())
        months = tables["months"]
        hidden = False
        for key in ("situation", "country"):
            table = tables[key]
            # The walk-ins' row: visits, no person.
            walk_in_rows = [row for row, line in enumerate(table.body) if line[1] is None]
            if not walk_in_rows:
                continue
            (walk_in_row,) = walk_in_rows
            if published(table, walk_in_row, 0) is not None:
                continue
            hidden = True
            total = published(table, len(table.rows) - 1, 0)
            visible = [published(table, row, 0) for row in range(len(table.rows) - 1) if row != walk_in_row]
            if total is not None and None not in visible:
                attempts += 1
                hits += total - sum(visible) == truth
        # The months table's margins: all visits minus registered visits (once per period).
        grand, registered = published(months, len(months.rows) - 1, 2), published(months, len(months.rows) - 1, 0)
        if hidden and grand is not None and registered is not None:
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
    # The profile counts every dossier, all of them opened in the two years: the same records as
    # the report of the two years, hence the same cell and the same figure.
    assert reports.total(DATA, key="dossiers") == profile_total
    hits = attempts = blocked = 0
    dossier_months = {
        month: ProjectDossier.objects.filter(
            created_at__gte=at(month, 1), created_at__lt=at(month_after(month, 1), 1)
        ).count()
        for month in MONTHS
    }
    for month in MONTHS:
        if not dossier_months[month]:
            continue
        # The other months, cut into accepted periods every way there is: one estimate per cut.
        for cut in tilings_without(DATA, month):
            pieces = [reports.total(piece, key="dossiers") for piece in cut]
            if None in pieces:
                blocked += 1  # a piece of the cut is hidden: no number to subtract
                continue
            attempts += 1
            hits += profile_total - sum(pieces) == dossier_months[month]
    print(f"{blocked} cuts hold a hidden piece; {attempts} give an estimate")
    assert blocked + attempts >= 1000
    # A month can only be cut out with the other months of its quarter, one by one, and months of
    # one or two dossiers are hidden: the attack may find no estimate at all.
    assert attempts == 0 or rate(hits, attempts) <= ZERO_NOISE_RATE


def test_a_month_reads_the_same_in_every_period_that_contains_it(users, two_small_years):
    """The same records give the same cell key, hence the same figure in every period: a month's
    row reads the same in the month, its quarter, half-year, year and the two years, and a period
    reaching beyond the data (2020–2024) publishes what its part within the data does."""
    reports = Reports(users["authority"])
    for column in (0, 1):
        for month in MONTHS:
            readings = [
                reports.months(period).rows[(month.year - period.first.year) * 12 + month.month - period.first.month][
                    1
                ][column]
                for period in periods_containing(month)
            ]
            assert len(set(readings)) == 1, f"{month:%Y-%m} reads {set(readings)}"
    beyond, within_data = Period.calendar_years(2020, 2024), Period.calendar_years(2024)
    assert [reports.total(beyond, column=column) for column in (0, 1, 2)] == [
        reports.total(within_data, column=column) for column in (0, 1, 2)
    ]


def _hidden_months(reports, column: int):
    for month in MONTHS:
        if published(reports.months(Period(first=month, last=month)), 0, column) is None:
            yield month


def _every_hidden_month(users, two_small_years):
    """(reports of a commune, column, month) for every month hidden in a commune's months table."""
    for code in COMMUNES:
        reports = Reports(users["authority"], Territory(TerritoryKind.COMMUNE, code, code))
        for column in (0, 1):
            for month in _hidden_months(reports, column):
                yield reports, column, month


def isolating_differences(reports, month: date, column: int) -> list[tuple[int, int]]:
    """Every estimate of ``month``'s hidden cell that the accepted periods give, as (estimate, figures used).

    For every aligned period containing the month (its quarter, half-year, year, the two years),
    and every way to cut the rest of that period into aligned periods not containing the month
    (each published, not hidden): the period's total minus the totals of the pieces.
    """
    found = []
    for period in periods_containing(month)[:-1]:
        whole = reports.total(period, column=column)
        if whole is None:
            continue
        for tiling in tilings_without(period, month):
            pieces = [reports.total(piece, column=column) for piece in tiling]
            if None not in pieces:
                found.append((whole - sum(pieces), 1 + len(pieces)))
    return found


def test_an_attacker_who_takes_published_figures_as_exact_recovers_no_hidden_month(users, two_small_years):
    """Differences of exact figures no longer exist: for every hidden month, the differences of
    accepted periods that isolate it contradict one another, so an attacker who believes them exact
    has no answer (and cannot tell which of them, if any, is right)."""
    checked = 0
    for reports, column, month in _every_hidden_month(users, two_small_years):
        if True:
            differences = [estimate for estimate, _figures in isolating_differences(reports, month, column)]
            if len(differences) < 2:
                continue  # nothing to compare (the pieces around the month hidden too)
            assert len(set(differences)) > 1, f"{month:%Y-%m}: every difference reads {differences[0]}"
            checked += 1
    assert checked >= 4


def _plausible(estimate: float) -> int:
    """What a hidden "<5" may be: 1 to 4 published, at most two away from the count, never 0."""
    return min(max(round(estimate), 1), 4 + MAX_DEVIATION)


def test_averaging_every_difference_that_isolates_a_hidden_month_recovers_it_no_more_than_chance(
    users, two_small_years
):
    """Attack 4, as issue 16 states it: the attacker takes every period the site accepts that
    contains a hidden month, every difference of such periods that isolates it, and averages them,
    plainly or weighting each by its noise (a difference of n figures carries n noises).

    Before aligned periods (any range of 1 to 60 months), some twenty overlapping periods gave
    twenty differences with independent noises, and their rounded mean was the hidden count for
    18 hidden months of 24 (75 %). Now the accepted periods containing a month are few (its
    quarter, half-year, year, the two years) and their differences share their noises.
    """
    plain = weighted = attempts = unreachable = 0
    for reports, column, month in _every_hidden_month(users, two_small_years):
        if True:
            differences = isolating_differences(reports, month, column)
            if not differences:
                unreachable += 1
                continue
            truth = two_small_years[reports.territory.code][month][column]
            attempts += 1
            plain += _plausible(sum(estimate for estimate, _n in differences) / len(differences)) == truth
            weights = sum(1 / n for _estimate, n in differences)
            weighted += _plausible(sum(estimate / n for estimate, n in differences) / weights) == truth
    print(f"{unreachable} hidden months no difference of accepted periods isolates")
    assert attempts >= 4
    assert rate(plain, attempts) <= ZERO_NOISE_RATE
    assert rate(weighted, attempts) <= ZERO_NOISE_RATE


class SimulatedReports:
    """The published totals of every accepted period for random months, without a database:
    each month's count and cell key (the sum of its records' keys modulo 256, uniform), a
    period's key the sum of its months' keys modulo 256, as the report's GROUP BY gives it, and
    the figure ``privacy.perturb`` of the count and key, hidden from 1 to 4."""

    def __init__(self, draw: random.Random):
        self.counts = {month: draw.randint(1, 4) if draw.random() < 0.4 else draw.randint(5, 12) for month in MONTHS}
        self.keys = {month: draw.randrange(256) for month in MONTHS}

    def total(self, period: Period, column=0):
        count = sum(self.counts[month] for month in period.months())
        figure = perturb(count, sum(self.keys[month] for month in period.months()) % 256)
        return None if is_small(figure) else figure

    def months(self, period: Period):  # what _hidden_months reads: only the month's own figure
        return SimpleNamespace(rows=[("", [HIDDEN_MARK if self.total(period) is None else self.total(period)])])


def test_averaging_simulated_on_many_months_recovers_no_more_than_the_zero_noise_rate():
    """Attack 4 on 1,500 random two-year series (the database test has some twenty hidden months
    that a difference isolates; this one some thousand): the same periods, differences and averages."""
    draw = random.Random(1600)
    plain = weighted = attempts = 0
    for _series in range(1500):
        reports = SimulatedReports(draw)
        month = draw.choice(MONTHS)
        if reports.total(Period(first=month, last=month)) is not None:
            continue
        differences = isolating_differences(reports, month, 0)
        if not differences:
            continue
        attempts += 1
        truth = reports.counts[month]
        plain += _plausible(sum(estimate for estimate, _n in differences) / len(differences)) == truth
        weights = sum(1 / n for _estimate, n in differences)
        weighted += _plausible(sum(estimate / n for estimate, n in differences) / weights) == truth
    assert attempts >= 150
    assert rate(plain, attempts) <= ZERO_NOISE_RATE
    assert rate(weighted, attempts) <= ZERO_NOISE_RATE
