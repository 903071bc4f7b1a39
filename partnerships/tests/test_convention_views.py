"""Pages of conventions: who may open what (every role), what each user does, and constant query counts."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from partnerships.conventions import services
from partnerships.conventions.models import Convention, ConventionStatus, ReportItemStatus
from partnerships.tests.convention_factories import (
    ActionItemFactory,
    ContributionFactory,
    ConventionBudgetLineFactory,
    ConventionFactory,
    ConventionPartyFactory,
    ReportItemFactory,
)
from partnerships.tests.factories import OrganisationFactory
from projects.demo import demo_pdf

pytestmark = pytest.mark.django_db

STAFF_OF_THE_OFFICE = staff_only(other_office_advisor=404)
STAFF_POST = staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404)
ADMIN_POST = staff_only(admin=302, advisor=403, superuser=302, other_office_advisor=403)


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, demo_pdf("Rapport"), content_type="application/pdf")


@pytest.fixture
def convention(office):
    return ConventionFactory(office=office, title="Convention HOM Sédhiou", status=ConventionStatus.ACTIVE)


@pytest.fixture
def partner_party(users, convention):
    """The `partner` user's organisation, party to the convention."""
    organisation = OrganisationFactory(name="Grdr", acronym="Grdr", partner_users=[users["partner"]])
    return ConventionPartyFactory(convention=convention, organisation=organisation)


@pytest.fixture
def paid_contribution(convention):
    return ContributionFactory(budget_line__convention=convention, committed=500_000, paid=100_000)


@pytest.fixture
def submitted_report(convention, users):
    item = ReportItemFactory(obligation__convention=convention)
    return services.report_submit(item=item, uploaded=_pdf(), actor=users["admin"])


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Access matrix ------------------------------------------------------------------------


def test_access_to_the_register(client, users):
    assert_access_matrix(client, reverse("partnerships:convention_list"), {**staff_only(), "partner": 200}, users)


def test_access_to_the_dashboard(client, users):
    expected = staff_only(advisor=403, other_office_advisor=403)
    assert_access_matrix(client, reverse("partnerships:convention_dashboard"), expected, users)


def test_access_to_the_creation_form(client, users):
    assert_access_matrix(client, reverse("partnerships:convention_create"), staff_only(), users)


def test_access_to_a_convention_page(client, users, convention):
    # The `partner` user's organisation is no party: 404, like the other office's advisor.
    url = reverse("partnerships:convention_detail", args=[convention.pk])
    assert_access_matrix(client, url, {**STAFF_OF_THE_OFFICE, "partner": 404}, users)


def test_access_to_a_convention_page_for_a_party(client, users, partner_party):
    url = reverse("partnerships:convention_detail", args=[partner_party.convention_id])
    assert_access_matrix(client, url, {**STAFF_OF_THE_OFFICE, "partner": 200}, users)


@pytest.mark.parametrize("url_name", [
    "convention_edit", "convention_party_add", "convention_budget_line_add", "convention_obligation_add",
])
def test_access_to_the_forms_of_a_convention(client, users, partner_party, url_name):
    # Even a party's partner user may not edit: 403.
    url = reverse(f"partnerships:{url_name}", args=[partner_party.convention_id])
    assert_access_matrix(client, url, STAFF_OF_THE_OFFICE, users)


def test_access_to_a_party_form(client, users, partner_party):
    url = reverse("partnerships:convention_party_edit", args=[partner_party.convention_id, partner_party.pk])
    assert_access_matrix(client, url, STAFF_OF_THE_OFFICE, users)


def test_access_to_the_budget_line_forms(client, users, paid_contribution):
    line = paid_contribution.budget_line
    for url_name in ("convention_budget_line_edit", "convention_contribution_add"):
        url = reverse(f"partnerships:{url_name}", args=[line.convention_id, line.pk])
        assert_access_matrix(client, url, STAFF_OF_THE_OFFICE, users)


