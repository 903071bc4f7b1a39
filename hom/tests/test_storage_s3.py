"""Documents on S3-compatible object storage (hom/storage.py): a local S3 server (moto's) stands for the bucket.

Users do what they do on disk, through the same views and access checks: an advisor uploads a
dossier document, the promoter and the advisor download it, another office's advisor gets 404,
the anonymous visitor the login page; the erasure of the person deletes the object; a convention's
report goes the same way. No page, admin page or API answer gives the bucket's address.
"""

import os
import socket
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hom.outbox.models import OutboxMessage
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory
from projects.models import DocumentType, DossierDocument
from projects.tests.factories import PDF_BYTES, DossierFactory

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (requirements.txt)")
moto_server = pytest.importorskip("moto.server", reason="moto is not installed (requirements-dev.txt)")
pytest.importorskip("storages", reason="django-storages is not installed (requirements.txt)")
from hom.s3 import PrivateS3Storage  # noqa: E402 - after the check that django-storages is there

BUCKET = "hom-documents"
PREFIX = "hom-test"
CREDENTIALS = {"aws_access_key_id": "hom-test-key", "aws_secret_access_key": "hom-test-secret"}
REGION = "eu-west-3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server in this process, for this module's tests."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    except client.exceptions.BucketAlreadyOwnedByYou:
        # moto keeps its state in the process: pytest-django runs this module's tests without a database
        # apart from the others, so the server starts a second time on a bucket still there (and empty).
        pass
    yield endpoint
    server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint):
    """The default storage is the bucket (as the settings make it from AWS_STORAGE_BUCKET_NAME), emptied after
    the test; the returned function lists the bucket's object names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hom.s3.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "location": PREFIX,
                "object_parameters": {"ServerSideEncryption": "AES256"},
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
            },
        },
    }
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)

    def names() -> list[str]:
        return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))

    names.client = client
    yield names
    for name in names():
        client.delete_object(Bucket=BUCKET, Key=name)


@pytest.fixture(autouse=True)
def _no_disk(settings, tmp_path):
    """Nothing may land on the disk: MEDIA_ROOT is a folder the test checks stays empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def promoter(users, office):
    return MigrantFactory(office=office, user=users["migrant"], first_name="Ousmane", last_name="Diédhiou")


@pytest.fixture
def dossier(promoter):
    return DossierFactory(promoter=promoter, title="Poulailler de Marsassoum")


def _upload(client, user, dossier, name="cni ousmane.pdf", content=PDF_BYTES):
    client.force_login(user)
    response = client.post(
        reverse("projects:document_upload", args=[dossier.pk]),
        {"document_type": DocumentType.objects.get(code="ID").pk, "file": SimpleUploadedFile(name, content)},
    )
    client.logout()
    assert response.status_code == 302, response.content[:500]
    return DossierDocument.objects.get(dossier=dossier, is_current=True)


def _default_storage_of(environment: dict) -> str:
    """The default storage the settings make from ``environment`` (a fresh process: settings load once)."""
    script = (
        "from django.conf import settings; d = settings.STORAGES['default']; "
        "print(d['BACKEND'], sorted(d.get('OPTIONS', {}).items()))"
    )
    keep = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        capture_output=True,
        text=True,
        env={**keep, "DJANGO_SETTINGS_MODULE": "hom.settings", **environment},
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_the_settings_switch_the_default_storage_to_the_bucket_only_when_one_is_named():
    assert _default_storage_of({}).startswith("django.core.files.storage.FileSystemStorage")
    named = _default_storage_of(
        {
            "AWS_STORAGE_BUCKET_NAME": "hom-prod",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.sn",
            "AWS_S3_REGION_NAME": "dakar-1",
            "AWS_ACCESS_KEY_ID": "key-id",
            "AWS_SECRET_ACCESS_KEY": "the-secret",
        }
    )
    assert named.startswith("hom.s3.PrivateS3Storage")
    for expected in (
        "'bucket_name', 'hom-prod'",
        "'endpoint_url', 'https://s3.example.sn'",
        "'location', 'hom'",
        "'region_name', 'dakar-1'",
        "'ServerSideEncryption': 'AES256'",
    ):
        assert expected in named
    # The keys stay in the environment, where boto3 reads them: never in the settings.
    assert "the-secret" not in named and "key-id" not in named


def test_the_bucket_storage_is_private_and_never_overwrites(bucket):
    storage = storages["default"]
    assert isinstance(storage, PrivateS3Storage)
    assert (storage.default_acl, storage.file_overwrite, storage.location) == ("private", False, PREFIX)
    name = storage.save("dossiers/same.pdf", ContentFile(b"first"))
    again = storage.save("dossiers/same.pdf", ContentFile(b"second"))
    assert name != again and storage.open(name).read() == b"first"
    # No address of the bucket, signed or not: the same dead path as on disk.
    assert storage.url(name) == f"/media-not-served/{name}"


