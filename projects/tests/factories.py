import factory

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from migrants.tests.factories import MigrantFactory
from projects.models import BudgetLine, DossierStatus, FinancingLine, ProjectDossier, ReviewComment

# Magic bytes of a tiny but real PDF, enough for the content check.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDossier

    promoter = factory.SubFactory(MigrantFactory)
    office = factory.SelfAttribute("promoter.office")
    reference = factory.Sequence(lambda n: f"TST-P-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"Poulailler n° {n}")
    summary = "Élever des poulets de chair pour le marché de Sédhiou."
    status = DossierStatus.DRAFT


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    dossier = factory.SubFactory(DossierFactory)
    label = "Grillage"
    quantity = 2
    unit_cost = 50_000


class FinancingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingLine

    dossier = factory.SubFactory(DossierFactory)
    source = "own"
    amount = 100_000


class ReviewCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewComment

    dossier = factory.SubFactory(DossierFactory)
    section = "idea"
    author = factory.SubFactory(UserFactory, role=Role.ADVISOR, office=factory.SelfAttribute("..dossier.office"))
    body = "Précisez le prix de vente."
