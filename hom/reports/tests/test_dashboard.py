"""The reports' cards on the dashboards."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.tests.factories import DossierFactory


def test_staff_see_this_month_against_last_month_dossiers_and_overdue_follow_ups(client, users, office):
    migrant = MigrantFactory(office=office)
    VisitFactory.create_batch(2, migrant=migrant)
    VisitFactory(migrant=migrant, follow_up_on=timezone.localdate() - timedelta(days=3))
    DossierFactory(promoter=migrant)
    client.force_login(users["advisor"])

    html = client.get(reverse("home")).content.decode()

    assert 'data-testid="office-indicators"' in html
    assert "Visites ce mois-ci" in html
    assert "Brouillon" in html


def test_the_authority_dashboard_links_to_its_communes_report_and_profile(client, users):
    client.force_login(users["authority"])

    html = client.get(reverse("home")).content.decode()

    assert reverse("reports:report", args=["commune", "SN1103_SEDHIOU"]) in html
    assert reverse("communes:profile", args=["SN1103_SEDHIOU"]) in html
