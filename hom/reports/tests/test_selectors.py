"""The report's figures, computed by GROUP BY queries, for a territory and a period."""
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.sections import SECTIONS, Section, register_section, report_sections
from hom.reports.selectors.visits import (
    dossiers_by_sector_and_stage,
    visits_by_age_group,
    visits_by_country,
    visits_by_month,
    visits_by_need,
    visits_by_sex,
    visits_by_situation,
)
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory, VisitFactory

from .builders import moment, small_cells_of

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
PERIOD = Period(first=date(2026, 1, 1), last=date(2026, 12, 1))


def raw(table):
    return dict(zip([str(label) for label in table.row_labels], table.body, strict=True))


def test_visits_and_persons_by_sex_count_walk_ins_as_visits(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))

    table = visits_by_sex(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert raw(table) == {"Femme": [9, 7], "Homme": [3, 3]}


def test_age_groups_come_from_the_year_of_birth_or_the_walk_in(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))

    table = visits_by_age_group(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert raw(table)["25 à 34 ans"] == [9, 7]
    assert raw(table)["35 à 49 ans"] == [3, 3]


def test_situation_and_country_put_walk_ins_apart(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))
    scope = report_scope(users["authority"], SEDHIOU, PERIOD)

    situation, country = visits_by_situation(scope), visits_by_country(scope)

    assert situation.body == [[0, 0], [7, 7], [3, 3], [0, 0], [2, None]]
    assert country.body == [[7, 7], [3, 3], [2, None]]
    assert [str(label) for label in country.row_labels][:2] == ["France", "Espagne"]


def test_needs_count_each_visit_once_per_need(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))

    table = visits_by_need(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert table.body[0] == [10, 10]
    assert sorted(row[0] for row in table.body) == [2, 3, 10]
    assert not table.column_totals


def test_months_cover_the_whole_period_with_registered_visits_and_walk_ins(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))

    table = visits_by_month(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert len(table.body) == 12
    assert table.body[2] == [10, 2]
    assert table.suppressed.values[-1][-1] == 12


def test_dossiers_by_sector_and_stage(users, office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))

    table = dossiers_by_sector_and_stage(report_scope(users["authority"], SEDHIOU, Period.last_twelve_months()))

    assert table.body == [[6, 0, 0, 0], [0, 0, 0, 3]]


def test_the_period_and_the_territory_filter_the_visits(users, office, sedhiou, marsassoum, needs, sectors):
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2025, 6))
    small_cells_of(marsassoum, office, needs, sectors, when=moment(2026, 3))

    table = visits_by_sex(report_scope(users["authority"], SEDHIOU, PERIOD))

    assert table.body == [[0, 0], [0, 0]]


def test_staff_count_only_their_office_rows(users, office, other_office, sedhiou, needs, sectors):
    small_cells_of(sedhiou, other_office, needs, sectors, when=moment(2026, 3))
    region = Territory(TerritoryKind.REGION, "SN11", "Sédhiou")

    mine = visits_by_sex(report_scope(users["advisor"], region, PERIOD))
    national = visits_by_sex(report_scope(users["superuser"], Territory(TerritoryKind.NATIONAL, "all", "Sénégal"), PERIOD))

    assert mine.body == [[0, 0], [0, 0]]
    assert raw(national)["Femme"] == [9, 7]


def test_staff_count_the_persons_of_their_visits_even_when_another_office_holds_them_now(
    users, office, other_office, sedhiou, needs
):
    # The report reads the persons their office holds, and the others of the period by their key.
    stays = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="F", birth_year=1990)
    moved = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="M", birth_year=1980)
    MigrantFactory(office=other_office, commune_of_origin=sedhiou, sex="M", birth_year=1980)  # never came here
    for person in (stays, moved, moved):
        VisitFactory(migrant=person, office=office, occurred_at=moment(2026, 3))
    Migrant.objects.filter(pk=moved.pk).update(office=other_office)  # transferred since
    territory = Territory(TerritoryKind.OFFICE, office.code, office.name)

    table = visits_by_sex(report_scope(users["advisor"], territory, PERIOD))

    assert raw(table) == {"Femme": [1, 1], "Homme": [2, 1]}