def test_access_to_a_status_move(client, users, convention):
    url = reverse("partnerships:convention_move", args=[convention.pk])
    assert_access_matrix(client, url, ADMIN_POST, users, method="post", data={"to_status": "suspended"})


def test_access_to_the_signed_document(client, users, partner_party):
    convention = services.convention_attach_document(
        convention=partner_party.convention, uploaded=ContentFile(demo_pdf("Convention"), name="signee.pdf")
    )
    url = reverse("partnerships:convention_document", args=[convention.pk])
    assert_access_matrix(client, url, {**STAFF_OF_THE_OFFICE, "partner": 200}, users)


def test_access_to_the_signed_document_upload(client, users, convention):
    url = reverse("partnerships:convention_document_upload", args=[convention.pk])
    assert_access_matrix(client, url, STAFF_POST, users, method="post")


def test_access_to_the_removals(client, users, paid_contribution):
    # Every removal is refused here (commitments exist), so each role meets the same rows.
    convention, line, party = paid_contribution.budget_line.convention, paid_contribution.budget_line, paid_contribution.party
    for url in (
        reverse("partnerships:convention_party_remove", args=[convention.pk, party.pk]),
        reverse("partnerships:convention_budget_line_remove", args=[convention.pk, line.pk]),
        reverse("partnerships:convention_contribution_remove", args=[convention.pk, paid_contribution.pk]),
    ):
        assert_access_matrix(client, url, STAFF_POST, users, method="post")
    assert Convention.objects.get(pk=convention.pk).budget_lines.get().contributions.count() == 1


def test_access_to_a_payment(client, users, paid_contribution):
    url = reverse("partnerships:convention_contribution_payment",
                  args=[paid_contribution.budget_line.convention_id, paid_contribution.pk])
    assert_access_matrix(client, url, ADMIN_POST, users, method="post", data={"paid": "200000"})


def test_access_to_a_report_upload(client, users, convention):
    # A partner of no party gets 404; the form without a file only redirects with a message.
    item = ReportItemFactory(obligation__convention=convention)
    url = reverse("partnerships:convention_report_upload", args=[item.pk])
    assert_access_matrix(client, url, {**STAFF_POST, "partner": 404}, users, method="post")


def test_access_to_a_report_file(client, users, partner_party, submitted_report):
    url = reverse("partnerships:convention_report_file", args=[submitted_report.pk])
    assert_access_matrix(client, url, {**STAFF_OF_THE_OFFICE, "partner": 200}, users)


@pytest.mark.parametrize("url_name", ["convention_report_accept", "convention_report_send_back"])
def test_access_to_the_review_of_a_report(client, users, submitted_report, url_name):
    url = reverse(f"partnerships:{url_name}", args=[submitted_report.pk])
    assert_access_matrix(client, url, ADMIN_POST, users, method="post", data={"comment": "À compléter."})


# --- What users do ------------------------------------------------------------------------


def test_an_advisor_creates_a_convention_of_their_office(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:convention_create"), {
        "title": "Convention Grdr 2027", "objectives": "Former 40 élus d'ici juin 2027.",
        "starts_on": "2027-01-01", "ends_on": "2027-12-31",
    })

    convention = Convention.objects.get(title="Convention Grdr 2027")
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()
    assert (convention.office, convention.status, convention.created_by) == (
        users["advisor"].office, ConventionStatus.DRAFT, users["advisor"],
    )


def test_a_form_with_an_end_before_the_start_keeps_what_was_typed(client, users):
    client.force_login(users["admin"])

    response = client.post(reverse("partnerships:convention_create"), {
        "title": "Convention à corriger", "objectives": "Objectifs chiffrés.",
        "starts_on": "2027-06-01", "ends_on": "2027-01-01",
    })

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="Convention à corriger"' in response.content.decode()
    assert not Convention.objects.exists()


