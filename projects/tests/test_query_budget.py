"""The dossier page costs at most ten queries, as many at 2 as at 20 rows of everything it lists
(issue 18; docs/architecture.md, "Query budget"): budget and financing lines, documents, comments,
history, applications and funding programmes, for the advisor and for the promoter."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.territories.models import Commune, Sector
from hom.testing.queries import assert_constant_queries, count_queries
from projects import services
from projects.models import DocumentType, DossierSection, DossierStatus, DossierTransition
from projects.services import transition_key
from projects.tests.factories import (
    PDF_BYTES,
    BudgetLineFactory,
    DossierFactory,
    FinancingLineFactory,
    ReviewCommentFactory,
)
from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory

QUERY_BUDGET = 10


def _dossier(promoter):
    return DossierFactory(
        promoter=promoter,
        title="Exploitation maraîchère à Sédhiou",
        sector=Sector.objects.get(code="AGRI"),
        commune=Commune.objects.get(code="SN1103_SEDHIOU"),
    )


def _rows_of(dossier, users):
    """``make_rows(n)``: n more of every kind of row the dossier page lists."""
    document_types = list(DocumentType.objects.order_by("position", "code"))
    sections = [section.value for section in DossierSection]
    moves = [(DossierStatus.DRAFT, DossierStatus.SUBMITTED), (DossierStatus.SUBMITTED, DossierStatus.DRAFT)]

    def make_rows(count):
        for index in range(count):
            BudgetLineFactory(dossier=dossier)
            FinancingLineFactory(dossier=dossier)
            ReviewCommentFactory(dossier=dossier, section=sections[index % len(sections)], author=users["advisor"])
            from_status, to_status = moves[index % 2]
            move = DossierTransition.objects.create(
                dossier=dossier, from_status=from_status, to_status=to_status, actor=users["advisor"]
            )
            Notification.objects.create(
                recipient=users["migrant"], kind=DOSSIER_MOVED, title="Votre dossier a bougé",
                object_key=transition_key(move.pk),
            )
            services.document_upload(
                dossier=dossier, actor=users["migrant"], document_type=document_types[index % len(document_types)],
                uploaded_file=SimpleUploadedFile(f"piece-{index}.pdf", PDF_BYTES, content_type="application/pdf"),
            )
            FundingApplicationFactory(dossier=dossier)
            FundingOpportunityFactory(
                eligible_sectors=[Sector.objects.get(code="AGRI")],
                eligible_communes=[Commune.objects.get(code="SN1103_SEDHIOU")],
            )

    return make_rows


def _assert_within_budget(client, url, make_rows):
    response = assert_constant_queries(client, url, make_rows=make_rows)
    queries, _response = count_queries(client, url)
    assert queries <= QUERY_BUDGET, f"{url}: {queries} queries (budget {QUERY_BUDGET})"
    return response


def test_the_advisors_dossier_page_stays_within_ten_queries_at_2_and_20_rows(client, users, promoter):
    dossier = _dossier(promoter)
    client.force_login(users["advisor"])

    response = _assert_within_budget(client, reverse("projects:detail", args=[dossier.pk]), _rows_of(dossier, users))

    text = response.content.decode()
    assert len(response.context["budget_lines"]) == len(response.context["financing_lines"]) == 20
    assert len(response.context["documents"]) == len(response.context["transitions"]) == 20
    assert sum(len(comments) for _value, _label, comments in response.context["sections"]) == 20
    assert text.count('data-testid="application"') == 20
    assert len(response.context["matches"]) == 3
    assert 'data-testid="assign-form"' in text
    assert f'<option value="{users["advisor"].pk}" selected>' not in text  # the dossier has no advisor yet
    assert f'<option value="{users["advisor"].pk}">' in text


def test_the_promoters_dossier_page_stays_within_ten_queries_and_marks_the_moves_read(client, users, promoter):
    dossier = _dossier(promoter)
    client.force_login(users["migrant"])

    response = _assert_within_budget(client, reverse("projects:detail", args=[dossier.pk]), _rows_of(dossier, users))

    assert len(response.context["transitions"]) == 20
    assert response.context["assign_form"] is None
    assert not Notification.objects.filter(recipient=users["migrant"], read_at__isnull=True).exists()
