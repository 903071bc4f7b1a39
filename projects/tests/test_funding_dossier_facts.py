"""What the eligibility rules read of a real dossier: the adapter ProjectDossier → DossierFacts."""
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from hom.territories.models import Commune, Sector
from projects import services
from projects.funding.selectors import dossier_facts
from projects.models import DocumentType
from projects.tests.factories import PDF_BYTES, BudgetLineFactory, DossierFactory, FinancingLineFactory


def _agriculture_in_sedhiou(promoter, *, sought=8_000_000, own=2_000_000):
    dossier = DossierFactory(
        promoter=promoter,
        sector=Sector.objects.get(code="AGRI"),
        commune=Commune.objects.get(code="SN1103_MARSASSOUM"),
        kind="family",
    )
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=sought + own)
    FinancingLineFactory(dossier=dossier, source="own", amount=own)
    FinancingLineFactory(dossier=dossier, source="grant", amount=sought)
    return dossier


def test_the_facts_come_from_the_dossier_its_lines_its_documents_and_its_promoter(
    promoter, users, django_assert_max_num_queries
):
    promoter.sex, promoter.birth_date, promoter.situation = "F", date(1995, 6, 15), "returned"
    promoter.save()
    dossier = _agriculture_in_sedhiou(promoter)
    services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=DocumentType.objects.get(code="ID"),
        uploaded_file=SimpleUploadedFile("id.pdf", PDF_BYTES, content_type="application/pdf"),
    )

    with django_assert_max_num_queries(2):
        facts = dossier_facts(dossier, today=date(2026, 6, 14))

    assert (facts.sector_code, facts.commune_code, facts.region_code) == ("AGRI", "SN1103_MARSASSOUM", "SN11")
    assert (facts.amount_sought, facts.own_contribution_percent) == (8_000_000, 20)
    assert (facts.promoter_situation, facts.sex, facts.age) == ("returned", "F", 30)
    assert facts.promoter_kind == "family"
    assert facts.document_codes == {"ID"}
    assert facts.today == date(2026, 6, 14)


def test_the_age_comes_from_the_year_of_birth_when_the_date_is_unknown(promoter):
    promoter.birth_date, promoter.birth_year = None, 1990
    promoter.save()

    facts = dossier_facts(DossierFactory(promoter=promoter), today=date(2026, 1, 1))

    assert facts.age == 36


def test_what_is_not_recorded_stays_unknown(promoter):
    promoter.sex, promoter.birth_date, promoter.birth_year = "", None, None
    promoter.save()

    facts = dossier_facts(DossierFactory(promoter=promoter))

    assert (facts.sector_code, facts.commune_code, facts.region_code) == (None, None, None)
    assert (facts.amount_sought, facts.own_contribution_percent) == (None, None)
    assert (facts.sex, facts.age) == (None, None)
    assert facts.document_codes == frozenset()
