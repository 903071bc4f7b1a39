"""The catalogue in the Django admin: office admins maintain it as reference data."""
from django.urls import reverse

from projects.funding.models import FundingOpportunity, FundingType


def test_an_office_admin_opens_the_catalogue_in_the_admin(client, users):
    forim = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")
    client.force_login(users["admin"])

    assert client.get(reverse("admin:projects_fundingopportunity_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_fundingopportunity_change", args=[forim.pk])).status_code == 200


def test_saving_in_the_admin_refreshes_the_derived_columns(client, users):
    client.force_login(users["superuser"])

    response = client.post(
        reverse("admin:projects_fundingopportunity_add"),
        {
            "name": "Fonds de la diaspora de Goudomp",
            "funder_name": "Association des ressortissants de Goudomp",
            "types": [FundingType.objects.get(code="grant").pk],
            "amount_max": "3000",
            "currency": "EUR",
            "status": "open",
            "required_documents": "[]",
            "keywords": "apiculture",
        },
    )

    opportunity = FundingOpportunity.objects.get(name="Fonds de la diaspora de Goudomp")
    assert response.status_code == 302
    assert opportunity.amount_max_xof == 1_967_871
    assert "apiculture" in opportunity.search_text


def test_advisors_cannot_edit_the_catalogue_in_the_admin(client, users):
    client.force_login(users["advisor"])

    assert client.get(reverse("admin:projects_fundingopportunity_changelist")).status_code == 302
