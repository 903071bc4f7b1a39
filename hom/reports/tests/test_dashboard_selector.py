"""The staff dashboard's indicators: exact figures of the office, nothing of another office."""
import datetime

import pytest
from django.utils import timezone

from hom.reports.selectors.dashboard import office_indicators
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_this_month_last_month_overdue_and_dossiers_by_status_of_the_office_only(users, office, other_office):
    person = MigrantFactory(office=office)
    VisitFactory.create_batch(3, migrant=person, occurred_at=_at(datetime.date(2026, 11, 2)))
    VisitFactory(migrant=person, occurred_at=_at(datetime.date(2026, 10, 15)),
                 follow_up_on=datetime.date(2026, 11, 1), follow_up_advisor=users["advisor"])
    VisitFactory.create_batch(5, migrant=MigrantFactory(office=other_office), occurred_at=_at(datetime.date(2026, 11, 3)))
    DossierFactory(promoter=person, status=DossierStatus.DRAFT)
    DossierFactory(promoter=MigrantFactory(office=other_office), status=DossierStatus.DRAFT)

    indicators = office_indicators(users["advisor"], today=TODAY)

    assert indicators["visits"] == {"this_month": 3, "last_month": 1, "overdue": 1}
    assert [count for _label, count in indicators["statuses"]] == [1]


def _visits_moved_out_of_november_behind_the_summaries_back(person):
    """Moved by a queryset's ``update()``: no signal, so the summaries still count them in November."""
    from migrants.models import Visit

    Visit.objects.filter(migrant=person).update(occurred_at=_at(datetime.date(2026, 6, 1)))


def test_the_visit_figures_come_from_the_summaries_when_both_months_are_built(users, office):
    person = MigrantFactory(office=office)
    VisitFactory.create_batch(3, migrant=person, occurred_at=_at(datetime.date(2026, 11, 2)))
    _visits_moved_out_of_november_behind_the_summaries_back(person)

    indicators = office_indicators(users["advisor"], today=TODAY)

    assert indicators["visits"]["this_month"] == 3


def test_the_visit_figures_come_from_the_visits_while_a_month_is_not_built(users, office):
    from hom.reports.models import SummaryMonth

    person = MigrantFactory(office=office)
    VisitFactory.create_batch(3, migrant=person, occurred_at=_at(datetime.date(2026, 11, 2)))
    VisitFactory(migrant=person, occurred_at=_at(datetime.date(2026, 10, 2)))
    SummaryMonth.objects.filter(month=datetime.date(2026, 10, 1)).update(built_at=None)

    assert office_indicators(users["advisor"], today=TODAY)["visits"]["this_month"] == 3
    _visits_moved_out_of_november_behind_the_summaries_back(person)
    assert office_indicators(users["advisor"], today=TODAY)["visits"] == {"this_month": 0, "last_month": 0, "overdue": 0}


def test_the_whole_card_is_one_query_whatever_the_rows(users, office, django_assert_num_queries):
    for count in (2, 20):
        person = MigrantFactory(office=office)
        VisitFactory.create_batch(count, migrant=person, occurred_at=_at(datetime.date(2026, 11, 2)),
                                  follow_up_on=datetime.date(2026, 11, 1), follow_up_advisor=users["advisor"])
        for status in (DossierStatus.DRAFT, DossierStatus.WITHDRAWN)[: 1 + count // 20]:
            DossierFactory.create_batch(count, promoter=person, status=status)

        with django_assert_num_queries(1):
            indicators = office_indicators(users["advisor"], today=TODAY)

        assert indicators["visits"]["this_month"] == indicators["visits"]["overdue"] > 0


def test_an_office_without_dossiers_still_gets_its_visit_figures(users, office):
    VisitFactory.create_batch(2, migrant=MigrantFactory(office=office), occurred_at=_at(datetime.date(2026, 11, 2)))

    indicators = office_indicators(users["advisor"], today=TODAY)

    assert indicators == {"visits": {"this_month": 2, "last_month": 0, "overdue": 0}, "statuses": []}