def test_the_sections_keep_a_constant_query_count(users, office, sedhiou, needs):
    scope = report_scope(users["authority"], SEDHIOU, PERIOD)

    def queries():
        with CaptureQueriesContext(connection) as context:
            report_sections(scope)
        return len(context.captured_queries)

    VisitFactory.create_batch(
        2,
        migrant=MigrantFactory(office=office, commune_of_origin=sedhiou),
        occurred_at=moment(2026, 2),
        needs=[needs["FUNDING"]],
    )
    with_two = queries()
    VisitFactory.create_batch(
        18,
        migrant=MigrantFactory(office=office, commune_of_origin=sedhiou),
        occurred_at=moment(2026, 4),
        needs=[needs["TRAINING"]],
    )

    assert queries() == with_two


def test_another_app_registers_a_section(users):
    section = Section("jobs", "Emplois", lambda scope: [])

    register_section(section, before="dossiers")

    try:
        keys = [known.key for known in SECTIONS]
        assert keys[keys.index("jobs") + 1] == "dossiers"
    finally:
        SECTIONS.remove(section)


def test_a_report_is_kept_in_the_cache_for_a_few_minutes(settings, users, office, sedhiou, needs):
    settings.REPORTS_CACHE_SECONDS = 600
    scope = report_scope(users["authority"], SEDHIOU, PERIOD)
    VisitFactory(migrant=MigrantFactory(office=office, commune_of_origin=sedhiou), occurred_at=moment(2026, 2))
    first = report_sections(scope)

    with CaptureQueriesContext(connection) as context:
        again = report_sections(scope)

    assert len(context.captured_queries) == 0
    assert [table.body for section in again for table in section.tables] == [
        table.body for section in first for table in section.tables
    ]
    cache.clear()


def test_the_needs_distinct_persons_and_their_keys_are_those_of_the_visits_live_and_from_the_summaries(
    users, office, sedhiou, needs, sectors
):
    """The needs table counts each person once per need and sums the keys of those distinct persons
    (modulo 256), whether it reads the visits or the summaries. On PostgreSQL both come from one
    packed DISTINCT sum (selectors.visits.need_counts): its count and its key are checked here
    against the visits themselves, for persons with several visits and keys up to 255."""
    from hom.reports.privacy import KEY_RANGE
    from hom.reports.selectors.visits import need_counts
    from hom.reports.services import visit_summary_rebuild_month

    when = moment(2026, 3)
    persons = [MigrantFactory(office=office, commune_of_origin=sedhiou, record_key=key) for key in (255, 254, 7, 0, 128)]
    first, second = list(needs.values())[:2]
    for index, person in enumerate(persons):
        for _ in range(1 + index % 3):  # one to three visits each, the same need
            VisitFactory(migrant=person, office=office, occurred_at=when).needs.add(first)
    for person in persons[:2]:
        VisitFactory(migrant=person, office=office, occurred_at=when).needs.add(second)
    VisitFactory(migrant=None, office=office, occurred_at=when, commune=sedhiou).needs.add(first)  # a walk-in
    visit_summary_rebuild_month(month=date(2026, 3, 1))
    expected = {
        first.pk: (len(persons), sum(person.record_key for person in persons) % KEY_RANGE),
        second.pk: (2, (255 + 254) % KEY_RANGE),
    }

    for from_summary in (False, True):
        scope = report_scope(users["authority"], SEDHIOU, PERIOD, from_summary=from_summary)
        if from_summary:
            rows, field = scope.need_months.filter(month__gte=PERIOD.first), "visits"
            rows = rows.annotate(need_key=F("need"))
        else:
            rows, field = scope.visits.filter(needs__isnull=False).annotate(need_key=F("needs")), None
        counts = need_counts(rows, field, person_key=F("person_key"), keyed=True)

        assert {need: (persons_, key) for need, (_visits, persons_, _keys, key) in counts.items()} == expected
        assert counts[first.pk][0] == 1 + 2 + 3 + 1 + 2 + 1  # the persons' visits and the walk-in's
