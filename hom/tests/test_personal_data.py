"""A person's data over its whole life, across every app: access, erasure, merge (migrants.personal_data).

Here, at the top of the apps, because the scenario spans all of them: a promoter with visits,
dossiers, documents, applications, introductions, an event registration and notifications.
"""
import json
from datetime import date

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from hom.messaging.services import message_enqueue
from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.notifications.services import notification_record
from migrants.models import Migrant, Visit
from migrants.services import migrant_erase, migrant_merge
from migrants.tests.factories import MigrantFactory, VisitFactory
from partnerships.events.models import EventParticipant
from partnerships.events.services import event_create, event_participant_add
from partnerships.models import Introduction
from partnerships.tests.factories import IntroductionFactory, OrganisationFactory
from partnerships.tests.offer_factories import OfferReferralFactory
from projects.models import DocumentType, DossierDocument, DossierTransition, ProjectDossier
from projects.services import document_upload
from projects.tests.factories import (
    PDF_BYTES,
    BudgetLineFactory,
    DossierFactory,
    FinancingLineFactory,
    ReviewCommentFactory,
)
from projects.tests.funding_factories import FundingApplicationFactory

NAME, SURNAME, PHONE, EMAIL = "Ousmane", "Diédhiou", "+221771234567", "ousmane.diedhiou@example.sn"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def promoter(users, office):
    """A promoter with something in every app, every free text naming him."""
    migrant = MigrantFactory(
        office=office, user=users["migrant"], first_name=NAME, last_name=SURNAME, phone=PHONE, email=EMAIL,
        consent_sharing=True,
    )
    advisor = users["advisor"]
    visit = VisitFactory(migrant=migrant, advisor=advisor, notes=f"{NAME} veut ouvrir un poulailler.")
    dossier = DossierFactory(promoter=migrant, title=f"Poulailler de {NAME} {SURNAME}", summary=f"{NAME} élève des poulets.",
                             market=f"Les voisins de {NAME}.", team=f"{NAME} et son frère.")
    BudgetLineFactory(dossier=dossier, label=f"Poussins pour {NAME}")
    FinancingLineFactory(dossier=dossier, label=f"Épargne de {SURNAME}")
    ReviewCommentFactory(dossier=dossier, author=advisor, body=f"{NAME} doit préciser le prix.")
    DossierTransition.objects.create(dossier=dossier, from_status="draft", to_status="withdrawn", actor=advisor,
                                     comment=f"{NAME} part en voyage.")
    for name in ("cni-ousmane.pdf", "devis-ousmane.pdf"):
        document_upload(dossier=dossier, actor=users["migrant"], document_type=DocumentType.objects.get(code="ID"),
                        uploaded_file=SimpleUploadedFile(name, PDF_BYTES))
    FundingApplicationFactory(dossier=dossier, notes=f"{NAME} a rendu son dossier.")
    IntroductionFactory(migrant=migrant, purpose=f"Présenter {NAME} à l'association.", outcome=f"{SURNAME} rappelé.")
    OfferReferralFactory(migrant=migrant, note=f"{NAME} veut un crédit.", outcome=f"{SURNAME} a obtenu son prêt.")
    event = event_create(office=office, created_by=advisor, kind="training", title="Aviculture",
                         starts_on=date(2026, 6, 1), place="Sédhiou")
    event_participant_add(event=event, registered_by=advisor, migrant=migrant)
    notification_record(recipient=users["migrant"], kind=DOSSIER_MOVED, object_key=f"projects.dossier:{dossier.pk}:moved",
                        title=f"{NAME}, votre dossier avance")
    notification_record(recipient=advisor, kind=DOSSIER_MOVED, object_key=f"migrants.visit:{visit.pk}",
                        title=f"Suivi : {NAME} {SURNAME}")
    message_enqueue(key=f"notice:dossier:{dossier.pk}", channel="sms", to=PHONE, body=f"{NAME}, votre dossier avance",
                    office=office, person_key=f"migrants.migrant:{migrant.pk}")
    return migrant


