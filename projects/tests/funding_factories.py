import factory

from projects.funding.models import (
    ApplicationStatus,
    FundingApplication,
    FundingOpportunity,
    FundingStatus,
    FundingType,
    FundingTypeCode,
)
from projects.funding.services import funding_opportunity_create


class FundingOpportunityFactory(factory.django.DjangoModelFactory):
    """Opportunities made through the service, so derived columns are filled as in the app."""

    class Meta:
        model = FundingOpportunity

    name = factory.Sequence(lambda n: f"Programme test {n}")
    funder_name = "Fonds de test"
    status = FundingStatus.OPEN
    description = "Un programme de test."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("types", [FundingType.objects.get(code=FundingTypeCode.LOAN)])
        return funding_opportunity_create(**kwargs)


class FundingApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingApplication

    dossier = factory.SubFactory("projects.tests.factories.DossierFactory")
    opportunity = factory.SubFactory(FundingOpportunityFactory)
    status = ApplicationStatus.PLANNED
    amount_requested = 1_000_000
