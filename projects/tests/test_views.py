"""Dossier pages: who reaches what (every role), the guided form, uploads, review, lists and queue."""
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.testing.access import LOGIN, ROLES, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from projects import services
from projects.models import (
    BudgetLine,
    DocumentType,
    DossierDocument,
    DossierStatus,
    FinancingLine,
    ProjectDossier,
    ReviewComment,
)
from projects.tests.factories import (
    PDF_BYTES,
    BudgetLineFactory,
    DossierFactory,
    FinancingLineFactory,
    ReviewCommentFactory,
)
from projects.tests.test_uploads import EXECUTABLE_BYTES

OBJECT_MATRIX = {
    "anonymous": LOGIN,
    "superuser": 200,
    "admin": 200,
    "advisor": 200,
    "other_office_advisor": 404,
    "migrant": 200,
    "other_migrant": 404,
    "authority": 403,
    "partner": 403,
}
POST_MATRIX = OBJECT_MATRIX | {"superuser": 302, "admin": 302, "advisor": 302, "migrant": 302}
STAFF_POST_MATRIX = POST_MATRIX | {"migrant": 403, "other_migrant": 403}


def _balanced(dossier):
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=1_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=200_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=800_000)
    return dossier


def _submit(dossier, users):
    _balanced(dossier)
    services.dossier_transition(dossier=dossier, actor=users["migrant"], to_status=DossierStatus.SUBMITTED)
    dossier.refresh_from_db()
    return dossier


# --- Access matrix of every view --------------------------------------------------------


def test_the_dossier_list_answers_migrants_and_staff(client, users):
    expected = {role: 200 for role in ROLES} | {"anonymous": LOGIN, "authority": 403, "partner": 403}
    assert_access_matrix(client, reverse("projects:list"), expected, users)


def test_the_review_queue_is_for_staff(client, users):
    assert_access_matrix(client, reverse("projects:queue"), staff_only(), users)


def test_only_migrants_open_a_new_dossier(client, users, promoter):
    expected = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "migrant": 200, "other_migrant": 200}
    assert_access_matrix(client, reverse("projects:create"), expected, users)


@pytest.mark.parametrize("url_name", ["projects:detail", "projects:print", "projects:funding"])
def test_dossier_pages_answer_404_outside_the_scope(client, users, dossier, url_name):
    assert_access_matrix(client, reverse(url_name, args=[dossier.pk]), OBJECT_MATRIX, users)


@pytest.mark.parametrize("step", ["idea", "market", "team", "budget", "documents"])
def test_every_step_of_the_form_answers_404_outside_the_scope(client, users, dossier, step):
    assert_access_matrix(client, reverse("projects:step", args=[dossier.pk, step]), OBJECT_MATRIX, users)


def test_a_document_of_another_migrants_dossier_answers_404(client, users, dossier):
    document = services.document_upload(
        dossier=dossier, actor=users["migrant"], document_type=DocumentType.objects.get(code="ID"),
        uploaded_file=SimpleUploadedFile("cni.pdf", PDF_BYTES),
    )

    assert_access_matrix(client, reverse("projects:document", args=[document.pk]), OBJECT_MATRIX, users)


def test_budget_and_financing_lines_are_added_only_in_scope(client, users, dossier):
    budget = {"budget-category": "investment", "budget-label": "Grillage", "budget-quantity": 2, "budget-unit_cost": 10_000}
    financing = {"financing-source": "own", "financing-amount": 20_000}

    assert_access_matrix(client, reverse("projects:budget_line_add", args=[dossier.pk]), POST_MATRIX, users, method="post", data=budget)
    assert_access_matrix(
        client,
        reverse("projects:financing_line_add", args=[dossier.pk]),
        POST_MATRIX,
        users,
        method="post",
        data=financing,
    )
    assert BudgetLine.objects.filter(dossier=dossier).count() == 4
    assert FinancingLine.objects.filter(dossier=dossier).count() == 4


def test_lines_are_removed_only_in_scope(client, users, promoter):
    # A dossier with the funder is locked for everyone: in scope means a redirect, and the lines stay.
    dossier = DossierFactory(
        promoter=promoter, status=DossierStatus.SENT_TO_FUNDER, submitted_at="2026-11-20T10:00:00Z"
    )
    line = BudgetLineFactory(dossier=dossier)
    financing = FinancingLineFactory(dossier=dossier)

    assert_access_matrix(
        client, reverse("projects:budget_line_delete", args=[dossier.pk, line.pk]), POST_MATRIX, users, method="post"
    )
    assert_access_matrix(
        client,
        reverse("projects:financing_line_delete", args=[dossier.pk, financing.pk]),
        POST_MATRIX,
        users,
        method="post",
    )
    assert BudgetLine.objects.filter(dossier=dossier).count() == 1
    assert FinancingLine.objects.filter(dossier=dossier).count() == 1


