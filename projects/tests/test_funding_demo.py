from io import StringIO

from projects.funding.demo import DEMO_CALL, seed
from projects.funding.models import FundingOpportunity


def test_seeding_twice_gives_the_real_programmes_and_one_demo_call(db):
    out = StringIO()

    seed(stdout=out)
    seed()

    assert FundingOpportunity.objects.count() == 22
    assert FundingOpportunity.objects.get(name=DEMO_CALL).deadline is not None
    assert "21 real programmes" in out.getvalue()
