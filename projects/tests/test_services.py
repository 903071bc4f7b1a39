"""Dossier services: reference numbers, readiness, the workflow by role, documents, notifications."""
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.territories.models import Commune, Sector
from projects import services
from projects.models import DocumentType, DossierDocument, DossierStatus, DossierTransition
from projects.selectors import dossier_readiness, dossier_totals, required_document_types
from projects.tasks import dossier_notify_promoter
from projects.tests.factories import PDF_BYTES, BudgetLineFactory, DossierFactory, FinancingLineFactory


def _balance(dossier, amount=1_000_000):
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=amount)
    FinancingLineFactory(dossier=dossier, source="own", amount=amount // 5)
    FinancingLineFactory(dossier=dossier, source="grant", amount=amount - amount // 5)


def _with_required_documents(dossier, users):
    for document_type in required_document_types(dossier):
        services.document_upload(
            dossier=dossier, actor=users["advisor"], document_type=document_type,
            uploaded_file=SimpleUploadedFile("piece.pdf", PDF_BYTES),
        )


def _submitted(dossier, users):
    _balance(dossier)
    services.dossier_transition(dossier=dossier, actor=users["migrant"], to_status=DossierStatus.SUBMITTED)
    dossier.refresh_from_db()
    return dossier


def test_a_new_dossier_takes_the_office_of_its_promoter_and_a_yearly_number(promoter, users):
    first = services.dossier_create(promoter=promoter, actor=users["migrant"], title="Boutique")
    second = services.dossier_create(promoter=promoter, actor=users["advisor"], title="Atelier")

    assert first.office == promoter.office
    assert first.reference.startswith("SED-P-") and first.reference.endswith("-0001")
    assert second.reference.endswith("-0002")
    assert first.status == DossierStatus.DRAFT


def test_another_migrant_cannot_open_a_dossier_for_someone_else(promoter, users):
    with pytest.raises(services.PermissionDenied):
        services.dossier_create(promoter=promoter, actor=users["other_migrant"], title="Boutique")


def test_totals_are_computed_and_the_amount_sought_is_what_funders_give(dossier):
    BudgetLineFactory(dossier=dossier, quantity=3, unit_cost=100_000)
    BudgetLineFactory(dossier=dossier, category="working_capital", quantity=1, unit_cost=200_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=100_000)
    FinancingLineFactory(dossier=dossier, source="diaspora", amount=50_000)
    FinancingLineFactory(dossier=dossier, source="loan", amount=350_000)

    totals = dossier_totals(dossier)

    assert totals == {"budget_total": 500_000, "financing_total": 500_000, "own_total": 100_000, "amount_sought": 350_000}


def test_readiness_is_recomputed_on_every_change_and_lists_what_is_missing(dossier, users):
    before = dossier_readiness(dossier)

    services.budget_line_add(dossier=dossier, actor=users["migrant"], category="investment", label="Four", quantity=1, unit_cost=300_000)
    services.financing_line_add(dossier=dossier, actor=users["migrant"], source="own", amount=300_000)
    dossier.refresh_from_db()
    after = dossier_readiness(dossier)

    assert "une ligne de budget au moins" in [str(label) for label in before.missing]
    assert "un plan de financement équilibré avec le budget" in [str(label) for label in before.missing]
    assert "un plan de financement équilibré avec le budget" not in [str(label) for label in after.missing]
    assert dossier.readiness == after.score > before.score


def test_an_own_contribution_under_ten_percent_is_reported(dossier):
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=1_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=50_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=950_000)

    missing = [str(label) for label in dossier_readiness(dossier).missing]

    assert "un apport personnel d’au moins 10 % du budget" in missing


def test_the_checklist_depends_on_kind_sector_and_stage(promoter):
    individual = DossierFactory(promoter=promoter, kind="individual", stage="idea", sector=Sector.objects.get(code="COMM"))
    collective_farm = DossierFactory(promoter=promoter, kind="collective", stage="extension", sector=Sector.objects.get(code="AGRI"))

    assert {t.code for t in required_document_types(individual)} == {"ID", "RESIDENCE", "BUSINESS_PLAN", "QUOTES"}
    assert {t.code for t in required_document_types(collective_farm)} == {
        "ID", "RESIDENCE", "BUSINESS_PLAN", "QUOTES", "NINEA", "RCCM", "STATUTES", "MINUTES", "LAND"
    }


def test_the_full_workflow_keeps_every_move_with_actor_and_comment(dossier, users):
    _balance(dossier)
    _with_required_documents(dossier, users)
    moves = [
        ("migrant", DossierStatus.SUBMITTED, ""),
        ("advisor", DossierStatus.IN_REVIEW, ""),
        ("advisor", DossierStatus.CHANGES_REQUESTED, "Ajoutez le devis du grillage."),
        ("migrant", DossierStatus.SUBMITTED, "Devis ajouté."),
        ("advisor", DossierStatus.READY, "Complet."),
        ("advisor", DossierStatus.SENT_TO_FUNDER, "Envoyé au FAISE."),
        ("admin", DossierStatus.FUNDED, "Accordé : 5 M FCFA."),
        ("admin", DossierStatus.IN_IMPLEMENTATION, ""),
        ("admin", DossierStatus.CLOSED, ""),
    ]

    for role, to_status, comment in moves:
        services.dossier_transition(dossier=dossier, actor=users[role], to_status=to_status, comment=comment)

    dossier.refresh_from_db()
    history = list(DossierTransition.objects.filter(dossier=dossier).values_list("to_status", "actor__email", "comment"))
    assert dossier.status == DossierStatus.CLOSED
    assert [row[0] for row in history] == [move[1] for move in moves]
    assert history[2] == ("changes_requested", "advisor@example.sn", "Ajoutez le devis du grillage.")
    assert dossier.advisor == users["advisor"]
    assert dossier.history.count() > 1


@pytest.mark.parametrize(
    ("role", "to_status"),
    [
        ("migrant", DossierStatus.READY),
        ("migrant", DossierStatus.IN_REVIEW),
        ("advisor", DossierStatus.WITHDRAWN),
        ("other_office_advisor", DossierStatus.IN_REVIEW),
        ("other_migrant", DossierStatus.WITHDRAWN),
        ("advisor", DossierStatus.FUNDED),
    ],
)
def test_forbidden_moves_are_refused_by_the_service(dossier, users, role, to_status):
    submitted = _submitted(dossier, users)

    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_transition(dossier=submitted, actor=users[role], to_status=to_status)

    submitted.refresh_from_db()
    assert submitted.status == DossierStatus.SUBMITTED


def test_only_an_admin_records_the_funders_decision(dossier, users):
    _submitted(dossier, users)
    _with_required_documents(dossier, users)
    services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.READY)
    services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.SENT_TO_FUNDER)

    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.NOT_FUNDED)
    services.dossier_transition(dossier=dossier, actor=users["superuser"], to_status=DossierStatus.NOT_FUNDED)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NOT_FUNDED


