"""Applications (a dossier × a programme): shortlisting, moves and who records them, scope, lists, totals."""
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hom.testing.access import LOGIN, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from projects.funding.models import ApplicationStatus, FundingApplication
from projects.funding.selectors import application_totals, applications_closing_soon
from projects.funding.services import (
    ApplicationMoveNotAllowed,
    funding_application_create,
    funding_application_move,
)
from projects.tests.factories import DossierFactory, FinancingLineFactory
from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory

POST_MATRIX = {
    "anonymous": LOGIN,
    "superuser": 302,
    "admin": 302,
    "advisor": 302,
    "other_office_advisor": 404,
    "migrant": 302,
    "other_migrant": 404,
    "authority": 403,
    "partner": 403,
}


# --- Access matrix -------------------------------------------------------------------------


def test_a_programme_is_shortlisted_only_within_the_dossiers_scope(client, users, dossier):
    opportunity = FundingOpportunityFactory()

    assert_access_matrix(
        client, reverse("projects:application_create", args=[dossier.pk]), POST_MATRIX, users,
        method="post", data={"opportunity": opportunity.pk},
    )

    assert FundingApplication.objects.filter(dossier=dossier, opportunity=opportunity).count() == 1


def test_an_application_is_moved_only_within_the_dossiers_scope(client, users, dossier):
    application = FundingApplicationFactory(dossier=dossier)

    assert_access_matrix(
        client, reverse("projects:application_move", args=[application.pk]), POST_MATRIX, users,
        method="post", data={"to_status": "submitted"},
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_office_list_of_applications_is_for_staff(client, users):
    assert_access_matrix(client, reverse("projects:applications"), staff_only(), users)


# --- Services: who records what ------------------------------------------------------------


def test_the_promoter_shortlists_a_programme_with_the_amount_their_plan_seeks(users, dossier):
    FinancingLineFactory(dossier=dossier, source="loan", amount=3_000_000)

    application = funding_application_create(
        dossier=dossier, opportunity=FundingOpportunityFactory(), actor=users["migrant"]
    )

    assert (application.status, application.amount_requested) == ("planned", 3_000_000)
    assert application.created_by == users["migrant"]


def test_a_programme_is_shortlisted_once_per_dossier(users, dossier):
    opportunity = FundingOpportunityFactory()
    funding_application_create(dossier=dossier, opportunity=opportunity, actor=users["advisor"])

    with pytest.raises(ValidationError, match="déjà"):
        funding_application_create(dossier=dossier, opportunity=opportunity, actor=users["advisor"])


def test_staff_of_another_office_cannot_shortlist(users, dossier):
    with pytest.raises(PermissionDenied):
        funding_application_create(
            dossier=dossier, opportunity=FundingOpportunityFactory(), actor=users["other_office_advisor"]
        )


def test_the_advisor_follows_an_application_to_its_disbursement(users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    advisor = users["advisor"]

    funding_application_move(
        application=application, actor=advisor, to_status="submitted", on=date(2026, 10, 1), amount=2_500_000
    )
    funding_application_move(
        application=application, actor=advisor, to_status="accepted", on=date(2026, 11, 2), amount=2_000_000
    )
    application = funding_application_move(
        application=application, actor=advisor, to_status="disbursed", on=date(2026, 11, 20), amount=1_500_000
    )

    assert application.status == "disbursed"
    assert (application.amount_requested, application.amount_granted, application.amount_disbursed) == (
        2_500_000, 2_000_000, 1_500_000,
    )
    assert (application.submitted_on, application.decided_on, application.disbursed_on) == (
        date(2026, 10, 1), date(2026, 11, 2), date(2026, 11, 20),
    )


def test_the_promoter_records_the_submission_but_not_the_funders_answer(users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    funding_application_move(application=application, actor=users["migrant"], to_status="submitted")

    with pytest.raises(ApplicationMoveNotAllowed):
        funding_application_move(application=application, actor=users["migrant"], to_status="accepted", amount=1)

    application.refresh_from_db()
    assert (application.status, application.submitted_on) == ("submitted", date.today())


def test_a_move_must_follow_the_order_of_the_steps(users, dossier):
    application = FundingApplicationFactory(dossier=dossier)

    with pytest.raises(ApplicationMoveNotAllowed):
        funding_application_move(application=application, actor=users["admin"], to_status="disbursed", amount=1)


def test_an_acceptance_needs_its_amount_and_a_disbursement_stays_within_it(users, dossier):
    application = FundingApplicationFactory(dossier=dossier, status="submitted", submitted_on=date(2026, 10, 1))
    with pytest.raises(ValidationError):
        funding_application_move(application=application, actor=users["advisor"], to_status="accepted")
    funding_application_move(application=application, actor=users["advisor"], to_status="accepted", amount=1_000_000)

    with pytest.raises(ValidationError):
        funding_application_move(
            application=application, actor=users["advisor"], to_status="disbursed", amount=1_200_000
        )

    application.refresh_from_db()
    assert application.status == "accepted"


# --- Scope, totals, deadlines --------------------------------------------------------------


def test_applications_are_seen_like_their_dossier(users, dossier, other_office):
    mine = FundingApplicationFactory(dossier=dossier)
    elsewhere = FundingApplicationFactory(dossier=DossierFactory(promoter=MigrantFactory(office=other_office)))

    assert list(FundingApplication.objects.visible_to(users["advisor"])) == [mine]
    assert list(FundingApplication.objects.visible_to(users["other_office_advisor"])) == [elsewhere]
    assert list(FundingApplication.objects.visible_to(users["migrant"])) == [mine]
    assert list(FundingApplication.objects.visible_to(users["other_migrant"])) == []
    assert list(FundingApplication.objects.visible_to(users["authority"])) == []


def test_the_totals_sum_what_was_granted_and_disbursed(dossier, django_assert_num_queries):
    FundingApplicationFactory(dossier=dossier, amount_requested=5_000_000)
    FundingApplicationFactory(
        dossier=dossier, status="accepted", submitted_on=date(2026, 9, 1), decided_on=date(2026, 10, 1),
        amount_requested=4_000_000, amount_granted=3_000_000,
    )
    FundingApplicationFactory(
        dossier=dossier, status="disbursed", submitted_on=date(2026, 9, 1), decided_on=date(2026, 10, 1),
        amount_requested=2_000_000, amount_granted=2_000_000, amount_disbursed=1_500_000,
        disbursed_on=date(2026, 11, 1),
    )
    FundingApplicationFactory(
        dossier=dossier, status="refused", submitted_on=date(2026, 9, 1), decided_on=date(2026, 10, 1),
        amount_requested=1_000_000,
    )

    with django_assert_num_queries(1):
        totals = application_totals(FundingApplication.objects.all())

    assert totals == {"count": 4, "requested": 12_000_000, "granted": 5_000_000, "disbursed": 1_500_000}


@time_machine.travel(date(2026, 11, 27), tick=False)
def test_the_reminders_find_shortlisted_applications_whose_programme_closes_within_14_days(dossier):
    today = date(2026, 11, 27)

    def application(days, status="planned"):
        opportunity = FundingOpportunityFactory(deadline=today + timedelta(days=days))
        submitted = {"submitted_on": today} if status != "planned" else {}
        if status in ("accepted",):
            submitted |= {"decided_on": today, "amount_granted": 1}
        return FundingApplicationFactory(dossier=dossier, opportunity=opportunity, status=status, **submitted)

    closing_today, submitted_in_14, planned_in_3 = application(0), application(14, "submitted"), application(3)
    application(15)
    application(-1)
    application(5, "accepted")
    FundingApplicationFactory(dossier=dossier, opportunity=FundingOpportunityFactory(is_rolling=True))

    assert list(applications_closing_soon()) == [closing_today, planned_in_3, submitted_in_14]


# --- Pages ---------------------------------------------------------------------------------


def test_the_office_list_shows_the_offices_applications_with_their_totals(client, users, dossier, other_office):
    FundingApplicationFactory(
        dossier=dossier, status="accepted", submitted_on=date(2026, 9, 1), decided_on=date(2026, 10, 1),
        amount_granted=3_000_000,
    )
    FundingApplicationFactory(
        dossier=DossierFactory(promoter=MigrantFactory(office=other_office), title="Ailleurs"), amount_granted=None,
    )
    client.force_login(users["advisor"])

    response = client.get(reverse("projects:applications"))

    text = response.content.decode()
    assert dossier.reference in text
    assert "Ailleurs" not in text
    assert response.context["totals"]["granted"] == 3_000_000
    assert "3\u202f000\u202f000\u00a0FCFA" in text


def test_the_office_list_filters_by_status_and_closing_programmes(client, users, dossier):
    soon = FundingApplicationFactory(
        dossier=dossier, opportunity=FundingOpportunityFactory(deadline=date.today() + timedelta(days=5))
    )
    FundingApplicationFactory(dossier=dossier, status="submitted", submitted_on=date.today())
    client.force_login(users["advisor"])

    by_status = client.get(reverse("projects:applications"), {"status": "submitted"})
    closing = client.get(reverse("projects:applications"), {"closing_soon": "on"})

    assert [application.status for application in by_status.context["page"]] == ["submitted"]
    assert list(closing.context["page"]) == [soon]


def test_the_office_list_keeps_its_query_count(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            FundingApplicationFactory(dossier=DossierFactory(promoter=MigrantFactory(office=office)))

    response = assert_constant_queries(client, reverse("projects:applications"), make_rows=make_rows)

    assert len(response.context["page"]) == 20


def test_the_dossier_page_lists_its_applications_at_constant_queries(client, users, dossier):
    client.force_login(users["advisor"])

    def make_rows(count):
        FundingApplicationFactory.create_batch(count, dossier=dossier)

    response = assert_constant_queries(client, reverse("projects:detail", args=[dossier.pk]), make_rows=make_rows)

    assert response.content.decode().count('data-testid="application"') == 20


def test_the_advisor_shortlists_from_the_dossier_page_and_records_the_submission(client, users, dossier):
    opportunity = FundingOpportunityFactory(name="Fonds de test à présélectionner")
    client.force_login(users["advisor"])

    created = client.post(reverse("projects:application_create", args=[dossier.pk]), {"opportunity": opportunity.pk})
    application = FundingApplication.objects.get(dossier=dossier, opportunity=opportunity)
    moved = client.post(
        reverse("projects:application_move", args=[application.pk]),
        {"to_status": "submitted", "on": "2026-11-20", "amount": "2500000", "notes": "Déposé au guichet."},
    )

    application.refresh_from_db()
    assert created.status_code == moved.status_code == 302
    assert moved["Location"].endswith("#applications")
    assert (application.status, application.submitted_on, application.amount_requested) == (
        "submitted", date(2026, 11, 20), 2_500_000,
    )
    page = client.get(reverse("projects:detail", args=[dossier.pk])).content.decode()
    assert 'data-status="submitted"' in page
    assert "Déposé au guichet." in page


def test_the_promoter_is_offered_only_the_submission(client, users, dossier):
    FundingApplicationFactory(dossier=dossier)
    client.force_login(users["migrant"])

    response = client.get(reverse("projects:detail", args=[dossier.pk]))

    [(application, form)] = response.context["applications"]
    assert [value for value, _label in form.fields["to_status"].choices] == ["submitted"]


def test_a_refused_move_says_why_and_changes_nothing(client, users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    client.force_login(users["migrant"])

    response = client.post(
        reverse("projects:application_move", args=[application.pk]), {"to_status": "accepted", "amount": "5"},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == "planned"
    assert "Vous ne pouvez pas" in response.content.decode()


def test_bad_input_on_a_move_gets_a_message_not_an_error(client, users, dossier):
    application = FundingApplicationFactory(dossier=dossier)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("projects:application_move", args=[application.pk]), {"to_status": "submitted", "amount": "beaucoup"},
        follow=True,
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert application.status == "planned"
    assert "nombre entier" in response.content.decode()


def test_staff_find_the_applications_in_the_menu_and_migrants_do_not(client, users):
    client.force_login(users["advisor"])
    advisor_nav = client.get(reverse("home")).content.decode()
    client.force_login(users["migrant"])
    migrant_nav = client.get(reverse("home")).content.decode()

    assert "Candidatures aux financements" in advisor_nav and reverse("projects:applications") in advisor_nav
    assert reverse("projects:applications") not in migrant_nav


def test_the_migrant_shortlists_a_programme_for_their_own_dossier_from_its_page(client, users, dossier):
    opportunity = FundingOpportunityFactory(name="Programme choisi par le porteur")
    client.force_login(users["migrant"])

    page = client.get(reverse("projects:detail", args=[dossier.pk])).content.decode()
    response = client.post(
        reverse("projects:application_create", args=[dossier.pk]), {"opportunity": opportunity.pk}, follow=True
    )

    assert reverse("projects:application_create", args=[dossier.pk]) in page
    text = response.content.decode()
    assert "« Programme choisi par le porteur » figure dans la liste des candidatures du dossier." in text
    assert FundingApplication.objects.get().created_by == users["migrant"]


def test_shortlisting_an_unknown_programme_says_so(client, users, dossier):
    client.force_login(users["advisor"])

    response = client.post(reverse("projects:application_create", args=[dossier.pk]), {"opportunity": 0}, follow=True)

    assert response.status_code == 200
    assert "Choisissez un programme du catalogue." in response.content.decode()
    assert not FundingApplication.objects.exists()
