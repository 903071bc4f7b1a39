"""Clumsy hands on dossiers and funding: amounts, dates, "ready" without papers (issue 14)."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from projects import services
from projects.funding.models import ApplicationStatus
from projects.funding.services import funding_application_move
from projects.models import BudgetLine, DossierStatus, FinancingLine
from projects.selectors import dossier_totals, required_document_types
from projects.tests.factories import PDF_BYTES, BudgetLineFactory, FinancingLineFactory
from projects.tests.funding_factories import FundingApplicationFactory


def _add_line(client, dossier, unit_cost, quantity="1"):
    return client.post(
        reverse("projects:budget_line_add", args=[dossier.pk]),
        {"budget-category": "investment", "budget-label": "Grillage", "budget-quantity": quantity,
         "budget-unit_cost": unit_cost},
    )


@pytest.mark.parametrize("typed", ["75.000", "75 000", "75\u202f000", "75000"])
def test_a_unit_cost_typed_the_senegalese_way_is_75_000(client, users, dossier, typed):
    client.force_login(users["migrant"])

    _add_line(client, dossier, typed)

    assert BudgetLine.objects.get(dossier=dossier).unit_cost == 75_000


@pytest.mark.parametrize("typed", ["75,5", "7.50", "75.00.0", "soixante-quinze"])
def test_an_ambiguous_unit_cost_is_refused_on_its_field(client, users, dossier, typed):
    client.force_login(users["migrant"])

    response = _add_line(client, dossier, typed)

    assert response.status_code == 200
    assert "unit_cost" in response.context["budget_form"].errors
    assert not BudgetLine.objects.filter(dossier=dossier).exists()


def test_the_bigint_gets_a_message_not_a_500(client, users, dossier):
    client.force_login(users["migrant"])

    response = _add_line(client, dossier, "9223372036854775807")

    assert response.status_code == 200
    assert "1 000 000 000 000 FCFA" in response.content.decode()
    assert not BudgetLine.objects.filter(dossier=dossier).exists()


def test_an_absurd_line_total_is_refused_by_the_service(users, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.budget_line_add(
            dossier=dossier, actor=users["migrant"], category="investment", label="x", quantity=1_000_000,
            unit_cost=10**9,
        )

    assert "unit_cost" in refusal.value.error_dict


def test_an_absurd_quantity_is_refused_on_its_field(client, users, dossier):
    client.force_login(users["migrant"])

    response = _add_line(client, dossier, "1000", quantity="99999999999")

    assert "quantity" in response.context["budget_form"].errors


def test_totals_of_bounded_lines_cannot_overflow(users, dossier):
    for _index in range(3):
        services.budget_line_add(
            dossier=dossier, actor=users["migrant"], category="investment", label="x", quantity=1, unit_cost=10**12
        )

    assert dossier_totals(dossier)["budget_total"] == 3 * 10**12


def test_a_financing_amount_above_the_ceiling_is_refused_by_the_service(users, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.financing_line_add(dossier=dossier, actor=users["migrant"], source="own", amount=10**13)

    assert "amount" in refusal.value.error_dict
    assert not FinancingLine.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize("years", [-11, 11])
def test_a_project_starting_more_than_ten_years_away_is_refused_on_its_field(client, users, dossier, years):
    client.force_login(users["migrant"])
    start = timezone.localdate().replace(day=1) + timedelta(days=365 * years + 3 * (1 if years > 0 else -1))

    response = client.post(reverse("projects:step", args=[dossier.pk, "market"]), {"market": "x", "expected_start": start})

    assert response.status_code == 200
    assert "expected_start" in response.context["form"].errors


def test_a_project_starting_in_1999_is_refused_by_the_service(users, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.dossier_update(dossier=dossier, actor=users["migrant"], expected_start=date(1999, 6, 1))

    assert "expected_start" in refusal.value.error_dict


def test_an_application_decided_before_it_was_filed_is_refused(users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    today = timezone.localdate()
    funding_application_move(
        application=application, actor=users["advisor"], to_status=ApplicationStatus.SUBMITTED, on=today - timedelta(days=10)
    )

    with pytest.raises(ValidationError) as refusal:
        funding_application_move(
            application=application, actor=users["admin"], to_status=ApplicationStatus.ACCEPTED,
            on=today - timedelta(days=20), amount=500_000,
        )

    assert "decided_on" in refusal.value.error_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_application_filed_in_the_future_is_refused_with_a_message(client, users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("projects:application_move", args=[application.pk]),
        {"to_status": "submitted", "on": (timezone.localdate() + timedelta(days=40)).isoformat()}, follow=True,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.PLANNED
    assert "Cette date est dans le futur." in response.content.decode()


def _submitted_and_balanced(dossier, users):
    BudgetLineFactory(dossier=dossier, quantity=1, unit_cost=1_000_000)
    FinancingLineFactory(dossier=dossier, source="own", amount=200_000)
    FinancingLineFactory(dossier=dossier, source="grant", amount=800_000)
    services.dossier_transition(dossier=dossier, actor=users["migrant"], to_status=DossierStatus.SUBMITTED)


def test_ready_without_the_required_documents_is_refused_with_the_missing_list(client, users, dossier):
    _submitted_and_balanced(dossier, users)
    client.force_login(users["advisor"])

    response = client.post(reverse("projects:transition", args=[dossier.pk]), {"to_status": "ready"}, follow=True)

    dossier.refresh_from_db()
    text = response.content.decode()
    assert dossier.status == DossierStatus.SUBMITTED
    assert "Des documents obligatoires manquent" in text
    for document_type in required_document_types(dossier):
        assert escape(document_type.label) in text


def test_ready_with_every_required_document_is_accepted(users, dossier):
    _submitted_and_balanced(dossier, users)
    for document_type in required_document_types(dossier):
        services.document_upload(
            dossier=dossier, actor=users["migrant"], document_type=document_type,
            uploaded_file=SimpleUploadedFile("piece.pdf", PDF_BYTES),
        )

    services.dossier_transition(dossier=dossier, actor=users["advisor"], to_status=DossierStatus.READY)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY
