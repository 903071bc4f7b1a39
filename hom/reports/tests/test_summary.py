"""The monthly visit summaries give exactly the live figures, stay in step with the visits, and are rebuilt nightly."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hom.reports import signals
from hom.reports.models import SummaryMonth, VisitMonth, VisitNeedMonth
from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.sections import report_sections
from hom.reports.services import months_to_summarise, visit_summary_rebuild_month
from migrants.models import Visit
from migrants.tests.factories import MigrantFactory, VisitFactory

from .builders import moment, small_cells_of

YEAR = Period(first=date(2026, 1, 1), last=date(2026, 12, 1))
SPRING = Period(first=date(2026, 3, 1), last=date(2026, 4, 1))
SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
REGION = Territory(TerritoryKind.REGION, "SN11", "Sédhiou")
OFFICE = Territory(TerritoryKind.OFFICE, "SED", "Bureau de Sédhiou")
NATIONAL = Territory(TerritoryKind.NATIONAL, "all", "Sénégal")


def figures(user, territory, period, *, from_summary):
    scope = report_scope(user, territory, period, from_summary=from_summary)
    # The counts, their record keys' sums and what is published (perturbed for authorities and the
    # national admin): the summaries must give the same keys, hence the same published figures.
    return {
        table.key: (table.body, table.keys, table.rows)
        for section in report_sections(scope)
        for table in section.tables
        if section.key in ("activity", "needs", "persons")
    }


@pytest.fixture
def busy_year(users, office, other_office, sedhiou, marsassoum, needs, sectors):
    """Persons coming back in the same month and in later months, walk-ins, two offices, several needs."""
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))
    small_cells_of(marsassoum, office, needs, sectors, when=moment(2026, 4))
    small_cells_of(sedhiou, other_office, needs, sectors, when=moment(2026, 4))
    regular = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="F", birth_year=1990)
    for month, day in ((3, 2), (3, 20), (4, 5), (9, 9), (12, 31)):
        VisitFactory(migrant=regular, occurred_at=moment(2026, month, day), needs=[needs["FUNDING"], needs["TRAINING"]])
    VisitFactory(migrant=regular, occurred_at=moment(2025, 12, 31))  # before the period
    Visit.objects.create(office=office, commune=sedhiou, sex="M", age_group="18_24", occurred_at=moment(2026, 9, 1))
    return regular


@pytest.mark.parametrize(
    "reader, territory",
    [
        ("authority", SEDHIOU),
        ("advisor", OFFICE),
        ("advisor", REGION),
        ("superuser", NATIONAL),
        ("other_office_advisor", NATIONAL),
    ],
)
def test_the_summaries_give_exactly_the_live_figures(users, busy_year, reader, territory):
    for period in (YEAR, SPRING):
        summary = figures(users[reader], territory, period, from_summary=True)
        live = figures(users[reader], territory, period, from_summary=False)

        assert summary == live
    assert any(value for body in live.values() for row in body for value in row)  # figures, not empty tables


def test_the_report_reads_the_summaries_when_every_month_is_built(users, busy_year):
    scope = report_scope(users["authority"], SEDHIOU, YEAR)

    with CaptureQueriesContext(connection) as context:
        report_sections(scope)

    sql = " ".join(query["sql"] for query in context.captured_queries)
    assert scope.from_summary
    assert "reports_visitmonth" in sql and "reports_visitneedmonth" in sql
    SummaryMonth.objects.filter(month=date(2026, 6, 1)).update(built_at=None)
    assert not report_scope(users["authority"], SEDHIOU, YEAR).from_summary


def test_rebuilding_a_month_is_idempotent_and_restores_lost_rows(users, busy_year):
    before = figures(users["superuser"], NATIONAL, YEAR, from_summary=True)
    VisitMonth.objects.all().delete()
    VisitNeedMonth.objects.all().delete()

    for _ in range(2):
        for month in YEAR.months():
            visit_summary_rebuild_month(month=month)

    assert figures(users["superuser"], NATIONAL, YEAR, from_summary=True) == before
    # One row per person and month: the regular visitor's two March visits are one row of 2.
    assert VisitMonth.objects.get(migrant=busy_year, month=date(2026, 3, 1)).visits == 2


def test_a_saved_moved_or_deleted_visit_refreshes_its_months_on_commit(
    users, office, sedhiou, needs, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(signals, "on_commit", transaction.on_commit)
    person = MigrantFactory(office=office, commune_of_origin=sedhiou)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        visit = VisitFactory(migrant=person, occurred_at=moment(2026, 3), needs=[needs["FUNDING"]])
    assert callbacks
    assert list(VisitMonth.objects.filter(migrant=person).values_list("month", "visits")) == [(date(2026, 3, 1), 1)]

    with django_capture_on_commit_callbacks(execute=True):
        visit = Visit.objects.get(pk=visit.pk)
        visit.occurred_at = moment(2026, 5)
        visit.save()
    assert list(VisitMonth.objects.filter(migrant=person).values_list("month", "visits")) == [(date(2026, 5, 1), 1)]
    assert VisitNeedMonth.objects.get(migrant=person).month == date(2026, 5, 1)

    with django_capture_on_commit_callbacks(execute=True):
        visit.needs.clear()
    assert not VisitNeedMonth.objects.filter(migrant=person).exists()

    with django_capture_on_commit_callbacks(execute=True):
        Visit.objects.get(pk=visit.pk).delete()
    assert not VisitMonth.objects.filter(migrant=person).exists()


def test_merging_two_records_keeps_the_figures(users, office, sedhiou, needs, busy_year):
    from migrants.services import migrant_merge

    duplicate = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="F", birth_year=1990)
    VisitFactory(migrant=duplicate, occurred_at=moment(2026, 3, 25), needs=[needs["FUNDING"]])

    migrant_merge(survivor=busy_year, duplicate=duplicate, merged_by=users["advisor"])

    assert figures(users["advisor"], OFFICE, YEAR, from_summary=True) == figures(
        users["advisor"], OFFICE, YEAR, from_summary=False
    )


def test_after_a_merge_commits_the_survivors_months_are_rebuilt_with_its_record_key(
    users, office, sedhiou, needs, busy_year, monkeypatch, django_capture_on_commit_callbacks
):
    """As in production: the refresh runs after the commit, once the visits are the survivor's."""
    from migrants.services import migrant_merge

    duplicate = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="F", birth_year=1990)
    VisitFactory(migrant=duplicate, occurred_at=moment(2026, 3, 25), needs=[needs["FUNDING"]])
    VisitFactory(migrant=duplicate, occurred_at=moment(2026, 6, 2), needs=[needs["TRAINING"]])
    assert busy_year.record_key != duplicate.record_key  # else the test proves nothing
    monkeypatch.setattr(signals, "on_commit", transaction.on_commit)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        migrant_merge(survivor=busy_year, duplicate=duplicate, merged_by=users["advisor"])

    assert callbacks
    survivor_rows = VisitNeedMonth.objects.filter(migrant=busy_year)
    assert set(survivor_rows.values_list("person_key", flat=True)) == {busy_year.record_key}
    # The visits' copies of the key too (the live report reads them).
    assert set(Visit.objects.filter(migrant=busy_year).values_list("person_key", flat=True)) == {busy_year.record_key}
    # One row per person and month again: March's three visits (two of its own, one moved).
    assert VisitMonth.objects.get(migrant=busy_year, month=date(2026, 3, 1)).visits == 3
    assert VisitMonth.objects.get(migrant=busy_year, month=date(2026, 6, 1)).visits == 1
    for reader, territory in (("advisor", OFFICE), ("authority", SEDHIOU)):
        assert figures(users[reader], territory, YEAR, from_summary=True) == figures(
            users[reader], territory, YEAR, from_summary=False
        )