def test_an_advisor_uploads_a_document_into_the_bucket_and_those_in_scope_download_it(
    client, users, dossier, bucket, _no_disk
):
    content = PDF_BYTES + b"\n% Ousmane's identity card\n"
    document = _upload(client, users["advisor"], dossier, content=content)

    stored = bucket()
    assert stored == [f"{PREFIX}/{document.file.name}"]
    assert document.file.name.startswith("dossiers/") and "ousmane" not in document.file.name
    head = bucket.client.head_object(Bucket=BUCKET, Key=stored[0])
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(content)
    assert not _no_disk.exists() or not any(path.is_file() for path in _no_disk.rglob("*"))

    url = reverse("projects:document", args=[document.pk])
    for name in ("migrant", "advisor"):
        client.force_login(users[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == content
        client.logout()

    client.force_login(users["other_office_advisor"])
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_second_upload_of_the_same_type_keeps_both_objects(client, users, dossier, bucket):
    first = _upload(client, users["advisor"], dossier, content=PDF_BYTES + b"% v1\n")
    second = _upload(client, users["migrant"], dossier, content=PDF_BYTES + b"% v2\n")

    assert first.file.name != second.file.name
    assert bucket() == sorted(f"{PREFIX}/{name}" for name in (first.file.name, second.file.name))
    client.force_login(users["advisor"])
    assert b"".join(client.get(reverse("projects:document", args=[first.pk])).streaming_content).endswith(b"% v1\n")


def test_a_document_whose_object_is_gone_answers_404(client, users, dossier, bucket):
    document = _upload(client, users["advisor"], dossier)
    bucket.client.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{document.file.name}")

    client.force_login(users["migrant"])
    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 404


def test_the_erasure_of_the_person_deletes_the_objects(
    client, users, promoter, dossier, bucket, django_capture_on_commit_callbacks
):
    _upload(client, users["advisor"], dossier)
    _upload(client, users["migrant"], dossier, name="devis.pdf")
    other = _upload(client, users["advisor"], DossierFactory(promoter=MigrantFactory(office=promoter.office)))
    assert len(bucket()) == 3

    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("migrants:erase", args=[promoter.pk]))

    assert response.status_code == 302
    assert Migrant.objects.get(pk=promoter.pk).first_name != "Ousmane"
    assert not DossierDocument.objects.filter(dossier=dossier).exists()
    # Only the erased person's objects go.
    assert bucket() == [f"{PREFIX}/{other.file.name}"]


def test_a_delete_the_bucket_refuses_does_not_undo_the_erasure_and_is_tried_again(
    client, users, promoter, dossier, bucket, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    document = _upload(client, users["advisor"], dossier)
    storage_class = type(storages["default"])
    real_delete, refusals = storage_class.delete, []

    def refuse_once(self, name):
        if not refusals:
            refusals.append(name)
            raise ConnectionError("the bucket does not answer")
        return real_delete(self, name)

    monkeypatch.setattr(storage_class, "delete", refuse_once)
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("migrants:erase", args=[promoter.pk]))

    assert response.status_code == 302
    assert Migrant.objects.get(pk=promoter.pk).first_name != "Ousmane"
    assert refusals == [document.file.name]
    assert f"{document.file.name} not deleted" in caplog.text
    # The outbox kept the retry with the erasure's aftermath, and the task (eager here) deleted the object.
    retry = OutboxMessage.objects.get(task="projects.tasks.documents_delete")
    assert retry.args == [[document.file.name]] and retry.published_at is not None
    assert bucket() == []


@pytest.fixture
def convention(office):
    from partnerships.conventions.models import ConventionStatus
    from partnerships.tests.convention_factories import ConventionFactory

    return ConventionFactory(office=office, title="Convention HOM Sédhiou", status=ConventionStatus.ACTIVE)


@pytest.fixture
def partner_report(users, convention):
    from partnerships.tests.convention_factories import ConventionPartyFactory, ReportItemFactory
    from partnerships.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Grdr", acronym="Grdr", partner_users=[users["partner"]])
    party = ConventionPartyFactory(convention=convention, organisation=organisation)
    return ReportItemFactory(obligation__convention=convention, obligation__party=party, party=party)


def test_a_partner_sends_a_convention_report_into_the_bucket_and_the_office_reads_it(
    client, users, partner_report, bucket
):
    from projects.demo import demo_pdf

    content = demo_pdf("Rapport annuel Grdr")
    client.force_login(users["partner"])
    response = client.post(
        reverse("partnerships:convention_report_upload", args=[partner_report.pk]),
        {"file": SimpleUploadedFile("rapport grdr.pdf", content, content_type="application/pdf")},
    )
    assert response.status_code == 302
    partner_report.refresh_from_db()
    assert bucket() == [f"{PREFIX}/{partner_report.file.name}"]

    url = reverse("partnerships:convention_report_file", args=[partner_report.pk])
    for name in ("partner", "advisor"):
        client.force_login(users[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == content
    client.force_login(users["other_office_advisor"])
    assert client.get(url).status_code == 404


def test_no_page_admin_page_or_api_answer_gives_the_bucket_address(
    client, users, dossier, convention, partner_report, bucket, s3_endpoint
):
    from partnerships.conventions import services as convention_services
    from projects.demo import demo_pdf

    document = _upload(client, users["advisor"], dossier)
    convention_services.report_submit(
        item=partner_report,
        uploaded=SimpleUploadedFile("r.pdf", demo_pdf("R"), content_type="application/pdf"),
        actor=users["partner"],
    )
    convention_services.convention_attach_document(
        convention=convention,
        uploaded=SimpleUploadedFile("c.pdf", demo_pdf("C"), content_type="application/pdf"),
    )
    assert len(bucket()) == 3

    pages = {
        "advisor": [
            reverse("projects:detail", args=[dossier.pk]),
            reverse("projects:step", args=[dossier.pk, "documents"]),
            reverse("partnerships:convention_detail", args=[convention.pk]),
            f"/api/v1/conventions/{convention.pk}/",
            f"/api/v1/convention-reports/{partner_report.pk}/",
        ],
        "migrant": [
            reverse("projects:detail", args=[dossier.pk]),
            reverse("projects:step", args=[dossier.pk, "documents"]),
        ],
        "partner": [
            reverse("partnerships:convention_detail", args=[convention.pk]),
            f"/api/v1/convention-reports/{partner_report.pk}/",
        ],
        "superuser": [
            reverse("admin:partnerships_reportitem_change", args=[partner_report.pk]),
            reverse("admin:partnerships_convention_change", args=[convention.pk]),
        ],
    }
    host = s3_endpoint.split("//", 1)[1]
    for name, urls in pages.items():
        client.force_login(users[name])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            body = response.content.decode()
            assert host not in body and BUCKET not in body and "X-Amz-" not in body, (name, url)
    assert document.file.url.startswith("/media-not-served/")


def test_a_commune_development_plan_goes_to_the_bucket_and_is_read_back_through_the_profile(
    client, users, bucket, s3_endpoint
):
    from projects.demo import demo_pdf

    content = demo_pdf("Plan de développement communal")
    client.force_login(users["advisor"])
    response = client.post(
        reverse("communes:edit", args=["SN1103_SEDHIOU"]),
        {
            "narrative": "Sédhiou attend sa diaspora.",
            "development_plan": SimpleUploadedFile("pdc.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    (stored,) = bucket()
    assert stored.startswith(f"{PREFIX}/communes/SN1103_SEDHIOU/")

    edit_page = client.get(reverse("communes:edit", args=["SN1103_SEDHIOU"])).content.decode()
    assert s3_endpoint.split("//", 1)[1] not in edit_page and "X-Amz-" not in edit_page
    client.logout()
    response = client.get(reverse("communes:plan", args=["SN1103_SEDHIOU"]))
    assert response.status_code == 200 and response.content == content

    bucket.client.delete_object(Bucket=BUCKET, Key=stored)
    assert client.get(reverse("communes:plan", args=["SN1103_SEDHIOU"])).status_code == 404


def test_check_deploy_warns_of_a_bucket_reached_in_clear(settings):
    from django.core.checks import registry

    from hom.storage import check_object_storage

    assert check_object_storage in registry.registry.get_checks(include_deployment_checks=True)
    assert check_object_storage() == []  # on disk
    s3 = {"BACKEND": "hom.s3.PrivateS3Storage", "OPTIONS": {"bucket_name": BUCKET}}
    settings.STORAGES = {**settings.STORAGES, "default": {**s3, "OPTIONS": {**s3["OPTIONS"], "endpoint_url": None}}}
    assert check_object_storage() == []  # Amazon S3 itself, over https
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**s3, "OPTIONS": {**s3["OPTIONS"], "endpoint_url": "http://minio:9000"}},
    }
    assert [warning.id for warning in check_object_storage()] == ["hom.W010"]
