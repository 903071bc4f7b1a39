import datetime

import factory
from dateutil.relativedelta import relativedelta

from projects.models import DossierStatus
from projects.results.models import ResultCheck
from projects.tests.factories import DossierFactory


class FundedDossierFactory(DossierFactory):
    status = DossierStatus.FUNDED
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2025, 1, 10, tzinfo=datetime.UTC))


class ResultCheckFactory(factory.django.DjangoModelFactory):
    """A check of a funded dossier; ``recorded=True`` fills it as an advisor would have."""

    class Meta:
        model = ResultCheck

    dossier = factory.SubFactory(FundedDossierFactory)
    months = 12
    funded_on = datetime.date(2025, 1, 15)
    due_on = factory.LazyAttribute(lambda check: check.funded_on + relativedelta(months=check.months))

    class Params:
        recorded = factory.Trait(
            state="operating",
            jobs_created=4,
            jobs_women=2,
            jobs_youth=3,
            turnover_band="1m_5m",
            amount_disbursed=2_000_000,
            amount_repaid=500_000,
            recorded_at=factory.LazyFunction(lambda: datetime.datetime(2026, 1, 20, 10, tzinfo=datetime.UTC)),
        )
