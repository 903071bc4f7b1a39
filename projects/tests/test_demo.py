"""The demo dossiers: every status, documents, idempotent."""
from django.core.files.base import ContentFile

from hom.accounts.demo import seed as seed_accounts
from hom.uploads import check_upload
from projects.demo import APPLICATIONS, DOSSIERS, demo_pdf, seed
from projects.funding.models import FundingApplication
from projects.funding.selectors import application_totals, applications_closing_soon, dossier_facts
from projects.models import DossierDocument, DossierStatus, ProjectDossier


def test_the_demo_has_dossiers_in_every_status_with_documents_and_runs_twice(db):
    seed_accounts()

    seed()
    seed()

    assert ProjectDossier.objects.count() == len(DOSSIERS) == 26
    assert set(ProjectDossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
    assert not ProjectDossier.objects.filter(documents__isnull=True).exists()
    assert DossierDocument.objects.count() > 50
    assert ProjectDossier.objects.filter(office__code="KOL").exists()
    assert ProjectDossier.objects.filter(promoter__user__email="migrant@demo.hom").count() >= 3


def test_the_demo_pdfs_pass_the_content_check():
    assert check_upload(ContentFile(demo_pdf("Carte d'identité (copie)"), name="x")).extension == "pdf"


def test_the_demo_has_an_agriculture_dossier_in_sedhiou_and_applications_in_every_state(db):
    seed_accounts()

    seed()
    seed()

    showcase = ProjectDossier.objects.get(title="Exploitation maraîchère et rizicole à Sédhiou")
    facts = dossier_facts(showcase)
    assert (facts.sector_code, facts.region_code) == ("AGRI", "SN11")
    assert (facts.amount_sought, facts.own_contribution_percent) == (8_000_000, 20)
    assert FundingApplication.objects.count() == len(APPLICATIONS)
    assert set(FundingApplication.objects.values_list("status", flat=True)) == {
        "planned", "submitted", "accepted", "refused", "disbursed",
    }
    assert applications_closing_soon().exists()
    totals = application_totals(FundingApplication.objects.all())
    assert (totals["granted"], totals["disbursed"]) == (2_800_000 + 2_880_000 + 760_000, 2_000_000 + 760_000)
