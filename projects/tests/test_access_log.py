"""Opening a dossier or downloading one of its documents writes one row of the access log (issue 15)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from migrants.models import AccessAction, AccessTarget, PersonAccess
from projects import services
from projects.models import DocumentType
from projects.tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _log_inserts(context) -> int:
    return sum(
        1 for query in context.captured_queries
        if query["sql"].lstrip().upper().startswith("INSERT") and PersonAccess._meta.db_table in query["sql"]
    )


@pytest.mark.parametrize("name", ["projects:detail", "projects:print", "projects:funding"])
def test_opening_a_dossier_writes_one_row(client, users, dossier, promoter, name):
    client.force_login(users["advisor"])

    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 200

    access = PersonAccess.objects.get()
    assert (access.action, access.target) == (AccessAction.VIEW, AccessTarget.DOSSIER)
    assert (access.migrant, access.object_id, access.user) == (promoter, dossier.pk, users["advisor"])
    assert _log_inserts(context) == 1


def test_downloading_a_document_writes_one_row(client, users, dossier, promoter):
    document = services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=DocumentType.objects.get(code="ID"),
        uploaded_file=SimpleUploadedFile("cni.pdf", PDF_BYTES),
    )
    client.force_login(users["admin"])

    response = client.get(reverse("projects:document", args=[document.pk]))

    assert b"".join(response.streaming_content) == PDF_BYTES
    access = PersonAccess.objects.get()
    assert (access.action, access.target) == (AccessAction.DOWNLOAD, AccessTarget.DOCUMENT)
    assert (access.migrant, access.object_id) == (promoter, document.pk)


def test_the_promoter_reading_their_own_dossier_is_not_logged(client, users, dossier):
    client.force_login(users["migrant"])

    assert client.get(reverse("projects:detail", args=[dossier.pk])).status_code == 200
    assert not PersonAccess.objects.exists()