def _columns_holding(text: str) -> list[str]:
    """Every text column of every table (history tables included) that holds ``text``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not field.choices:
                lookup = "icontains" if not isinstance(field, models.JSONField) else "contains"
                if isinstance(field, models.JSONField):
                    continue
                if model._base_manager.filter(**{f"{field.attname}__{lookup}": text}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def test_after_erasure_no_table_holds_the_person_and_no_file_is_left(promoter, users, django_capture_on_commit_callbacks):
    stored = [document.file.name for document in DossierDocument.objects.all()]
    assert len(stored) == 2 and all(default_storage.exists(name) for name in stored)
    assert _columns_holding(NAME)  # the scenario does name him everywhere

    with django_capture_on_commit_callbacks(execute=True):
        migrant_erase(migrant=promoter, erased_by=users["admin"])

    for needle in (NAME, SURNAME, PHONE, EMAIL, "ousmane"):
        assert _columns_holding(needle) == [], needle
    assert not any(default_storage.exists(name) for name in stored)
    # The anonymous counts stay: the visit, the dossier, the introduction, the registration.
    assert Visit.objects.filter(migrant=promoter).count() == 1
    assert ProjectDossier.objects.filter(promoter=promoter, title="—").count() == 1
    assert Introduction.objects.filter(migrant=promoter).count() == 1
    assert EventParticipant.objects.filter(migrant=promoter).count() == 1
    assert not Notification.objects.filter(recipient=users["migrant"]).exists()


def test_a_rolled_back_erasure_keeps_the_files(promoter, users, django_capture_on_commit_callbacks, monkeypatch):
    stored = [document.file.name for document in DossierDocument.objects.all()]

    def refuse(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("hom.notifications.personal_data.erase_person", refuse)
    monkeypatch.setattr(apps.get_app_config("notifications"), "personal_data",
                        {**apps.get_app_config("notifications").personal_data,
                         "erase": "hom.notifications.personal_data.erase_person"})
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        migrant_erase(migrant=promoter, erased_by=users["admin"])

    assert all(default_storage.exists(name) for name in stored)
    assert DossierDocument.objects.count() == 2
    assert Migrant.objects.get(pk=promoter.pk).first_name == NAME


def test_the_migrants_download_holds_every_app(client, promoter, users):
    client.force_login(users["migrant"])

    data = json.loads(client.get(reverse("migrants:my_data")).content)

    assert data["migrants"]["first_name"] == NAME and len(data["migrants"]["visits"]) == 1
    assert "notes" not in data["migrants"]["visits"][0]  # staff's notes are for the staff export
    dossier = data["projects"]["dossiers"][0]
    assert dossier["title"] == f"Poulailler de {NAME} {SURNAME}" and dossier["reference"]
    assert dossier["budget"][0]["item"] == f"Poussins pour {NAME}"
    assert sorted(document["file_name"] for document in dossier["documents"]) == ["cni-ousmane.pdf", "devis-ousmane.pdf"]
    assert dossier["applications"][0]["amount_requested"] == 1_000_000
    assert "review_comments" not in dossier
    assert data["partnerships"]["introductions"][0]["purpose"].startswith("Présenter")
    assert data["partnerships"]["events"][0]["event"] == "Aviculture"
    assert data["notifications"]["notifications"][0]["title"].startswith(NAME)


def test_merging_two_records_sharing_an_open_introduction_and_an_event_keeps_both_histories(promoter, users, office):
    duplicate = MigrantFactory(office=office, first_name=NAME, last_name=SURNAME)
    introduction = Introduction.objects.get(migrant=promoter)
    theirs = IntroductionFactory(migrant=duplicate, organisation=introduction.organisation, purpose="Prêt de matériel.",
                                 outcome="Rendez-vous pris.")
    event = EventParticipant.objects.get(migrant=promoter).event
    event_participant_add(event=event, registered_by=users["advisor"], migrant=duplicate)
    EventParticipant.objects.filter(migrant=duplicate).update(attended=True)
    other_organisation = IntroductionFactory(migrant=duplicate, organisation=OrganisationFactory())
    dossier = DossierFactory(promoter=duplicate)
    histories = Introduction.history.filter(id__in=[introduction.pk, theirs.pk]).count()

    migrant_merge(survivor=promoter, duplicate=duplicate, merged_by=users["advisor"])

    kept = Introduction.objects.get(migrant=promoter, organisation=introduction.organisation)
    assert "Prêt de matériel." in kept.purpose and "Rendez-vous pris." in kept.outcome
    assert not Introduction.objects.filter(pk=theirs.pk).exists()
    # Both histories, under the one introduction, plus the merge's own entry.
    assert Introduction.history.filter(id=kept.pk).count() == histories + 1
    assert Introduction.objects.get(pk=other_organisation.pk).migrant == promoter
    assert EventParticipant.objects.get(event=event, migrant=promoter).attended is True
    assert EventParticipant.objects.filter(event=event).count() == 1
    assert ProjectDossier.objects.get(pk=dossier.pk).promoter == promoter
    assert not Migrant.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_moves_every_relation_the_registry_declares(promoter, users, office):
    """Every declared model pointing at a person is pointed at the survivor after the merge."""
    duplicate = MigrantFactory(office=office)
    VisitFactory(migrant=duplicate)
    DossierFactory(promoter=duplicate)
    IntroductionFactory(migrant=duplicate)
    event = event_create(office=office, created_by=users["advisor"], kind="forum", title="Forum",
                         starts_on=date(2026, 7, 1), place="Sédhiou")
    event_participant_add(event=event, registered_by=users["advisor"], migrant=duplicate)
    from migrants import personal_data

    pointing = [
        (model, field.name)
        for label in personal_data.declared_models()
        for model in [apps.get_model(label)]
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Migrant
    ]
    assert len(pointing) >= 5

    migrant_merge(survivor=promoter, duplicate=duplicate, merged_by=users["advisor"])

    for model, name in pointing:
        assert not model._base_manager.filter(**{f"{name}_id": duplicate.pk}).exists(), model


@pytest.mark.parametrize("url_name", ["migrants:edit", "migrants:visit_create", "migrants:merge"])
def test_an_erased_record_refuses_edits_visits_and_merges(client, promoter, users, url_name):
    migrant_erase(migrant=promoter, erased_by=users["admin"])
    client.force_login(users["advisor"])
    url = reverse(url_name, args=[promoter.pk])

    page = client.get(url, follow=True)
    # The attacker's replayed form changes nothing.
    replay = client.post(url, {"first_name": "Ousmane", "last_name": "Diédhiou", "channel": "office",
                               "duplicate": MigrantFactory(office=promoter.office).pk}, follow=True)

    for response in (page, replay):
        assert response.redirect_chain[-1][0] == reverse("migrants:detail", args=[promoter.pk])
        assert "Cette fiche est effacée : elle ne peut plus être modifiée" in response.content.decode()
    promoter.refresh_from_db()
    assert promoter.first_name == "—" and promoter.visits.count() == 1


def test_only_the_office_admin_exports_a_persons_data(client, users, office):
    from hom.testing.access import LOGIN, assert_access_matrix

    migrant = MigrantFactory(office=office)
    expected = {"anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 403, "other_office_advisor": 403,
                "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403}

    assert_access_matrix(client, reverse("migrants:data_export", args=[migrant.pk]), expected, users)


def test_the_staff_export_is_the_download_plus_the_staff_notes_and_the_files(client, promoter, users):
    import io
    import zipfile

    client.force_login(users["admin"])

    response = client.get(reverse("migrants:data_export", args=[promoter.pk]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read(f"{promoter.file_number}.json"))
    assert data["migrants"]["visits"][0]["notes"] == f"{NAME} veut ouvrir un poulailler."
    dossier = data["projects"]["dossiers"][0]
    assert dossier["review_comments"][0]["comment"] == f"{NAME} doit préciser le prix."
    assert dossier["applications"][0]["notes"] == f"{NAME} a rendu son dossier."
    paths = [document["zip_path"] for document in dossier["documents"]]
    assert sorted(name for name in archive.namelist() if name.startswith("documents/")) == sorted(paths)
    assert all(archive.read(path) == PDF_BYTES for path in paths)


def _text_leaves(value):
    """Every text of an export (not dates, not multi-line), to find on its readable page."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _text_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _text_leaves(item)
    elif isinstance(value, str) and value and "\n" not in value and not value[:4].isdigit():
        yield value


