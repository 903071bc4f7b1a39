"""An erased record is read-only (issue 15, point 2): every page and every service that would change it refuses.

The pages say why and send back; the services refuse whoever calls them (an API, a command,
a form replayed), so the refusal does not depend on a page remembering to ask.
"""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from migrants import services
from migrants.tests.factories import MigrantFactory
from projects import services as project_services
from projects.models import BudgetLine, ProjectDossier
from projects.tests.factories import DossierFactory

REFUSAL = "Cette fiche est effacée : elle ne peut plus être modifiée"


@pytest.fixture
def erased(users, office):
    migrant = MigrantFactory(office=office, first_name="Ousmane", last_name="Diédhiou", user=users["migrant"])
    dossier = DossierFactory(promoter=migrant, title="Poulailler")
    services.migrant_erase(migrant=migrant, erased_by=users["admin"])
    migrant.refresh_from_db()
    dossier.refresh_from_db()
    return migrant, dossier


def test_the_services_refuse_to_change_an_erased_record(users, erased):
    migrant, dossier = erased

    with pytest.raises(ValidationError, match="effac|erased"):
        services.migrant_update(migrant=migrant, changed_by=users["advisor"], first_name="Ousmane")
    with pytest.raises(ValidationError):
        services.visit_record(migrant=migrant, advisor=users["advisor"])
    with pytest.raises(ValidationError):
        services.migrant_merge(survivor=migrant, duplicate=MigrantFactory(office=migrant.office), merged_by=users["advisor"])
    with pytest.raises(ValidationError):
        project_services.dossier_create(promoter=migrant, actor=users["advisor"], title="Nouveau projet")
    with pytest.raises(PermissionDenied):
        project_services.dossier_update(dossier=dossier, actor=users["advisor"], title="Poulailler d'Ousmane")
    with pytest.raises(PermissionDenied):
        project_services.budget_line_add(dossier=dossier, actor=users["advisor"], category="investment",
                                         label="Grillage", quantity=1, unit_cost=1000)

    migrant.refresh_from_db()
    assert migrant.first_name == "—" and migrant.visits.count() == 0
    assert ProjectDossier.objects.filter(promoter=migrant).count() == 1
    assert ProjectDossier.objects.get(pk=dossier.pk).title == "—" and not BudgetLine.objects.exists()


@pytest.mark.parametrize("step", ["idea", "market", "budget"])
def test_the_dossier_pages_of_an_erased_record_refuse_with_the_message(client, users, erased, step):
    _migrant, dossier = erased
    client.force_login(users["advisor"])
    url = reverse("projects:step", args=[dossier.pk, step])

    page = client.get(url, follow=True)
    replay = client.post(url, {"title": "Poulailler d'Ousmane", "summary": "Ousmane élève des poulets."}, follow=True)
    line = client.post(reverse("projects:budget_line_add", args=[dossier.pk]), {
        "budget-category": "investment", "budget-label": "Grillage pour Ousmane", "budget-quantity": "1",
        "budget-unit_cost": "1000",
    }, follow=True)

    for response in (page, replay, line):
        assert response.redirect_chain[-1][0] == dossier.get_absolute_url()
        assert REFUSAL in response.content.decode()
    assert ProjectDossier.objects.get(pk=dossier.pk).title == "—" and not BudgetLine.objects.exists()


def test_the_persons_page_offers_no_change_of_an_erased_record(client, users, erased):
    migrant, _dossier = erased
    client.force_login(users["admin"])

    page = client.get(reverse("migrants:detail", args=[migrant.pk])).content.decode()

    for url_name in ("migrants:edit", "migrants:merge", "migrants:erase", "migrants:consent_form", "migrants:visit_create"):
        assert reverse(url_name, args=[migrant.pk]) not in page, url_name
