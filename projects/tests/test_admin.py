"""Office admins edit the document checklist in the Django admin; advisors do not."""
from django.urls import reverse

from projects import services
from projects.models import DocumentType, ProjectDossier


def test_an_office_admin_edits_document_types_and_rules(client, users):
    client.force_login(users["admin"])
    identity = DocumentType.objects.get(code="ID")

    assert client.get(reverse("admin:projects_documenttype_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_documentrequirement_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_documenttype_change", args=[identity.pk])).status_code == 200
    assert client.get(reverse("admin:projects_projectdossier_changelist")).status_code == 403


def test_the_national_admin_reads_dossiers_in_the_admin(client, users, dossier):
    client.force_login(users["superuser"])

    assert client.get(reverse("admin:projects_projectdossier_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_projectdossier_change", args=[dossier.pk])).status_code == 200


def test_the_shipped_checklist_uses_the_agreed_codes(db):
    assert set(DocumentType.objects.values_list("code", flat=True)) >= {
        "ID", "RESIDENCE", "NINEA", "RCCM", "STATUTES", "MINUTES", "BUSINESS_PLAN", "QUOTES", "LAND"
    }


def test_a_checklist_change_in_the_admin_recomputes_the_readiness_of_open_dossiers(
    client, users, dossier, django_capture_on_commit_callbacks
):
    services.dossier_refresh_readiness(dossier=dossier)
    before = ProjectDossier.objects.get(pk=dossier.pk).readiness
    client.force_login(users["admin"])
    land = DocumentType.objects.get(code="LAND")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:projects_documentrequirement_add"),
            {"document_type": land.pk, "kind": "", "sector": "", "stage": "", "is_active": "on"},
        )

    assert response.status_code == 302
    assert ProjectDossier.objects.get(pk=dossier.pk).readiness < before
