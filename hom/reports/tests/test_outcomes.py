"""Funding, introductions, conventions and events in the report: GROUP BY figures, scoped, suppressed."""
from datetime import date

from hom.reports.privacy import HIDDEN_MARK
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.selectors.outcomes import (
    conventions_by_status,
    events_by_kind,
    funding_by_status,
    introductions_by_kind_and_status,
)
from hom.reports.tables import HIDDEN_AMOUNT, Table

from .builders import moment, outcomes_of, small_cells_of

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
REGION = Territory(TerritoryKind.REGION, "SN11", "Sédhiou")
PERIOD = Period(first=date(2026, 1, 1), last=date(2026, 12, 1))


def build(users, office, commune, needs, sectors, when=None):
    when = when or moment(2026, 3)
    persons = small_cells_of(commune, office, needs, sectors, when=when)
    outcomes_of(commune, office, persons, when=when)


def test_funding_counts_and_sums_applications_by_status(users, office, sedhiou, needs, sectors):
    build(users, office, sedhiou, needs, sectors)

    table = funding_by_status(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert table.body == [
        [7, 7_000_000, None, None],
        [0, 0, None, None],
        [2, 2_000_000, 1_600_000, None],
        [0, 0, None, None],
        [1, 1_000_000, 500_000, 500_000],
    ]


def test_an_amount_over_fewer_than_five_applications_is_hidden_and_cannot_be_worked_out(
    users, office, sedhiou, needs, sectors
):
    build(users, office, sedhiou, needs, sectors)

    rows = dict(funding_by_status(report_scope(users["authority"], SEDHIOU, PERIOD)).rows)

    # Given 2 accepted and 1 disbursed: their counts and every amount granted or disbursed go.
    assert [str(value) for value in rows["Acceptée"]] == [HIDDEN_MARK, str(HIDDEN_AMOUNT), str(HIDDEN_AMOUNT), "None"]
    assert [str(value) for value in rows["Décaissée"]][:4] == [HIDDEN_MARK] + [str(HIDDEN_AMOUNT)] * 3
    # The total granted sums over three applications: hidden as well.
    assert str(rows["Total"][2]) == str(HIDDEN_AMOUNT)
    assert str(rows["Total"][3]) == str(HIDDEN_AMOUNT)
    # The requested column keeps its total, so a second requested amount hides with the small ones.
    requested = [rows[label][1] for label in ("Prévue", "Acceptée", "Décaissée")]
    assert sum(1 for value in requested if str(value) == str(HIDDEN_AMOUNT)) >= 2


def test_amount_columns_follow_their_counts_and_margins():
    # Given a lone hidden amount (its count is 3), the next smallest amount goes with it.
    table = Table(
        key="t", title="t", row_heading="r", columns=["n", "amount"], row_labels=["a", "b", "c"],
        body=[[3, 300], [9, 900], [20, 2000]], column_totals=True, amount_columns={1: 0},
    )

    assert [values for _label, values in table.rows] == [
        [HIDDEN_MARK, HIDDEN_AMOUNT], [HIDDEN_MARK, HIDDEN_AMOUNT], [20, 2000], [32, 3200],
    ]


def test_introductions_by_kind_of_organisation_and_status(users, office, sedhiou, needs, sectors):
    build(users, office, sedhiou, needs, sectors)

    table = introductions_by_kind_and_status(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert [str(label) for label in table.row_labels] == ["Association de la diaspora", "ONG ou société civile"]
    assert table.body == [[6, 0, 0, 0, 0], [0, 0, 3, 0, 0]]
    assert table.suppressed.shown(1, 2) == HIDDEN_MARK


def test_conventions_running_in_the_commune_with_their_budget(users, office, sedhiou, marsassoum, needs, sectors):
    from partnerships.tests.convention_factories import ConventionFactory

    build(users, office, sedhiou, needs, sectors)
    elsewhere = ConventionFactory(office=office)
    elsewhere.communes.set([marsassoum])
    ConventionFactory(office=office, status="draft").communes.set([sedhiou])

    table = conventions_by_status(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert table.body == [[0, 0, 0], [1, 2_000_000, 500_000], [0, 0, 0]]
    assert table.rows[1][1] == [HIDDEN_MARK, HIDDEN_AMOUNT, HIDDEN_AMOUNT]


def test_events_by_kind_count_the_persons_taking_part(users, office, sedhiou, needs, sectors):
    build(users, office, sedhiou, needs, sectors)

    table = events_by_kind(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert dict(zip([str(label) for label in table.row_labels], table.body, strict=True)) == {
        "Forum": [3, 3], "Mission à l'étranger": [0, 0], "Formation": [1, 7], "Visite d'échange": [0, 0],
    }


def test_the_period_and_the_office_bound_the_new_sections(users, office, other_office, sedhiou, needs, sectors):
    build(users, office, sedhiou, needs, sectors, when=moment(2025, 3))
    other_office_reader = report_scope(users["other_office_advisor"], REGION, PERIOD)
    later = report_scope(users["authority"], SEDHIOU, PERIOD)

    for scope in (other_office_reader, later):
        for table in (funding_by_status(scope), introductions_by_kind_and_status(scope), events_by_kind(scope)):
            assert table.is_empty, table.key
    # The convention runs through 2026 and concerns the commune: the authority sees it, not another office.
    assert conventions_by_status(later).body[1][0] == 1
    assert conventions_by_status(other_office_reader).is_empty
