"""Writes of conventions: status moves and their history, parties, budget rules, the reporting schedule."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from partnerships.conventions import selectors, services
from partnerships.conventions.models import ContributionKind, ConventionStatus, PartyRole, Periodicity, ReportItemStatus
from partnerships.tests.convention_factories import (
    ContributionFactory,
    ConventionBudgetLineFactory,
    ConventionFactory,
    ConventionPartyFactory,
    ReportItemFactory,
)
from partnerships.tests.factories import OrganisationFactory
from projects.demo import demo_pdf
from projects.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(office):
    return UserFactory(role=Role.ADMIN, office=office)


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, demo_pdf("Rapport"), content_type="application/pdf")


def test_a_new_convention_starts_in_draft_with_its_links(office, admin):
    dossier = DossierFactory(promoter__office=office)

    convention = services.convention_create(
        office=office, created_by=admin, title="Convention Grdr", objectives="30 projets financés en 2027.",
        dossiers=[dossier],
    )

    assert convention.status == ConventionStatus.DRAFT
    assert list(convention.dossiers.all()) == [dossier]


def test_a_dossier_of_another_office_cannot_be_linked(office, other_office, admin):
    foreign_dossier = DossierFactory(promoter__office=other_office)

    with pytest.raises(ValidationError) as error:
        services.convention_create(
            office=office, created_by=admin, title="Convention", objectives="Objectifs.", dossiers=[foreign_dossier]
        )

    assert "dossiers" in error.value.message_dict


def test_an_allowed_move_changes_the_status_and_is_kept_in_history(admin):
    convention = ConventionFactory(office=admin.office, status=ConventionStatus.DRAFT)

    convention = services.convention_move(
        convention=convention, to_status=ConventionStatus.NEGOTIATION, actor=admin, comment="Projet envoyé."
    )
    convention = services.convention_move(convention=convention, to_status=ConventionStatus.SIGNED, actor=admin)

    assert convention.status == ConventionStatus.SIGNED
    assert [(t.from_status, t.to_status, t.actor) for t in convention.transitions.all()] == [
        ("draft", "negotiation", admin), ("negotiation", "signed", admin),
    ]
    assert convention.transitions.first().comment == "Projet envoyé."
    assert list(convention.history.values_list("status", flat=True)[:2]) == ["signed", "negotiation"]


def test_a_forbidden_move_is_refused_with_a_clear_message_and_nothing_changes(admin):
    convention = ConventionFactory(office=admin.office, status=ConventionStatus.DRAFT)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.convention_move(convention=convention, to_status=ConventionStatus.ACTIVE, actor=admin)

    assert error.value.messages == [
        "A convention cannot go from “Draft” to “Active”. Allowed: In negotiation, Closed."
    ]
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT
    assert not convention.transitions.exists()


def test_a_closed_convention_moves_no_more(admin):
    convention = ConventionFactory(office=admin.office, status=ConventionStatus.CLOSED)

    with pytest.raises(ValidationError):
        services.convention_move(convention=convention, to_status=ConventionStatus.ACTIVE, actor=admin)


def test_an_organisation_is_added_once_to_a_convention():
    convention = ConventionFactory()
    grdr = OrganisationFactory(name="Grdr")
    services.party_add(convention=convention, organisation=grdr, role=PartyRole.TECHNICAL, responsibilities="Former.")

    with pytest.raises(ValidationError):
        services.party_add(convention=convention, organisation=grdr, role=PartyRole.CO_FUNDER, responsibilities="Payer.")


def test_a_party_with_contributions_cannot_be_removed_but_one_without_can():
    contribution = ContributionFactory()
    idle_party = ConventionPartyFactory(convention=contribution.budget_line.convention)

    with pytest.raises(ValidationError):
        services.party_remove(party=contribution.party)
    services.party_remove(party=idle_party)

    assert list(contribution.budget_line.convention.parties.all()) == [contribution.party]


def test_a_contribution_must_come_from_a_party_of_the_same_convention():
    line = ConventionBudgetLineFactory()
    outsider = ConventionPartyFactory()  # party to another convention

    with pytest.raises(ValidationError) as error:
        services.contribution_add(budget_line=line, party=outsider, kind=ContributionKind.CASH, committed=100_000)

    assert "party" in error.value.message_dict
    assert not line.contributions.exists()


def test_a_payment_is_recorded_but_never_above_the_commitment():
    contribution = ContributionFactory(committed=500_000)

    services.contribution_record_payment(contribution=contribution, paid=200_000,
                                         recorded_on=datetime.date(2026, 11, 2))
    with pytest.raises(ValidationError):
        services.contribution_record_payment(contribution=contribution, paid=600_000)

    contribution.refresh_from_db()
    assert (contribution.paid, contribution.paid_recorded_on) == (200_000, datetime.date(2026, 11, 2))
    assert contribution.history.count() == 2


def test_the_budget_totals_per_party_per_line_and_overall_are_computed_in_sql(django_assert_max_num_queries):
    convention = ConventionFactory()
    ard, grdr = ConventionPartyFactory(convention=convention), ConventionPartyFactory(convention=convention)
    training = ConventionBudgetLineFactory(convention=convention, amount=3_000_000)
    forum = ConventionBudgetLineFactory(convention=convention, amount=2_000_000)
    ContributionFactory(budget_line=training, party=ard, committed=1_000_000, paid=1_000_000)
    ContributionFactory(budget_line=training, party=grdr, committed=1_500_000, kind=ContributionKind.IN_KIND)
    ContributionFactory(budget_line=forum, party=grdr, committed=2_000_000, paid=500_000)

    with django_assert_max_num_queries(5):
        budget = selectors.convention_budget(convention)

    assert [(party.committed, party.paid, party.cash, party.in_kind) for party in budget.parties] == [
        (1_000_000, 1_000_000, 1_000_000, 0), (3_500_000, 500_000, 2_000_000, 1_500_000),
    ]
    assert [(line.committed, cells) for line, cells in budget.rows] == [
        (2_500_000, [1_000_000, 1_500_000]), (2_000_000, [0, 2_000_000]),
    ]
    assert (budget.total_amount, budget.total_committed, budget.total_paid, budget.uncovered) == (
        5_000_000, 4_500_000, 1_500_000, 500_000,
    )


def test_a_quarterly_schedule_keeps_month_ends_and_stops_at_the_convention_end():
    convention = ConventionFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    party = ConventionPartyFactory(convention=convention)

    obligation = services.obligation_add(
        convention=convention, party=party, title="Rapport trimestriel", periodicity=Periodicity.QUARTERLY,
        first_due_on=datetime.date(2026, 3, 31),
    )

    assert obligation.last_due_on == datetime.date(2026, 12, 31)
    assert list(obligation.items.values_list("due_on", flat=True)) == [
        datetime.date(2026, 3, 31), datetime.date(2026, 6, 30), datetime.date(2026, 9, 30), datetime.date(2026, 12, 31),
    ]


def test_unfolding_a_schedule_again_adds_nothing():
    convention = ConventionFactory()
    obligation = services.obligation_add(
        convention=convention, party=ConventionPartyFactory(convention=convention), title="Rapport mensuel",
        periodicity=Periodicity.MONTHLY, first_due_on=datetime.date(2026, 1, 15),
    )

    assert services.report_items_unfold(obligation=obligation) == 0
    assert obligation.items.count() == 24


def test_a_report_owed_by_a_party_of_another_convention_is_refused():
    convention = ConventionFactory()

    with pytest.raises(ValidationError):
        services.obligation_add(
            convention=convention, party=ConventionPartyFactory(), title="Rapport", periodicity=Periodicity.ONCE,
            first_due_on=datetime.date(2026, 6, 30),
        )


def test_a_report_is_submitted_then_sent_back_then_approved_each_step_in_history(admin):
    item = ReportItemFactory(convention__office=admin.office)
    partner = UserFactory(role=Role.PARTNER)

    item = services.report_submit(item=item, uploaded=_pdf(), actor=partner)
    assert (item.status, item.original_name, item.content_type, item.submitted_by) == (
        ReportItemStatus.SUBMITTED, "rapport.pdf", "application/pdf", partner,
    )
    assert item.file.read().startswith(b"%PDF")
    item = services.report_send_back(item=item, actor=admin, comment="Il manque l'état financier.")
    assert (item.status, item.comment) == (ReportItemStatus.DUE, "Il manque l'état financier.")
    item = services.report_submit(item=item, uploaded=_pdf("rapport-v2.pdf"), actor=partner)
    item = services.report_accept(item=item, actor=admin)

    assert (item.status, item.accepted_by) == (ReportItemStatus.ACCEPTED, admin)
    assert list(item.history.order_by("history_id").values_list("status", flat=True)) == [
        "due", "submitted", "due", "submitted", "accepted",
    ]


def test_a_report_that_is_not_a_document_is_refused():
    item = ReportItemFactory()

    with pytest.raises(ValidationError) as error:
        services.report_submit(item=item, uploaded=SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf"), actor=None)

    assert "file" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == ReportItemStatus.DUE


def test_only_a_submitted_report_is_approved_and_a_send_back_needs_a_comment(admin):
    item = ReportItemFactory()

    with pytest.raises(ValidationError):
        services.report_accept(item=item, actor=admin)
    item = services.report_submit(item=item, uploaded=_pdf(), actor=admin)
    with pytest.raises(ValidationError):
        services.report_send_back(item=item, actor=admin, comment="  ")