def test_a_national_admin_says_which_office_runs_the_convention(client, users, office):
    client.force_login(users["superuser"])

    client.post(reverse("partnerships:convention_create"), {
        "office": office.pk, "title": "Convention nationale", "objectives": "Objectifs.",
    })

    assert Convention.objects.get(title="Convention nationale").office == office


def test_an_admin_adds_parties_a_line_and_contributions_and_sees_the_totals(client, users, convention):
    client.force_login(users["admin"])
    ard, grdr = OrganisationFactory(name="ARD Sédhiou"), OrganisationFactory(name="Grdr")

    for organisation in (ard, grdr):
        client.post(reverse("partnerships:convention_party_add", args=[convention.pk]), {
            "organisation": organisation.pk, "role": "coordinator", "responsibilities": "Coordonner le HOM.",
        })
    client.post(reverse("partnerships:convention_budget_line_add", args=[convention.pk]),
                {"activity": "Forum de la diaspora", "amount": "3000000"})
    line = convention.budget_lines.get()
    parties = list(convention.parties.order_by("position"))
    for party, amount in zip(parties, ("1000000", "1500000"), strict=True):
        client.post(reverse("partnerships:convention_contribution_add", args=[convention.pk, line.pk]),
                    {"party": party.pk, "kind": "cash", "committed": amount})
    response = client.get(convention.get_absolute_url())

    budget = response.context["budget"]
    assert [party.organisation.name for party in budget.parties] == ["ARD Sédhiou", "Grdr"]
    assert [party.committed for party in budget.parties] == [1_000_000, 1_500_000]
    assert (budget.total_amount, budget.total_committed, budget.uncovered) == (3_000_000, 2_500_000, 500_000)


def test_a_contribution_of_an_organisation_not_party_is_not_offered(client, users, convention):
    other_party = ConventionPartyFactory()  # party to another convention
    line = ConventionBudgetLineFactory(convention=convention)
    client.force_login(users["admin"])

    response = client.post(reverse("partnerships:convention_contribution_add", args=[convention.pk, line.pk]),
                           {"party": other_party.pk, "kind": "cash", "committed": "100000"})

    assert response.status_code == 200
    assert "party" in response.context["form"].errors
    assert not line.contributions.exists()


def test_a_forbidden_move_is_refused_with_a_message_and_an_allowed_one_is_kept(client, users, office):
    convention = ConventionFactory(office=office, status=ConventionStatus.DRAFT)
    client.force_login(users["admin"])
    url = reverse("partnerships:convention_move", args=[convention.pk])

    refused = client.post(url, {"to_status": "active"})
    client.post(url, {"to_status": "negotiation", "comment": "Envoyé aux conseils départementaux."})

    with translation.override("fr"):
        expected = gettext("A convention cannot go from “%(old)s” to “%(new)s”. Allowed: %(allowed)s.") % {
            "old": ConventionStatus.DRAFT.label, "new": ConventionStatus.ACTIVE.label,
            "allowed": f"{ConventionStatus.NEGOTIATION.label}, {ConventionStatus.CLOSED.label}",
        }
        assert _messages(refused) == [expected]
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.NEGOTIATION
    page = client.get(convention.get_absolute_url())
    assert [t.comment for t in page.context["transitions"]] == ["Envoyé aux conseils départementaux."]
    assert {move.value for move in page.context["moves"]} == {"draft", "signed", "closed"}


def test_an_advisor_sees_no_status_buttons(client, users, convention):
    client.force_login(users["advisor"])

    response = client.get(convention.get_absolute_url())

    assert response.context["moves"] == []
    assert 'data-testid="moves"' not in response.content.decode()