def test_the_migrants_readable_page_is_their_download_laid_out(client, promoter, users):
    from django.utils.html import escape

    client.force_login(users["migrant"])
    data = json.loads(client.get(reverse("migrants:my_data")).content)

    page = client.get(reverse("migrants:my_data_page")).content.decode()

    dossier = data["projects"]["dossiers"][0]
    for text in (dossier["reference"], dossier["title"], f"Poussins pour {NAME}", "cni-ousmane.pdf", "devis-ousmane.pdf",
                 data["partnerships"]["introductions"][0]["organisation"], "Aviculture"):
        assert escape(text) in page, text
    assert "Dossiers de projet" in page and "Inscriptions aux événements" in page and "Visites" in page
    # One source: every text of the JSON is on the page, and nothing of the staff's.
    missing = [text for text in _text_leaves(data) if escape(text) not in page]
    assert missing == []
    assert "veut ouvrir un poulailler" not in page and "doit préciser le prix" not in page


def test_the_staff_readable_page_adds_the_staff_notes_and_is_logged(client, promoter, users):
    from migrants.models import AccessAction, AccessTarget, PersonAccess

    client.force_login(users["admin"])

    page = client.get(reverse("migrants:data_page", args=[promoter.pk])).content.decode()

    assert f"{NAME} veut ouvrir un poulailler." in page and f"{NAME} doit préciser le prix." in page
    assert f"{NAME} a rendu son dossier." in page
    logged = PersonAccess.objects.get(migrant=promoter)
    assert (logged.user, logged.action, logged.target) == (users["admin"], AccessAction.EXPORT, AccessTarget.PERSON_DATA)