def test_a_dossier_cannot_be_submitted_before_the_plan_balances(dossier, users):
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=500_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=100_000)

    with pytest.raises(ValidationError) as error:
        services.dossier_transition(dossier=dossier, actor=users["migrant"], to_status=DossierStatus.SUBMITTED)

    assert "équilibrer le budget" in str(error.value)


def test_asking_for_changes_needs_a_comment(dossier, users):
    _submitted(dossier, users)

    with pytest.raises(ValidationError):
        services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.CHANGES_REQUESTED)


def test_a_submitted_dossier_is_read_only_for_the_migrant_until_changes_are_requested(dossier, users):
    _submitted(dossier, users)

    with pytest.raises(services.DossierLocked):
        services.dossier_update(dossier=dossier, actor=users["migrant"], title="Autre titre")
    services.dossier_update(dossier=dossier, actor=users["advisor"], market="Marché hebdomadaire de Sédhiou")
    services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.CHANGES_REQUESTED, comment="Le marché ?")
    dossier.refresh_from_db()
    services.dossier_update(dossier=dossier, actor=users["migrant"], title="Autre titre")

    dossier.refresh_from_db()
    assert dossier.title == "Autre titre"


def test_the_promoter_is_notified_in_the_app_and_by_email_of_each_move_by_the_office(dossier, users, django_capture_on_commit_callbacks):
    _submitted(dossier, users)

    with django_capture_on_commit_callbacks(execute=True):
        transition = services.dossier_transition(
            dossier=dossier, actor=users["advisor"], to_status=DossierStatus.CHANGES_REQUESTED, comment="Ajoutez le devis."
        )

    notification = Notification.objects.get(recipient=users["migrant"], object_key=f"projects.transition:{transition.pk}")
    assert "Modifications demandées" in notification.title
    assert (notification.kind, notification.url) == (DOSSIER_MOVED, f"/projects/{dossier.pk}/")
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["migrant@example.sn"]
    assert "Ajoutez le devis." in mail.outbox[0].body
    dossier_notify_promoter(transition.pk)
    assert Notification.objects.filter(object_key=f"projects.transition:{transition.pk}").count() == 1
    assert len(mail.outbox) == 1


def test_the_notification_task_returns_quietly_when_the_move_is_gone(db):
    assert dossier_notify_promoter(999_999) is None


def test_replacing_a_document_keeps_the_old_version(dossier, users):
    identity = DocumentType.objects.get(code="ID")

    first = services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=identity, uploaded_file=SimpleUploadedFile("cni.pdf", PDF_BYTES)
    )
    second = services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=identity, uploaded_file=SimpleUploadedFile("cni-2.pdf", PDF_BYTES)
    )

    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    assert DossierDocument.objects.filter(dossier=dossier).count() == 2
    assert "cni" not in second.file.name and second.file.name.endswith(".pdf")


def test_a_dossier_is_reassigned_only_to_an_advisor_of_its_office(dossier, users):
    services.dossier_assign_advisor(dossier=dossier, actor=users["admin"], advisor=users["advisor"])

    with pytest.raises(ValidationError):
        services.dossier_assign_advisor(dossier=dossier, actor=users["admin"], advisor=users["other_office_advisor"])
    dossier.refresh_from_db()
    assert dossier.advisor == users["advisor"]


def test_only_staff_of_the_office_comment_on_a_dossier(dossier, users):
    comment = services.review_comment_add(dossier=dossier, author=users["advisor"], section="market", body=" Qui achète ? ")

    with pytest.raises(services.PermissionDenied):
        services.review_comment_add(dossier=dossier, author=users["migrant"], section="market", body="Moi")
    assert comment.body == "Qui achète ?"


def test_the_database_refuses_more_youth_jobs_than_jobs(dossier):
    dossier.jobs_women, dossier.jobs_men, dossier.jobs_youth = 1, 1, 3

    with pytest.raises(ValidationError):
        dossier.full_clean()


def test_the_commune_of_implementation_is_kept(dossier, users):
    commune = Commune.objects.get(code="SN1103_SEDHIOU")

    services.dossier_update(dossier=dossier, actor=users["migrant"], commune=commune, jobs_women=2, jobs_men=1, jobs_youth=2)

    dossier.refresh_from_db()
    assert dossier.commune == commune and dossier.jobs_total == 3