def test_a_partner_uploads_the_report_their_organisation_owes(client, users, partner_party):
    item = ReportItemFactory(obligation__party=partner_party, obligation__convention=partner_party.convention,
                             due_on=timezone.localdate() - datetime.timedelta(days=5))
    client.force_login(users["partner"])

    page = client.get(partner_party.convention.get_absolute_url())
    assert item.pk in page.context["uploadable"]
    client.post(reverse("partnerships:convention_report_upload", args=[item.pk]), {"file": _pdf("T3.pdf")})

    item.refresh_from_db()
    assert (item.status, item.original_name, item.submitted_by) == (ReportItemStatus.SUBMITTED, "T3.pdf", users["partner"])
    assert item.file.read().startswith(b"%PDF")


def test_a_partner_cannot_upload_a_report_another_party_owes(client, users, partner_party):
    item = ReportItemFactory(obligation__convention=partner_party.convention)  # owed by another party
    client.force_login(users["partner"])

    response = client.post(reverse("partnerships:convention_report_upload", args=[item.pk]), {"file": _pdf()})

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ReportItemStatus.DUE


def test_a_partner_party_reads_but_cannot_edit_or_move(client, users, partner_party):
    client.force_login(users["partner"])
    convention = partner_party.convention

    page = client.get(convention.get_absolute_url())

    assert page.status_code == 200
    assert page.context["is_staff"] is False and page.context["moves"] == []
    assert client.get(reverse("partnerships:convention_edit", args=[convention.pk])).status_code == 403
    assert client.post(reverse("partnerships:convention_move", args=[convention.pk]),
                       {"to_status": "closed"}).status_code == 403
    assert client.get(reverse("partnerships:convention_detail", args=[ConventionFactory().pk])).status_code == 404


def test_an_admin_approves_or_sends_back_a_submitted_report(client, users, submitted_report):
    client.force_login(users["admin"])
    other = services.report_submit(item=ReportItemFactory(obligation=submitted_report.obligation,
                                                          due_on=datetime.date(2027, 3, 31)),
                                   uploaded=_pdf(), actor=users["admin"])

    client.post(reverse("partnerships:convention_report_accept", args=[submitted_report.pk]))
    client.post(reverse("partnerships:convention_report_send_back", args=[other.pk]), {"comment": "Signer le rapport."})

    submitted_report.refresh_from_db()
    other.refresh_from_db()
    assert submitted_report.status == ReportItemStatus.ACCEPTED
    assert (other.status, other.comment) == (ReportItemStatus.DUE, "Signer le rapport.")


def test_an_admin_records_a_payment_and_an_excess_is_refused(client, users, paid_contribution):
    client.force_login(users["admin"])
    url = reverse("partnerships:convention_contribution_payment",
                  args=[paid_contribution.budget_line.convention_id, paid_contribution.pk])

    client.post(url, {"paid": "300000"})
    refused = client.post(url, {"paid": "900000"})

    paid_contribution.refresh_from_db()
    assert paid_contribution.paid == 300_000
    with translation.override("fr"):
        assert _messages(refused)[-1] == gettext("The paid amount cannot be more than the committed amount.")


def test_a_signed_document_that_is_not_a_document_is_refused(client, users, convention):
    client.force_login(users["advisor"])

    client.post(reverse("partnerships:convention_document_upload", args=[convention.pk]),
                {"signed_document": SimpleUploadedFile("convention.pdf", b"#!/bin/sh\necho hello\n")})
    client.post(reverse("partnerships:convention_document_upload", args=[convention.pk]),
                {"signed_document": _pdf("convention.pdf")})

    convention.refresh_from_db()
    assert convention.signed_document_name == "convention.pdf"
    assert convention.signed_document_type == "application/pdf"


def test_the_late_report_stands_out_first(client, users, convention):
    today = timezone.localdate()
    ReportItemFactory(obligation__convention=convention, due_on=today + datetime.timedelta(days=20))
    late = ReportItemFactory(obligation__convention=convention, due_on=today - datetime.timedelta(days=3))
    client.force_login(users["advisor"])

    response = client.get(convention.get_absolute_url())

    reports = list(response.context["reports"])
    assert [item.pk for item in reports][0] == late.pk and reports[0].late
    assert response.content.decode().count('data-testid="late-badge"') == 1