def test_erasing_a_person_keeps_the_summaries_equal_to_the_live_figures(users, busy_year):
    from migrants.services import migrant_erase

    migrant_erase(migrant=busy_year, erased_by=users["admin"])

    for reader, territory in (("advisor", OFFICE), ("authority", SEDHIOU)):
        assert figures(users[reader], territory, YEAR, from_summary=True) == figures(
            users[reader], territory, YEAR, from_summary=False
        )


def test_the_nightly_task_rebuilds_every_month_and_is_scheduled(users, busy_year):
    from django_celery_beat.models import PeriodicTask

    from hom.reports.tasks import rebuild_visit_summaries

    SummaryMonth.objects.all().delete()
    VisitMonth.objects.all().delete()

    rebuilt = rebuild_visit_summaries()

    assert rebuilt == len(months_to_summarise())
    assert SummaryMonth.objects.filter(month=date(2025, 12, 1), built_at__isnull=False).exists()
    assert figures(users["superuser"], NATIONAL, YEAR, from_summary=True) == figures(
        users["superuser"], NATIONAL, YEAR, from_summary=False
    )
    assert PeriodicTask.objects.filter(task="hom.reports.tasks.rebuild_visit_summaries", enabled=True).exists()


def test_after_the_nightly_task_every_aligned_period_holding_a_visit_reads_the_summaries(users, busy_year):
    """Whole years reaching four years before the first visit or after this year read the summaries
    (their months built empty), not the visits."""
    from hom.reports.tasks import rebuild_visit_summaries

    SummaryMonth.objects.all().delete()
    VisitMonth.objects.all().delete()
    this_year = date.today().year

    rebuild_visit_summaries()

    # busy_year: visits from December 2025 to December 2026.
    assert months_to_summarise()[0] == date(2021, 1, 1)
    assert months_to_summarise()[-1] == date(max(this_year, 2026) + 4, 12, 1)
    for period in (Period.calendar_years(2021, 2025), Period.calendar_years(2025), Period.calendar_years(2026, 2030)):
        scope = report_scope(users["authority"], SEDHIOU, period)
        assert scope.perturbed and scope.from_summary, period
        assert figures(users["authority"], SEDHIOU, period, from_summary=True) == figures(
            users["authority"], SEDHIOU, period, from_summary=False
        )
    assert not report_scope(users["authority"], SEDHIOU, Period.calendar_years(2016, 2020)).from_summary


