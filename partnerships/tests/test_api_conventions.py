"""Conventions through /api/v1/: the register's scoping, the budget and reports of the page, a partner's upload."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hom.testing.api import api_client, assert_api_matrix, assert_constant_api_queries
from partnerships.conventions import services
from partnerships.conventions.models import ConventionStatus, ReportItemStatus
from partnerships.conventions.selectors import convention_budget
from partnerships.tests.convention_factories import (
    ContributionFactory,
    ConventionBudgetLineFactory,
    ConventionFactory,
    ConventionPartyFactory,
    ReportItemFactory,
)
from partnerships.tests.factories import OrganisationFactory
from projects.demo import demo_pdf

pytestmark = pytest.mark.django_db

READERS = {
    "anonymous": 401, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
    "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 200,
}
ONE_CONVENTION = {**READERS, "other_office_advisor": 404}


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, demo_pdf("Rapport trimestriel"), content_type="application/pdf")


@pytest.fixture
def convention(office):
    return ConventionFactory(office=office, title="Convention HOM Sédhiou", status=ConventionStatus.ACTIVE)


@pytest.fixture
def partner_party(users, convention):
    """The `partner` user's organisation, party to the convention."""
    organisation = OrganisationFactory(name="Grdr", acronym="Grdr", partner_users=[users["partner"]])
    return ConventionPartyFactory(convention=convention, organisation=organisation)


@pytest.fixture
def other_party(convention):
    return ConventionPartyFactory(convention=convention, organisation=OrganisationFactory(name="Conseil départemental"))


@pytest.fixture
def owed_report(partner_party):
    return ReportItemFactory(obligation__convention=partner_party.convention, obligation__party=partner_party,
                             due_on=datetime.date(2026, 3, 31))


@pytest.fixture
def others_report(other_party):
    return ReportItemFactory(obligation__convention=other_party.convention, obligation__party=other_party)


# --- Who reads what -------------------------------------------------------------------------


def test_the_conventions_answer_each_role_as_the_register(users, partner_party):
    assert_api_matrix(reverse("api:convention-list"), READERS, users)
    assert_api_matrix(reverse("api:convention-detail", args=[partner_party.convention.pk]), ONE_CONVENTION, users)


def test_a_report_item_answers_each_role_as_its_convention(users, owed_report):
    assert_api_matrix(reverse("api:convention-report-detail", args=[owed_report.pk]), ONE_CONVENTION, users)


def test_a_partner_lists_only_the_conventions_its_organisation_is_party_to(users, partner_party, office):
    ConventionPartyFactory(convention=ConventionFactory(office=office, title="Autre convention"))
    ConventionFactory(office=office, title="Sans parties")

    listed = api_client(users["partner"]).get(reverse("api:convention-list")).json()["results"]

    assert [row["id"] for row in listed] == [partner_party.convention.pk]
    assert [party["organisation_name"] for party in listed[0]["parties"]] == ["Grdr"]