def test_the_register_filters_by_status_party_and_title_and_sorts(client, users, office):
    grdr = OrganisationFactory(name="Grdr")
    active = ConventionFactory(office=office, title="Convention Grdr", starts_on=datetime.date(2026, 1, 1))
    ConventionPartyFactory(convention=active, organisation=grdr)
    ConventionFactory(office=office, title="Accord EMDS", status=ConventionStatus.DRAFT,
                      starts_on=datetime.date(2025, 1, 1))
    ConventionFactory(title="Convention de Kolda")  # another office
    client.force_login(users["advisor"])
    url = reverse("partnerships:convention_list")

    def titles(**params):
        return [c.title for c in client.get(url, params).context["page"].object_list]

    assert titles() == ["Convention Grdr", "Accord EMDS"]
    assert titles(sort="title") == ["Accord EMDS", "Convention Grdr"]
    assert titles(status="draft") == ["Accord EMDS"]
    assert titles(organisation=grdr.pk) == ["Convention Grdr"]
    assert titles(q="emds") == ["Accord EMDS"]


def test_the_navigation_shows_conventions_to_staff_and_my_conventions_to_partners(client, users):
    client.force_login(users["advisor"])
    staff_page = client.get(reverse("partnerships:convention_list")).content.decode()
    client.force_login(users["partner"])
    partner_page = client.get(reverse("partnerships:convention_list")).content.decode()

    with translation.override("fr"):
        assert gettext("Conventions") in staff_page
        assert gettext("My conventions") in partner_page


# --- Query counts --------------------------------------------------------------------------


def test_the_register_query_count_does_not_grow_with_conventions(client, users, office):
    client.force_login(users["admin"])

    def make_conventions(count):
        for _ in range(count):
            ConventionPartyFactory(convention=ConventionFactory(office=office))

    response = assert_constant_queries(client, reverse("partnerships:convention_list"), make_rows=make_conventions)

    assert len(response.context["page"].object_list) == 20


def test_the_dashboard_query_count_does_not_grow_with_conventions(client, users, office):
    client.force_login(users["admin"])
    late = timezone.localdate() - datetime.timedelta(days=10)

    def make_conventions(count):
        for _ in range(count):
            contribution = ContributionFactory(budget_line__convention=ConventionFactory(office=office))
            convention = contribution.budget_line.convention
            ReportItemFactory(obligation__convention=convention, obligation__party=contribution.party, due_on=late)
            ActionItemFactory(meeting__convention=convention, due_on=late)

    response = assert_constant_queries(client, reverse("partnerships:convention_dashboard"), make_rows=make_conventions)

    dashboard = response.context["dashboard"]
    assert (len(dashboard.running), len(dashboard.late_reports), len(dashboard.overdue_actions)) == (20, 20, 20)
    assert len(dashboard.budget_by_organisation) == 20
    assert response.context["charts"][0]["datasets"][0]["data"] == [500_000] * 20


def test_a_convention_page_query_count_does_not_grow_with_parties_lines_and_reports(client, users, convention):
    client.force_login(users["admin"])

    def make_rows(count):
        for _ in range(count):
            contribution = ContributionFactory(budget_line__convention=convention)
            ReportItemFactory(obligation__convention=convention, obligation__party=contribution.party)

    response = assert_constant_queries(client, convention.get_absolute_url(), make_rows=make_rows)

    assert len(response.context["budget"].parties) == 20


def test_an_advisor_schedules_quarterly_reports_up_to_the_convention_end(client, users, partner_party):
    client.force_login(users["advisor"])
    convention = partner_party.convention  # runs 2026-01-01 to 2027-12-31

    client.post(reverse("partnerships:convention_obligation_add", args=[convention.pk]), {
        "party": partner_party.pk, "title": "Rapport trimestriel", "periodicity": "quarterly",
        "first_due_on": "2026-03-31",
    })

    due_dates = list(convention.report_items.order_by("due_on").values_list("due_on", flat=True))
    assert len(due_dates) == 8
    assert (due_dates[0], due_dates[-1]) == (datetime.date(2026, 3, 31), datetime.date(2027, 12, 31))


