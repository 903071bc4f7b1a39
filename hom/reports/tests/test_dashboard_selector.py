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