def test_the_readable_pages_access_matrix(client, promoter, users):
    from hom.testing.access import LOGIN, assert_access_matrix

    staff_page = {"anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 403, "other_office_advisor": 403,
                  "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403}
    own_page = {"anonymous": LOGIN, "superuser": 403, "admin": 403, "advisor": 403, "other_office_advisor": 403,
                "migrant": 200, "other_migrant": 404, "authority": 403, "partner": 403}

    assert_access_matrix(client, reverse("migrants:data_page", args=[promoter.pk]), staff_page, users)
    assert_access_matrix(client, reverse("migrants:my_data_page"), own_page, users)


# --- The merge covers every relation the registry declares -----------------------------------------------
#
# One builder per declared personal model: it makes a row of that model belonging to the duplicate
# (directly, or through the duplicate's dossier or account). A model declared in the registry with no
# builder here fails the test: a new declaration must show that the merge carries it.


def _build_rows(duplicate, shared, users):
    from django.utils import timezone

    from hom.accounts.models import Role
    from hom.accounts.tests.factories import UserFactory
    from hom.messaging.models import Message
    from hom.notifications.models import Digest, NotificationPreference, Reminder, ReminderKind
    from hom.reports.models import VisitMonth, VisitNeedMonth
    from hom.territories.models import NeedCategory
    from migrants.models import ContactChoice, LinkRequest, NoticeSent, PhoneCode, Transfer, TransferState
    from migrants.tests.factories import BookingFactory, SlotFactory
    from projects.models import DossierTransition
    from projects.tests.results_factories import ResultCheckFactory

    advisor, account = users["advisor"], duplicate.user
    dossier = DossierFactory(promoter=duplicate, title="Dossier du doublon")
    month = timezone.localdate().replace(day=1)
    document = document_upload(dossier=dossier, actor=advisor, document_type=DocumentType.objects.get(code="ID"),
                               uploaded_file=SimpleUploadedFile("piece.pdf", PDF_BYTES))
    return {
        "migrants.Visit": VisitFactory(migrant=duplicate),
        "migrants.LinkRequest": LinkRequest.objects.create(
            migrant=duplicate, user=UserFactory(role=Role.MIGRANT, email="lien@example.sn")),
        "projects.ProjectDossier": dossier,
        "projects.BudgetLine": BudgetLineFactory(dossier=dossier),
        "projects.FinancingLine": FinancingLineFactory(dossier=dossier),
        "projects.DossierDocument": document,
        "projects.DossierTransition": DossierTransition.objects.create(
            dossier=dossier, from_status="draft", to_status="withdrawn", actor=advisor),
        "projects.ReviewComment": ReviewCommentFactory(dossier=dossier, author=advisor),
        "projects.FundingApplication": FundingApplicationFactory(dossier=dossier),
        "projects.ResultCheck": ResultCheckFactory(dossier=dossier),
        # Shared with the survivor: folded into the survivor's one (the uniqueness rules).
        "partnerships.Introduction": IntroductionFactory(migrant=duplicate, organisation=shared["organisation"]),
        "partnerships.EventParticipant": event_participant_add(
            event=shared["event"], registered_by=advisor, migrant=duplicate),
        "partnerships.OfferReferral": OfferReferralFactory(migrant=duplicate, note="Orientation du doublon"),
        "notifications.Notification": notification_record(
            recipient=account, kind=DOSSIER_MOVED, object_key=f"projects.dossier:{dossier.pk}:moved", title="Avancé")[0],
        "notifications.Reminder": Reminder.objects.create(
            recipient=account, kind=ReminderKind.CHANGES_REQUESTED, object_key=f"projects.dossier:{dossier.pk}",
            due_on=timezone.localdate()),
        "notifications.Digest": Digest.objects.create(recipient=account, day=timezone.localdate(), claimed_at=timezone.now()),
        "notifications.NotificationPreference": NotificationPreference.objects.create(recipient=account),
        # Messages name their person by key, not by a relation (hom.messaging is below migrants).
        "messaging.Message": Message.objects.create(key="notice:merge", channel="sms", to=PHONE, body="Bonjour",
                                                    person_key=f"migrants.migrant:{duplicate.pk}"),
        # The notices' rows (migrants/notices): the survivor has no choice of their own, so the duplicate's moves.
        "migrants.ContactChoice": ContactChoice.objects.create(migrant=duplicate, sms=True, consent_on=month),
        "migrants.PhoneCode": PhoneCode.objects.create(migrant=duplicate, phone=PHONE, code_hash="x",
                                                       expires_at=timezone.now()),
        "migrants.NoticeSent": NoticeSent.objects.create(migrant=duplicate, kind="dossier_moved", key="notice:merge",
                                                         channel="email"),
        "migrants.Transfer": Transfer.objects.create(migrant=duplicate, from_office=duplicate.office,
                                                     to_office=users["other_office_advisor"].office,
                                                     state=TransferState.REFUSED, reason="Demande de Kolda"),
        # An appointment of the duplicate: it follows them to the survivor (the slot is the advisor's).
        "migrants.Booking": BookingFactory(slot=SlotFactory(advisor=advisor), migrant=duplicate),
        "reports.VisitMonth": VisitMonth.objects.create(month=month, office=duplicate.office, migrant=duplicate, visits=1),
        "reports.VisitNeedMonth": VisitNeedMonth.objects.create(
            month=month, office=duplicate.office, migrant=duplicate, visits=1, need=NeedCategory.objects.first()),
    }


def _person_of(row, declared):
    """The person a row belongs to: through a relation to a person, to an account, or to a declared model."""
    from django.contrib.auth import get_user_model

    if isinstance(row, Migrant):
        return row
    if row._meta.label == "messaging.Message":  # a message names its person by key ("migrants.migrant:<pk>")
        return Migrant.objects.filter(pk=int(row.person_key.rpartition(":")[2])).first()
    for field in row._meta.concrete_fields:
        if not field.is_relation or getattr(row, field.attname) is None:
            continue
        target = field.related_model
        if target is Migrant:
            return getattr(row, field.name)
        if target is get_user_model():
            person = Migrant.objects.filter(user_id=getattr(row, field.attname)).first()
            if person is not None:
                return person
        elif target._meta.label in declared:
            return _person_of(getattr(row, field.name), declared)
    return None


def test_a_merge_carries_a_row_of_every_model_the_registry_declares(users, office):
    from migrants import personal_data

    survivor = MigrantFactory(office=office, first_name=NAME, last_name=SURNAME)
    duplicate = MigrantFactory(office=office, first_name=NAME, last_name=SURNAME, user=users["migrant"])
    organisation = OrganisationFactory()
    IntroductionFactory(migrant=survivor, organisation=organisation)
    event = event_create(office=office, created_by=users["advisor"], kind="forum", title="Forum",
                         starts_on=date(2026, 7, 1), place="Sédhiou")
    event_participant_add(event=event, registered_by=users["advisor"], migrant=survivor)
    rows = _build_rows(duplicate, {"organisation": organisation, "event": event}, users)
    declared = personal_data.declared_models()

    assert set(rows) == declared - {"migrants.Migrant"}, "a declared model has no row in the merge test"
    assert all(_person_of(row, declared) == duplicate for row in rows.values())

    migrant_merge(survivor=survivor, duplicate=duplicate, merged_by=users["advisor"])

    folded = {
        "partnerships.Introduction": Introduction.objects.filter(migrant=survivor, organisation=organisation).count() == 1,
        "partnerships.EventParticipant": EventParticipant.objects.filter(event=event, migrant=survivor).count() == 1,
    }
    for label, row in rows.items():
        model = apps.get_model(label)
        kept = model._base_manager.filter(pk=row.pk).first()
        if kept is None:
            assert folded.get(label), f"{label}: the duplicate's row is gone and nothing of the survivor's replaces it"
        else:
            assert _person_of(kept, declared) == survivor, label
    assert not Migrant.objects.filter(pk=duplicate.pk).exists()
    assert Migrant.objects.get(pk=survivor.pk).user == users["migrant"]
