"""The demo convention of the case study: parties, budget totals, the late report, and the partner's view."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from hom.accounts.models import User
from hom.formatting import format_fcfa
from partnerships.conventions.demo import DEMO_CONVENTION_TITLE
from partnerships.conventions.models import Convention, ConventionStatus, ReportItem, ReportItemStatus
from partnerships.models import Organisation
from partnerships.tests.convention_factories import ConventionFactory
from projects.demo import demo_pdf


def _demo_convention():
    return Convention.objects.get(title=DEMO_CONVENTION_TITLE)


def test_the_demo_seeds_one_signed_active_convention_with_five_parties_idempotently(db):
    call_command("seed_demo")
    call_command("seed_demo")

    convention = _demo_convention()
    assert convention.status == ConventionStatus.ACTIVE
    assert list(convention.transitions.values_list("to_status", flat=True)) == ["negotiation", "signed", "active"]
    assert sorted(convention.parties.values_list("organisation__acronym", flat=True)) == [
        "ARD Sédhiou", "CD Bounkiling", "CD Goudomp", "CD Sédhiou", "Grdr",
    ]
    assert Organisation.objects.filter(name="Conseil départemental de Goudomp").count() == 1
    assert ReportItem.objects.late().filter(convention=convention).count() == 1
    assert convention.signed_document


def test_the_demo_convention_page_shows_parties_totals_and_the_late_report_first(client, db):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="admin@demo.hom"))

    response = client.get(_demo_convention().get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    for name in ["Agence régionale de développement de Sédhiou", "Conseil départemental de Bounkiling", "Grdr"]:
        assert name in page
    budget = response.context["budget"]
    # Budget: 55 million planned; per party, in the parties' order ARD, Grdr, CD Sédhiou, CD Bounkiling, CD Goudomp.
    assert budget.total_amount == 55_000_000
    assert [party.committed for party in budget.parties] == [11_000_000, 24_500_000, 6_500_000, 4_000_000, 4_000_000]
    assert [line.committed for line, _cells in budget.rows] == [12_000_000, 8_000_000, 14_000_000, 16_000_000]
    assert budget.total_committed == 50_000_000
    for amount in (55_000_000, 50_000_000, 24_500_000, 16_000_000):
        assert format_fcfa(amount) in page
    reports = response.context["reports"]
    assert reports[0].late and not reports[1].late
    assert page.count('data-testid="late-badge"') == 1


def test_the_demo_partner_sees_the_convention_among_my_conventions(client, db):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="partenaire@demo.hom"))

    response = client.get(reverse("partnerships:convention_list"))

    assert [convention.title for convention in response.context["page"].object_list] == [DEMO_CONVENTION_TITLE]


def test_the_demo_dashboard_shows_the_convention_its_late_report_and_money_per_partner(client, db):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="admin@demo.hom"))

    response = client.get(reverse("partnerships:convention_dashboard"))

    dashboard = response.context["dashboard"]
    assert [convention.title for convention in dashboard.running] == [DEMO_CONVENTION_TITLE]
    assert [item.party.organisation.acronym for item in dashboard.late_reports] == ["Grdr"]
    grdr = next(row for row in dashboard.budget_by_organisation if row["party__organisation__acronym"] == "Grdr")
    assert (grdr["committed"], grdr["paid"]) == (24_500_000, 8_500_000)
    assert 'data-chart="budget"' in response.content.decode()


def test_the_demo_partner_sends_grdr_s_late_report_and_can_neither_edit_nor_see_other_conventions(client, db):
    call_command("seed_demo")
    convention = _demo_convention()
    late_report = ReportItem.objects.late().get(convention=convention)
    office_only = ConventionFactory(office=convention.office, title="Convention sans Grdr")
    client.force_login(User.objects.get(email="partenaire@demo.hom"))

    client.post(reverse("partnerships:convention_report_upload", args=[late_report.pk]),
                {"file": SimpleUploadedFile("rapport-t3.pdf", demo_pdf("Rapport T3"), content_type="application/pdf")})

    late_report.refresh_from_db()
    assert late_report.status == ReportItemStatus.SUBMITTED
    assert late_report.file.read().startswith(b"%PDF")
    assert client.get(reverse("partnerships:convention_detail", args=[office_only.pk])).status_code == 404
    assert client.get(reverse("partnerships:convention_edit", args=[convention.pk])).status_code == 403
    assert client.post(reverse("partnerships:convention_move", args=[convention.pk]),
                       {"to_status": "closed"}).status_code == 403
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.ACTIVE