def test_the_command_rebuilds_the_summaries_after_deployment(users, busy_year):
    from io import StringIO

    from django.core.management import call_command

    SummaryMonth.objects.all().delete()
    VisitMonth.objects.all().delete()
    assert not report_scope(users["superuser"], NATIONAL, YEAR).from_summary  # the report reads the visits meanwhile
    out = StringIO()

    call_command("rebuild_report_summaries", stdout=out)

    assert f"{len(months_to_summarise())} months" in out.getvalue()
    assert report_scope(users["superuser"], NATIONAL, YEAR).from_summary
    assert figures(users["superuser"], NATIONAL, YEAR, from_summary=True) == figures(
        users["superuser"], NATIONAL, YEAR, from_summary=False
    )


def test_bulk_writes_rebuild_each_touched_month_once_at_the_end(
    users, office, sedhiou, needs, monkeypatch, django_capture_on_commit_callbacks
):
    """The demo's seeding (and any bulk load) defers the refreshes: no refresh per visit, each month
    touched rebuilt once, whole, when the block ends, giving the live figures."""
    monkeypatch.setattr(signals, "on_commit", transaction.on_commit)
    person = MigrantFactory(office=office, commune_of_origin=sedhiou)
    rebuilt = []
    monkeypatch.setattr(
        signals,
        "visit_summary_rebuild_month",
        lambda month: rebuilt.append(month) or visit_summary_rebuild_month(month=month),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with signals.summaries_deferred():
            for day in (2, 9, 16):
                VisitFactory(migrant=person, occurred_at=moment(2026, 3, day), needs=[needs["FUNDING"]])
            VisitFactory(migrant=person, occurred_at=moment(2026, 5, 4))
            with signals.summaries_deferred():  # nested: left to the outer block
                VisitFactory(migrant=person, occurred_at=moment(2026, 5, 20))
            assert not VisitMonth.objects.filter(migrant=person).exists()
    assert not callbacks  # nothing was queued per visit
    assert rebuilt == [date(2026, 3, 1), date(2026, 5, 1)]
    assert list(VisitMonth.objects.filter(migrant=person).order_by("month").values_list("month", "visits")) == [
        (date(2026, 3, 1), 3),
        (date(2026, 5, 1), 2),
    ]
    assert set(SummaryMonth.objects.exclude(built_at=None).values_list("month", flat=True)) >= {
        date(2026, 3, 1),
        date(2026, 5, 1),
    }
    # After the block, a visit is refreshed on commit again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        VisitFactory(migrant=person, occurred_at=moment(2026, 5, 25))
    assert callbacks
    assert VisitMonth.objects.get(migrant=person, month=date(2026, 5, 1)).visits == 3


def test_a_visit_carries_its_persons_key_and_a_walk_in_none(users, office, sedhiou, needs):
    person, other = MigrantFactory(office=office), MigrantFactory(office=office)
    visit = VisitFactory(migrant=person, occurred_at=moment(2026, 3))
    walk_in = Visit.objects.create(office=office, commune=sedhiou, sex="F", occurred_at=moment(2026, 3))
    assert (visit.person_key, walk_in.person_key) == (person.record_key, None)

    visit = Visit.objects.get(pk=visit.pk)
    visit.migrant = other  # moved to another person: the key follows
    visit.save(update_fields=["migrant"])
    assert Visit.objects.get(pk=visit.pk).person_key == other.record_key


# The nightly run is incremental: only the months whose visits changed since they were built.

NIGHT = datetime(2027, 2, 10, 2, 30, tzinfo=UTC)  # Africa/Dakar is UTC all year
FEBRUARY = date(2027, 2, 1)


def _marks():
    return dict(SummaryMonth.objects.values_list("month", "built_at"))


def _rows_outside(*months):
    """The ids of every summary row of the other months: a rebuilt month's rows get new ids."""
    return (
        set(VisitMonth.objects.exclude(month__in=months).values_list("pk", flat=True)),
        set(VisitNeedMonth.objects.exclude(month__in=months).values_list("pk", flat=True)),
    )


def _assert_reports_read_the_live_figures(users):
    for reader, territory, period in (
        ("superuser", NATIONAL, YEAR),
        ("advisor", OFFICE, YEAR),
        ("authority", SEDHIOU, Period.calendar_years(2026, 2027)),
    ):
        scope = report_scope(users[reader], territory, period)
        assert scope.from_summary, (reader, period)
        assert figures(users[reader], territory, period, from_summary=True) == figures(
            users[reader], territory, period, from_summary=False
        ), (reader, period)


@pytest.fixture
def built_last_night(busy_year):
    """Every month rebuilt in full on the night of 10/02/2027, as after deploying."""
    from hom.reports.tasks import rebuild_visit_summaries

    SummaryMonth.objects.all().delete()
    with time_machine.travel(NIGHT, tick=False):
        rebuild_visit_summaries(full=True)
    assert set(_marks().values()) == {NIGHT}
    return busy_year


def test_after_a_day_of_new_visits_the_nightly_run_rebuilds_only_this_months_rows(
    users, office, sedhiou, needs, built_last_night
):
    from hom.reports.tasks import rebuild_visit_summaries

    before, rows_before = _marks(), _rows_outside(FEBRUARY)
    with time_machine.travel(NIGHT + timedelta(hours=8), tick=False):  # the day's visits, through the application
        person = MigrantFactory(office=office, commune_of_origin=sedhiou, sex="M", birth_year=1985)
        for hour in (0, 1, 2):
            VisitFactory(migrant=person, occurred_at=timezone.now() + timedelta(hours=hour), needs=[needs["FUNDING"]])
        VisitFactory(migrant=built_last_night, occurred_at=timezone.now(), needs=[needs["TRAINING"]])
        Visit.objects.create(office=office, commune=sedhiou, sex="F", age_group="25_34", occurred_at=timezone.now())

    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        rebuilt = rebuild_visit_summaries()

    assert rebuilt == 1
    after = _marks()
    assert {month for month in after if after[month] != before[month]} == {FEBRUARY}
    assert after[FEBRUARY] == NIGHT + timedelta(days=1)
    assert _rows_outside(FEBRUARY) == rows_before  # the other months' rows were not rewritten
    assert VisitMonth.objects.get(migrant=person, month=FEBRUARY).visits == 3
    _assert_reports_read_the_live_figures(users)
    # Nothing changed since: the next night rebuilds nothing.
    with time_machine.travel(NIGHT + timedelta(days=2), tick=False):
        assert rebuild_visit_summaries() == 0
    assert _marks() == after


def test_a_visit_moved_to_another_month_by_sql_refreshes_both_months(users, built_last_night):
    """``QuerySet.update`` sends no signal and leaves ``updated_at``: the months' fingerprints differ."""
    from hom.reports.tasks import rebuild_visit_summaries

    visit = Visit.objects.get(migrant=built_last_night, occurred_at=moment(2026, 4, 5))
    before, rows_before = _marks(), _rows_outside(date(2026, 4, 1), date(2026, 10, 1))
    Visit.objects.filter(pk=visit.pk).update(occurred_at=moment(2026, 10, 6))  # the date corrected
    assert VisitMonth.objects.filter(migrant=built_last_night, month=date(2026, 4, 1)).exists()  # not refreshed yet

    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        assert rebuild_visit_summaries() == 2

    after = _marks()
    assert {month for month in after if after[month] != before[month]} == {date(2026, 4, 1), date(2026, 10, 1)}
    assert _rows_outside(date(2026, 4, 1), date(2026, 10, 1)) == rows_before
    assert not VisitMonth.objects.filter(migrant=built_last_night, month=date(2026, 4, 1)).exists()
    assert VisitMonth.objects.get(migrant=built_last_night, month=date(2026, 10, 1)).visits == 1
    _assert_reports_read_the_live_figures(users)


def test_a_visit_deleted_by_sql_is_gone_from_the_reports_after_the_nightly_run(users, built_last_night):
    from hom.reports.tasks import rebuild_visit_summaries

    visit = Visit.objects.get(migrant=built_last_night, occurred_at=moment(2026, 9, 9))
    before = _marks()
    with connection.cursor() as cursor:  # no signal, no trace
        cursor.execute("DELETE FROM migrants_visit_needs WHERE visit_id = %s", [visit.pk])
        cursor.execute("DELETE FROM migrants_visit WHERE id = %s", [visit.pk])
    assert VisitNeedMonth.objects.filter(migrant=built_last_night, month=date(2026, 9, 1)).exists()

    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        assert rebuild_visit_summaries() == 1

    after = _marks()
    assert {month for month in after if after[month] != before[month]} == {date(2026, 9, 1)}
    assert not VisitMonth.objects.filter(migrant=built_last_night, month=date(2026, 9, 1)).exists()
    assert not VisitNeedMonth.objects.filter(migrant=built_last_night, month=date(2026, 9, 1)).exists()
    _assert_reports_read_the_live_figures(users)


def test_a_nightly_run_stopped_midway_leaves_no_month_half_built(users, built_last_night, monkeypatch):
    """Each month is rebuilt in its own transaction: the months done stay done, the month being
    rebuilt keeps its previous rows, and the next run rebuilds it (its fingerprint still differs)."""
    from hom.reports import services
    from hom.reports.tasks import rebuild_visit_summaries

    march, september = date(2026, 3, 1), date(2026, 9, 1)
    Visit.objects.filter(migrant=built_last_night, occurred_at=moment(2026, 3, 2)).update(
        occurred_at=moment(2026, 9, 3)
    )
    before, september_rows = _marks(), _rows_outside(*(month for month in _marks() if month != september))
    rebuild = services._rebuild

    def killed_in_september(month, visits):
        rebuild(month, visits)  # rows inserted...
        if month == september:
            raise SystemExit("worker killed")  # ...and the process dies before the month is marked built

    monkeypatch.setattr(services, "_rebuild", killed_in_september)
    with time_machine.travel(NIGHT + timedelta(days=1), tick=False), pytest.raises(SystemExit):
        rebuild_visit_summaries()

    after = _marks()
    assert after[march] == NIGHT + timedelta(days=1)  # done before the fault, kept
    assert after[september] == before[september]
    assert _rows_outside(*(month for month in after if month != september)) == september_rows  # rolled back whole
    assert VisitMonth.objects.get(migrant=built_last_night, month=september).visits == 1

    monkeypatch.setattr(services, "_rebuild", rebuild)
    with time_machine.travel(NIGHT + timedelta(days=2), tick=False):
        assert rebuild_visit_summaries() == 1  # September only
    assert VisitMonth.objects.get(migrant=built_last_night, month=september).visits == 2
    _assert_reports_read_the_live_figures(users)


def test_the_command_rebuilds_what_changed_and_everything_with_all(users, built_last_night):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        call_command("rebuild_report_summaries", stdout=out)
    assert "rebuilt the visit summaries of 0 months" in out.getvalue()
    assert set(_marks().values()) == {NIGHT}

    with time_machine.travel(NIGHT + timedelta(days=1), tick=False):
        call_command("rebuild_report_summaries", "--all", stdout=out)
    assert f"rebuilt the visit summaries of {len(months_to_summarise(NIGHT.date()))} months" in out.getvalue()
    assert set(_marks().values()) == {NIGHT + timedelta(days=1)}
    _assert_reports_read_the_live_figures(users)


def test_the_nightly_check_is_three_queries_whatever_the_number_of_months(built_last_night, django_assert_num_queries):
    from hom.reports.services import months_changed

    assert SummaryMonth.objects.count() > 100  # every month built, nothing changed since
    with time_machine.travel(NIGHT + timedelta(days=1), tick=False), django_assert_num_queries(3):
        assert months_changed() == []