def test_a_partner_gets_404_for_a_convention_it_is_not_party_to(users, partner_party, office):
    foreign = ConventionPartyFactory(convention=ConventionFactory(office=office)).convention
    report = ReportItemFactory(obligation__convention=foreign)
    client = api_client(users["partner"])

    assert client.get(reverse("api:convention-detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("api:convention-report-detail", args=[report.pk])).status_code == 404


def test_the_kolda_advisor_lists_none_of_sedhious_conventions(users, convention, other_office):
    kolda = ConventionFactory(office=other_office)

    listed = api_client(users["other_office_advisor"]).get(reverse("api:convention-list")).json()["results"]

    assert [row["id"] for row in listed] == [kolda.pk]


def test_the_registers_filters_work_in_the_api(users, office):
    ConventionFactory(office=office, title="Convention eau potable", status=ConventionStatus.DRAFT)
    wanted = ConventionFactory(office=office, title="Convention aviculture", status=ConventionStatus.ACTIVE)
    client = api_client(users["advisor"])

    by_status = client.get(reverse("api:convention-list"), {"status": "active"}).json()["results"]
    by_title = client.get(reverse("api:convention-list"), {"q": "avicul"}).json()["results"]
    bad = client.get(reverse("api:convention-list"), {"status": "finished"})

    assert [row["id"] for row in by_status] == [wanted.pk] == [row["id"] for row in by_title]
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_the_detail_gives_the_pages_budget_table_and_reports(users, partner_party, other_party, owed_report):
    convention = partner_party.convention
    line = ConventionBudgetLineFactory(convention=convention, activity="Formations", amount=2_000_000)
    ContributionFactory(budget_line=line, party=partner_party, committed=800_000, paid=300_000)
    ContributionFactory(budget_line=line, party=other_party, committed=700_000, kind="in_kind")

    body = api_client(users["partner"]).get(reverse("api:convention-detail", args=[convention.pk])).json()

    page = convention_budget(convention)
    budget = body["budget"]
    assert [party["organisation_name"] for party in body["parties"]] == ["Grdr", "Conseil départemental"]
    assert budget["lines"] == [{
        "id": line.pk, "activity": "Formations", "amount": 2_000_000, "committed": 1_500_000, "paid": 300_000,
        "by_party": [{"party": partner_party.pk, "committed": 800_000}, {"party": other_party.pk, "committed": 700_000}],
    }]
    assert (budget["total_amount"], budget["total_committed"], budget["total_paid"], budget["uncovered"]) == (
        page.total_amount, page.total_committed, page.total_paid, page.uncovered) == (2_000_000, 1_500_000, 300_000,
                                                                                      500_000)
    assert [(row["party"], row["cash"], row["in_kind"]) for row in budget["parties"]] == [
        (partner_party.pk, 800_000, 0), (other_party.pk, 0, 700_000)]
    report = body["reports"][0]
    assert (report["id"], report["organisation_name"], report["status"]) == (owed_report.pk, "Grdr", "due")
    assert report["late"] is True and report["may_upload"] is True


def test_the_conventions_list_keeps_a_constant_query_count(users, office):
    def conventions(count):
        for _ in range(count):
            ConventionPartyFactory(convention=ConventionFactory(office=office))

    response = assert_constant_api_queries(api_client(users["advisor"]), reverse("api:convention-list"),
                                           make_rows=conventions)

    assert len(response.json()["results"]) == 20 and all(row["parties"] for row in response.json()["results"])


# --- A partner's report ---------------------------------------------------------------------


def _upload(user, item, file):
    return api_client(user).post(reverse("api:convention-report-upload", args=[item.pk]), {"file": file},
                                 format="multipart")


def test_a_partner_uploads_its_report_through_the_service(users, owed_report):
    response = _upload(users["partner"], owed_report, _pdf())

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted" and response.json()["original_name"] == "rapport.pdf"
    owed_report.refresh_from_db()
    assert owed_report.status == ReportItemStatus.SUBMITTED and owed_report.submitted_by == users["partner"]
    assert owed_report.content_type == "application/pdf" and owed_report.file.read().startswith(b"%PDF")
    assert owed_report.history.latest().history_user == users["partner"]


def test_a_partner_cannot_upload_another_partys_report(users, owed_report, others_report):
    """The attack: the partner's token replays the upload on the other party's report of the same convention."""
    response = _upload(users["partner"], others_report, _pdf())

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    others_report.refresh_from_db()
    assert others_report.status == ReportItemStatus.DUE and not others_report.file


def test_a_partner_cannot_upload_to_a_convention_it_is_not_party_to(users, owed_report, office):
    foreign = ReportItemFactory(obligation__convention=ConventionFactory(office=office))

    response = _upload(users["partner"], foreign, _pdf())

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ReportItemStatus.DUE and not foreign.file


def test_the_kolda_advisor_cannot_upload_to_a_sedhiou_report(users, owed_report):
    assert _upload(users["other_office_advisor"], owed_report, _pdf()).status_code == 404


def test_the_upload_answers_each_role(users, owed_report):
    """Sent as JSON, the upload is refused (415) to those who may send it, 404/403/401 to the others."""
    expected = {**ONE_CONVENTION, "superuser": 415, "admin": 415, "advisor": 415, "partner": 415}

    assert_api_matrix(reverse("api:convention-report-upload", args=[owed_report.pk]), expected, users,
                      method="post")


def test_a_file_that_is_not_a_document_is_refused_as_on_the_page(users, owed_report):
    renamed = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")

    response = _upload(users["partner"], owed_report, renamed)

    assert response.status_code == 400 and response.json()["errors"]["file"]
    owed_report.refresh_from_db()
    assert owed_report.status == ReportItemStatus.DUE and not owed_report.file


def test_a_file_too_big_is_refused_with_the_limit_in_the_users_language(users, owed_report, monkeypatch):
    monkeypatch.setattr("hom.uploads.MAX_UPLOAD_BYTES", 100)

    response = api_client(users["partner"]).post(
        reverse("api:convention-report-upload", args=[owed_report.pk]), {"file": _pdf()}, format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400 and "too big" in response.json()["errors"]["file"][0]
    owed_report.refresh_from_db()
    assert owed_report.status == ReportItemStatus.DUE


def test_an_upload_without_a_file_names_the_field(users, owed_report):
    response = api_client(users["partner"]).post(reverse("api:convention-report-upload", args=[owed_report.pk]),
                                                 {}, format="multipart")

    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_an_approved_report_cannot_be_sent_again(users, owed_report):
    services.report_submit(item=owed_report, uploaded=_pdf(), actor=users["partner"])
    services.report_accept(item=owed_report, actor=users["admin"])

    response = _upload(users["partner"], owed_report, _pdf())

    assert response.status_code == 400 and response.json()["errors"]["non_field_errors"]
    owed_report.refresh_from_db()
    assert owed_report.status == ReportItemStatus.ACCEPTED
