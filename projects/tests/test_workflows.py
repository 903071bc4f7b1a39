"""The state machines of ``projects/workflows.py``: who may make which move, read by services and pages."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hom.territories.models import Sector
from projects import workflows
from projects.funding.forms import FundingOpportunityAdminForm, FundingOpportunityForm
from projects.funding.models import ApplicationStatus, FundingOpportunity, FundingType
from projects.funding.services import funding_opportunity_create, funding_opportunity_update, funding_sectors_check
from projects.models import DossierStatus
from projects.selectors import allowed_transitions, transition_choices
from projects.tests.factories import DossierFactory

S = DossierStatus


def test_a_promoter_submits_or_withdraws_a_draft_and_staff_cannot_submit_it():
    assert workflows.dossier_moves(S.DRAFT, workflows.MIGRANT) == [S.SUBMITTED, S.WITHDRAWN]
    assert workflows.dossier_moves(S.DRAFT, workflows.ADVISOR) == []
    assert workflows.dossier_moves(S.DRAFT, None) == []


def test_only_admins_record_the_funders_decision():
    assert workflows.dossier_moves(S.SENT_TO_FUNDER, workflows.ADMIN) == [S.FUNDED, S.NOT_FUNDED]
    assert workflows.dossier_moves(S.SENT_TO_FUNDER, workflows.ADVISOR) == []
    assert not workflows.dossier_may_move(S.SENT_TO_FUNDER, S.FUNDED, workflows.MIGRANT)
    assert workflows.dossier_may_move(S.SENT_TO_FUNDER, S.FUNDED, workflows.ADMIN)


def test_every_move_has_a_button_label_and_closed_and_withdrawn_are_final():
    assert {to for _source, to in workflows.DOSSIER_MOVES} <= set(workflows.DOSSIER_ACTION_LABELS)
    for part in (workflows.MIGRANT, workflows.ADVISOR, workflows.ADMIN):
        assert workflows.dossier_moves(S.CLOSED, part) == []
        assert workflows.dossier_moves(S.WITHDRAWN, part) == []


def test_who_edits_in_which_status():
    assert workflows.dossier_editable(S.CHANGES_REQUESTED, workflows.MIGRANT)
    assert not workflows.dossier_editable(S.SUBMITTED, workflows.MIGRANT)
    assert workflows.dossier_editable(S.SUBMITTED, workflows.ADVISOR)
    assert not workflows.dossier_editable(S.SENT_TO_FUNDER, workflows.ADMIN)
    assert not workflows.dossier_editable(S.DRAFT, None)


def test_every_status_has_a_badge_colour():
    assert set(workflows.DOSSIER_STATUS_COLOURS) == set(S.values)


def test_application_moves_per_part():
    A = ApplicationStatus
    assert workflows.application_moves(A.PLANNED, workflows.MIGRANT) == [A.SUBMITTED]
    assert workflows.application_moves(A.SUBMITTED, workflows.MIGRANT) == []
    assert workflows.application_moves(A.SUBMITTED, workflows.ADVISOR) == [A.ACCEPTED, A.REFUSED]
    assert not workflows.application_may_move(A.ACCEPTED, A.DISBURSED, None)


@pytest.mark.django_db
def test_the_selectors_give_each_user_the_moves_of_their_part(users):
    dossier = DossierFactory(office=users["advisor"].office, status=S.IN_REVIEW, submitted_at="2026-01-05T10:00Z")

    assert allowed_transitions(dossier, users["advisor"]) == [S.CHANGES_REQUESTED, S.READY]
    assert allowed_transitions(dossier, users["other_office_advisor"]) == []
    assert [label for _status, label in transition_choices(dossier, users["advisor"])] == [
        workflows.DOSSIER_ACTION_LABELS[S.CHANGES_REQUESTED],
        workflows.DOSSIER_ACTION_LABELS[S.READY],
    ]


# --- The catalogue's rule on sectors, shared by the form, the admin and the services ---


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_the_sectors_rule_is_callable_without_a_form():
    poultry, fishing = Sector.objects.get(code="ELEV"), Sector.objects.exclude(code="ELEV").first()

    funding_sectors_check(eligible_sectors=[poultry], excluded_sectors=[fishing])
    funding_sectors_check(eligible_sectors=None, excluded_sectors=[poultry.pk])
    with pytest.raises(ValidationError) as raised:
        funding_sectors_check(eligible_sectors=[poultry], excluded_sectors=[poultry.pk])
    assert raised.value.message_dict == {"excluded_sectors": ["A sector cannot be both eligible and excluded."]}


@pytest.mark.django_db
def test_the_services_refuse_a_sector_both_eligible_and_excluded():
    poultry = Sector.objects.get(code="ELEV")
    loan = FundingType.objects.get(code="loan")

    with pytest.raises(ValidationError):
        funding_opportunity_create(
            name="X", funder_name="Y", types=[loan], eligible_sectors=[poultry], excluded_sectors=[poultry]
        )
    assert not FundingOpportunity.objects.filter(name="X").exists()

    opportunity = funding_opportunity_create(name="X", funder_name="Y", types=[loan], eligible_sectors=[poultry])
    with pytest.raises(ValidationError):
        funding_opportunity_update(opportunity=opportunity, excluded_sectors=[poultry])
    assert not opportunity.excluded_sectors.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [FundingOpportunityForm, FundingOpportunityAdminForm])
def test_the_app_and_admin_forms_put_the_rule_on_the_excluded_sectors_field(form_class, rf, users):
    poultry = Sector.objects.get(code="ELEV").pk
    data = {
        "name": "X", "funder_name": "Y", "types": [FundingType.objects.get(code="loan").pk], "status": "open",
        "currency": "XOF", "eligible_sectors": [poultry], "excluded_sectors": [poultry],
    }
    if form_class is FundingOpportunityAdminForm:
        from django.contrib.admin.sites import site

        request = rf.get("/admin/")
        request.user = users["superuser"]
        form_class = site._registry[FundingOpportunity].get_form(request)
    form = form_class(data)

    assert not form.is_valid()
    assert form.errors["excluded_sectors"] == ["A sector cannot be both eligible and excluded."]