def test_an_advisor_edits_then_removes_an_uncommitted_contribution_line_and_party(client, users, convention):
    contribution = ContributionFactory(budget_line__convention=convention, committed=300_000)
    line, party = contribution.budget_line, contribution.party
    client.force_login(users["advisor"])

    client.post(reverse("partnerships:convention_party_edit", args=[convention.pk, party.pk]), {
        "organisation": party.organisation_id, "role": "co_funder", "responsibilities": "Cofinancer le forum.",
        "signatory_name": "Président du conseil départemental", "signed_on": "2026-02-14",
    })
    client.post(reverse("partnerships:convention_budget_line_edit", args=[convention.pk, line.pk]),
                {"activity": "Forum de la diaspora 2026", "amount": "4000000"})
    party.refresh_from_db()
    line.refresh_from_db()
    assert (party.role, party.signed_on) == ("co_funder", datetime.date(2026, 2, 14))
    assert (line.activity, line.amount) == ("Forum de la diaspora 2026", 4_000_000)

    client.post(reverse("partnerships:convention_contribution_remove", args=[convention.pk, contribution.pk]))
    client.post(reverse("partnerships:convention_budget_line_remove", args=[convention.pk, line.pk]))
    client.post(reverse("partnerships:convention_party_remove", args=[convention.pk, party.pk]))

    assert not convention.budget_lines.exists()
    assert not convention.parties.exists()


def test_the_national_admin_opens_the_conventions_in_the_django_admin(client, users, paid_contribution):
    convention = paid_contribution.budget_line.convention
    client.force_login(users["superuser"])

    assert client.get(reverse("admin:partnerships_convention_changelist")).status_code == 200
    assert client.get(reverse("admin:partnerships_convention_change", args=[convention.pk])).status_code == 200
    assert client.get(reverse("admin:partnerships_contribution_changelist")).status_code == 200
    assert client.get(reverse("admin:partnerships_reportitem_changelist")).status_code == 200
    assert client.get(reverse("admin:partnerships_reportingobligation_changelist")).status_code == 200


def test_the_dashboard_leaves_out_what_belongs_to_closed_conventions(client, users, office):
    late = timezone.localdate() - datetime.timedelta(days=10)
    closed = ConventionFactory(office=office, status=ConventionStatus.CLOSED)
    ReportItemFactory(obligation__convention=closed, due_on=late)
    ActionItemFactory(meeting__convention=closed, due_on=late)
    ContributionFactory(budget_line__convention=closed)
    running = ReportItemFactory(obligation__convention=ConventionFactory(office=office), due_on=late)
    client.force_login(users["admin"])

    dashboard = client.get(reverse("partnerships:convention_dashboard")).context["dashboard"]

    assert [item.pk for item in dashboard.late_reports] == [running.pk]
    assert (dashboard.overdue_actions, dashboard.budget_by_organisation) == ([], [])


def test_only_reports_due_within_a_quarter_offer_an_upload_form(client, users, partner_party):
    today = timezone.localdate()
    soon = ReportItemFactory(obligation__party=partner_party, obligation__convention=partner_party.convention,
                             due_on=today + datetime.timedelta(days=30))
    next_year = ReportItemFactory(obligation__party=partner_party, obligation__convention=partner_party.convention,
                                  due_on=today + datetime.timedelta(days=300))
    client.force_login(users["partner"])

    page = client.get(partner_party.convention.get_absolute_url())

    assert soon.pk in page.context["uploadable"] and next_year.pk not in page.context["uploadable"]
    assert page.content.decode().count('data-testid="report-upload"') == 1
