"""The demo dossiers: every status, documents, idempotent."""
from django.core.files.base import ContentFile

from hom.accounts.demo import seed as seed_accounts
from projects.demo import DOSSIERS, demo_pdf, seed
from projects.models import DossierDocument, DossierStatus, ProjectDossier
from projects.uploads import check_upload


def test_the_demo_has_dossiers_in_every_status_with_documents_and_runs_twice(db):
    seed_accounts()

    seed()
    seed()

    assert ProjectDossier.objects.count() == len(DOSSIERS) == 25
    assert set(ProjectDossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
    assert not ProjectDossier.objects.filter(documents__isnull=True).exists()
    assert DossierDocument.objects.count() > 50
    assert ProjectDossier.objects.filter(office__code="KOL").exists()
    assert ProjectDossier.objects.filter(promoter__user__email="migrant@demo.hom").count() >= 3


def test_the_demo_pdfs_pass_the_content_check():
    assert check_upload(ContentFile(demo_pdf("Carte d'identité (copie)"), name="x")).extension == "pdf"