def test_the_migrant_removes_lines_of_their_draft(client, users, dossier):
    line = BudgetLineFactory(dossier=dossier)
    financing = FinancingLineFactory(dossier=dossier)
    client.force_login(users["migrant"])

    client.post(reverse("projects:budget_line_delete", args=[dossier.pk, line.pk]))
    response = client.post(
        reverse("projects:financing_line_delete", args=[dossier.pk, financing.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200 and "Pas encore de ligne de financement." in response.content.decode()
    assert not BudgetLine.objects.filter(dossier=dossier).exists()
    assert not FinancingLine.objects.filter(dossier=dossier).exists()


class RewindingFile(SimpleUploadedFile):
    """A file the test client can send once per role of the matrix."""

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def test_uploads_are_accepted_only_in_scope(client, users, dossier):
    data = {"document_type": DocumentType.objects.get(code="ID").pk, "file": RewindingFile("cni.pdf", PDF_BYTES)}

    assert_access_matrix(
        client, reverse("projects:document_upload", args=[dossier.pk]), POST_MATRIX, users, method="post", data=data
    )
    assert DossierDocument.objects.filter(dossier=dossier).count() == 4
    assert DossierDocument.objects.filter(dossier=dossier, is_current=True).get().version == 4


def test_moves_are_posted_only_in_scope(client, users, dossier):
    _balanced(dossier)

    assert_access_matrix(
        client,
        reverse("projects:transition", args=[dossier.pk]),
        POST_MATRIX,
        users,
        method="post",
        data={"to_status": DossierStatus.SUBMITTED, "comment": ""},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_comments_and_reassignment_are_for_the_office_staff(client, users, dossier):
    assert_access_matrix(
        client,
        reverse("projects:comment_add", args=[dossier.pk]),
        STAFF_POST_MATRIX,
        users,
        method="post",
        data={"section": "market", "body": "Précisez les prix."},
    )
    assert_access_matrix(
        client,
        reverse("projects:assign", args=[dossier.pk]),
        STAFF_POST_MATRIX,
        users,
        method="post",
        data={"advisor": users["advisor"].pk},
    )
    dossier.refresh_from_db()
    assert ReviewComment.objects.filter(dossier=dossier, section="market").count() == 3
    assert dossier.advisor == users["advisor"]


# --- Lists and queue: constant queries --------------------------------------------------


def _dossiers_for(office, *, advisor):
    def make_rows(count):
        for _ in range(count):
            dossier = DossierFactory(promoter=MigrantFactory(office=office), advisor=advisor)
            BudgetLineFactory(dossier=dossier)
            FinancingLineFactory(dossier=dossier)
            ReviewCommentFactory(dossier=dossier)

    return make_rows


def test_the_dossier_list_keeps_its_query_count(client, users, office):
    client.force_login(users["advisor"])

    response = assert_constant_queries(
        client, reverse("projects:list"), make_rows=_dossiers_for(office, advisor=users["advisor"])
    )

    assert response.content.decode().count('data-testid="dossier-status"') == 20


def test_the_filtered_dossier_list_keeps_its_query_count(client, users, office):
    client.force_login(users["admin"])

    assert_constant_queries(
        client,
        reverse("projects:list"),
        make_rows=_dossiers_for(office, advisor=users["advisor"]),
        data={"status": "draft", "kind": "individual", "advisor": users["advisor"].pk, "readiness": "low"},
    )


def test_the_migrants_list_keeps_its_query_count(client, users, promoter):
    client.force_login(users["migrant"])

    def make_rows(count):
        for _ in range(count):
            DossierFactory(promoter=promoter)

    response = assert_constant_queries(client, reverse("projects:list"), make_rows=make_rows)

    assert response.content.decode().count('data-testid="dossier-status"') == 20


def test_the_review_queue_keeps_its_query_count_and_puts_the_oldest_first(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            DossierFactory(
                promoter=MigrantFactory(office=office),
                status=DossierStatus.SUBMITTED,
                submitted_at="2026-11-20T10:00:00Z",
                advisor=users["advisor"],
            )

    oldest = DossierFactory(
        promoter=MigrantFactory(office=office),
        status=DossierStatus.IN_REVIEW,
        submitted_at="2026-10-01T10:00:00Z",
        title="Le plus ancien",
    )
    response = assert_constant_queries(client, reverse("projects:queue"), make_rows=make_rows)

    text = response.content.decode()
    another = ProjectDossier.objects.exclude(pk=oldest.pk).first()
    assert text.index(oldest.reference) < text.index(another.reference)
    assert text.count('data-testid="days-waiting"') == 21


def test_the_queue_shows_only_submitted_and_in_review_dossiers_of_the_office(client, users, office, other_office):
    waiting = DossierFactory(
        promoter=MigrantFactory(office=office), status=DossierStatus.SUBMITTED, submitted_at="2026-11-20T10:00:00Z"
    )
    draft = DossierFactory(promoter=MigrantFactory(office=office))
    elsewhere = DossierFactory(
        promoter=MigrantFactory(office=other_office),
        status=DossierStatus.SUBMITTED,
        submitted_at="2026-11-20T10:00:00Z",
    )
    client.force_login(users["advisor"])

    text = client.get(reverse("projects:queue")).content.decode()

    assert waiting.reference in text
    assert draft.reference not in text and elsewhere.reference not in text


def test_the_list_filters_by_status_and_readiness(client, users, office):
    ready = DossierFactory(
        promoter=MigrantFactory(office=office),
        status=DossierStatus.READY,
        submitted_at="2026-11-20T10:00:00Z",
        readiness=100,
    )
    draft = DossierFactory(promoter=MigrantFactory(office=office), readiness=20)
    client.force_login(users["advisor"])

    by_status = client.get(reverse("projects:list"), {"status": "ready"}).content.decode()
    by_readiness = client.get(reverse("projects:list"), {"readiness": "low"}).content.decode()

    assert ready.reference in by_status and draft.reference not in by_status
    assert draft.reference in by_readiness and ready.reference not in by_readiness


# --- The migrant's guided form ------------------------------------------------------------


def test_a_migrant_creates_a_draft_and_goes_through_the_steps(client, users, promoter):
    client.force_login(users["migrant"])

    response = client.post(
        reverse("projects:create"),
        {"title": "Atelier de couture", "summary": "Coudre des uniformes.", "kind": "individual", "stage": "idea"},
    )

    dossier = ProjectDossier.objects.get(promoter=promoter)
    assert response["Location"] == reverse("projects:step", args=[dossier.pk, "market"])
    response = client.post(
        reverse("projects:step", args=[dossier.pk, "market"]),
        {"market": "Les écoles de Sédhiou", "expected_start": "2027-01-15"},
    )
    assert response["Location"] == reverse("projects:step", args=[dossier.pk, "team"])
    response = client.post(
        reverse("projects:step", args=[dossier.pk, "team"]),
        {"team": "Moi et ma sœur", "jobs_women": 2, "jobs_men": 0, "jobs_youth": 1},
    )
    dossier.refresh_from_db()
    assert (dossier.market, dossier.jobs_women, dossier.status) == ("Les écoles de Sédhiou", 2, DossierStatus.DRAFT)
    page = client.get(reverse("projects:step", args=[dossier.pk, "budget"])).content.decode()
    assert f'data-progress="{dossier.readiness}"' in page


def test_a_wrong_step_keeps_what_was_typed_and_says_why(client, users, dossier):
    client.force_login(users["migrant"])

    response = client.post(
        reverse("projects:step", args=[dossier.pk, "team"]),
        {"team": "Nous trois", "jobs_women": 1, "jobs_men": 1, "jobs_youth": 5},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Nous trois" in text
    assert "Les emplois de jeunes font partie" in text


def test_an_unknown_step_answers_404(client, users, dossier):
    client.force_login(users["migrant"])

    assert client.get(reverse("projects:step", args=[dossier.pk, "nowhere"])).status_code == 404


def test_a_migrant_without_a_registration_is_told_what_to_do(client, users):
    client.force_login(users["other_migrant"])

    text = client.get(reverse("projects:create")).content.decode()

    assert "pas encore enregistrée" in text


def test_budget_lines_are_added_with_htmx_and_the_balance_is_shown(client, users, dossier):
    client.force_login(users["migrant"])
    url = reverse("projects:budget_line_add", args=[dossier.pk])

    response = client.post(
        url,
        {
            "budget-category": "investment",
            "budget-label": "Machine à coudre",
            "budget-quantity": 2,
            "budget-unit_cost": 150_000,
        },
        HTTP_HX_REQUEST="true",
    )
    client.post(
        reverse("projects:financing_line_add", args=[dossier.pk]),
        {"financing-source": "own", "financing-amount": 300_000},
        HTTP_HX_REQUEST="true",
    )
    balanced = client.get(reverse("projects:step", args=[dossier.pk, "budget"])).content.decode()

    assert "<html" not in response.content.decode()
    assert "Machine à coudre" in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()
    assert "Le plan de financement équilibre le budget." in balanced


def test_a_wrong_budget_line_keeps_what_was_typed(client, users, dossier):
    client.force_login(users["migrant"])

    htmx = client.post(
        reverse("projects:budget_line_add", args=[dossier.pk]),
        {"budget-label": "Four", "budget-quantity": 0},
        HTTP_HX_REQUEST="true",
    )
    plain = client.post(
        reverse("projects:financing_line_add", args=[dossier.pk]), {"financing-source": "own", "financing-amount": 0}
    )

    assert htmx.status_code == 200 and 'value="Four"' in htmx.content.decode()
    assert plain.status_code == 200 and "supérieur" in plain.content.decode()
    assert not BudgetLine.objects.exists()


def test_a_submitted_dossier_is_read_only_for_the_migrant(client, users, dossier):
    _submit(dossier, users)
    client.force_login(users["migrant"])

    step = client.get(reverse("projects:step", args=[dossier.pk, "idea"]))
    add = client.post(
        reverse("projects:budget_line_add", args=[dossier.pk]),
        {"budget-category": "investment", "budget-label": "Four", "budget-quantity": 1, "budget-unit_cost": 1},
    )
    detail = client.get(reverse("projects:detail", args=[dossier.pk])).content.decode()

    assert step["Location"] == dossier.get_absolute_url()
    assert add["Location"] == dossier.get_absolute_url()
    assert BudgetLine.objects.filter(dossier=dossier).count() == 1
    assert reverse("projects:step", args=[dossier.pk, "idea"]) not in detail


# --- Uploads: the done-means ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cni.pdf", EXECUTABLE_BYTES, "n’est pas un PDF"),
        ("cni.pdf", b"%PDF-1.4" + b"0" * (25 * 1024 * 1024), "trop volumineux"),
        ("cni.pdf", b"", "Le fichier est vide"),
    ],
    ids=["executable-renamed-pdf", "25-megabytes", "empty"],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, users, dossier, _media_in_tmp, name, content, message
):
    client.force_login(users["migrant"])

    response = client.post(
        reverse("projects:document_upload", args=[dossier.pk]),
        {"document_type": DocumentType.objects.get(code="ID").pk, "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DossierDocument.objects.exists()
    assert not _media_in_tmp.exists() or not any(path.is_file() for path in _media_in_tmp.rglob("*"))


def test_a_good_upload_is_stored_under_a_random_name_and_served_as_an_attachment(client, users, dossier, _media_in_tmp):
    client.force_login(users["migrant"])

    client.post(
        reverse("projects:document_upload", args=[dossier.pk]),
        {
            "document_type": DocumentType.objects.get(code="ID").pk,
            "file": SimpleUploadedFile("ma carte.pdf", PDF_BYTES),
        },
    )
    document = DossierDocument.objects.get()
    response = client.get(reverse("projects:document", args=[document.pk]))

    stored = [path for path in _media_in_tmp.rglob("*") if path.is_file()]
    assert len(stored) == 1 and "carte" not in stored[0].name
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_document_whose_file_is_gone_answers_404(client, users, dossier):
    document = services.document_upload(
        dossier=dossier,
        actor=users["migrant"],
        document_type=DocumentType.objects.get(code="ID"),
        uploaded_file=SimpleUploadedFile("cni.pdf", PDF_BYTES),
    )
    document.file.storage.delete(document.file.name)
    client.force_login(users["migrant"])

    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 404


# --- Review ------------------------------------------------------------------------------


def test_a_migrant_cannot_mark_their_own_dossier_ready_even_by_posting(client, users, dossier):
    _submit(dossier, users)
    client.force_login(users["migrant"])

    response = client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": "ready"}, follow=True)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert "Vous ne pouvez pas faire passer ce dossier" in response.content.decode()


def test_the_advisor_asks_for_changes_with_a_comment_and_the_migrant_sees_it(
    client, users, dossier, django_capture_on_commit_callbacks
):
    _submit(dossier, users)
    client.force_login(users["advisor"])
    client.post(
        reverse("projects:comment_add", args=[dossier.pk]), {"section": "market", "body": "Quels sont vos prix ?"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("projects:transition", args=[dossier.pk]),
            {"to_status": "changes_requested", "comment": "Voir le marché."},
        )
    client.force_login(users["migrant"])
    step = client.get(reverse("projects:step", args=[dossier.pk, "market"])).content.decode()
    home = client.get(reverse("home")).content.decode()
    notifications = client.get(reverse("notifications:list")).content.decode()

    assert "Quels sont vos prix ?" in step
    assert 'data-testid="notification-count">1<' in home
    assert "est maintenant\u00a0: Modifications demandées" in notifications
    assert len(mail.outbox) == 1
    client.get(reverse("projects:detail", args=[dossier.pk]))
    assert 'data-testid="notification-count"' not in client.get(reverse("home")).content.decode()


def test_asking_for_changes_without_a_comment_is_refused_with_a_message(client, users, dossier):
    _submit(dossier, users)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("projects:transition", args=[dossier.pk]), {"to_status": "changes_requested"}, follow=True
    )

    assert "Dites ce qu’il faut modifier" in response.content.decode()


def test_the_review_page_shows_the_actions_the_user_may_take(client, users, dossier):
    _submit(dossier, users)
    client.force_login(users["advisor"])

    text = client.get(reverse("projects:detail", args=[dossier.pk])).content.decode()

    assert 'value="in_review"' in text and 'value="ready"' in text
    assert 'value="funded"' not in text and 'value="withdrawn"' not in text


def test_a_bad_transition_or_comment_form_is_refused_with_a_message(client, users, dossier):
    client.force_login(users["advisor"])

    transition = client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": "nonsense"}, follow=True)
    comment = client.post(
        reverse("projects:comment_add", args=[dossier.pk]), {"section": "market", "body": ""}, follow=True
    )
    assign = client.post(
        reverse("projects:assign", args=[dossier.pk]), {"advisor": users["other_office_advisor"].pk}, follow=True
    )

    assert "Choisissez une action." in transition.content.decode()
    assert "Écrivez un commentaire" in comment.content.decode()
    assert "Choisissez un conseiller du bureau." in assign.content.decode()


def test_the_printable_summary_shows_the_totals(client, users, dossier):
    _balanced(dossier)
    client.force_login(users["advisor"])

    text = client.get(reverse("projects:print", args=[dossier.pk])).content.decode()

    assert "1\u202f000\u202f000\u00a0FCFA" in text
    assert "800\u202f000\u00a0FCFA" in text  # amount sought: the grant
    assert "css/projects" in text


def test_another_advisor_of_the_office_can_be_assigned(client, users, dossier, office):
    colleague = UserFactory(role=Role.ADVISOR, office=office, first_name="Awa", last_name="Sonko")
    client.force_login(users["admin"])

    client.post(reverse("projects:assign", args=[dossier.pk]), {"advisor": colleague.pk})

    dossier.refresh_from_db()
    assert dossier.advisor == colleague


def test_the_navigation_shows_projects_to_migrants_and_the_queue_to_staff(client, users):
    client.force_login(users["migrant"])
    migrant_nav = client.get(reverse("home")).content.decode()
    client.force_login(users["advisor"])
    advisor_nav = client.get(reverse("home")).content.decode()

    assert "Mes projets" in migrant_nav and "File d’examen" not in migrant_nav
    assert "File d’examen" in advisor_nav and reverse("projects:queue") in advisor_nav


def test_lists_show_only_the_dossiers_in_scope(client, users, dossier, other_office):
    elsewhere = DossierFactory(promoter=MigrantFactory(office=other_office), title="Dossier de Kolda")
    pages = {}
    for role in ("advisor", "other_office_advisor", "migrant", "other_migrant", "superuser"):
        client.force_login(users[role])
        pages[role] = client.get(reverse("projects:list")).content.decode()

    assert dossier.reference in pages["advisor"] and elsewhere.reference not in pages["advisor"]
    assert (
        elsewhere.reference in pages["other_office_advisor"] and dossier.reference not in pages["other_office_advisor"]
    )
    assert dossier.title in pages["migrant"] and dossier.title not in pages["other_migrant"]
    assert dossier.reference in pages["superuser"] and elsewhere.reference in pages["superuser"]
