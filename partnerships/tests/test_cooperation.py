"""Cooperation introductions (issue 24, part 3): access, scoping, requests, moves, reminders,
the commune profile's protected counts and partners, query counts."""
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.notifications.due import due_items
from hom.territories.models import Commune
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from partnerships.cooperation import services
from partnerships.cooperation.models import (
    CooperationIntroduction,
    CooperationPurpose,
    CooperationRequest,
    CooperationStatus,
    RequestStatus,
)
from partnerships.models import Organisation, OrganisationKind

from .cooperation_factories import CooperationIntroductionFactory, CooperationRequestFactory
from .factories import OrganisationFactory

LIST = reverse("partnerships:cooperation_list")
PROFILE = reverse("communes:profile", args=["SN1103_SEDHIOU"])


@pytest.fixture
def sedhiou(db):
    return Commune.objects.get(code="SN1103_SEDHIOU")


@pytest.fixture
def kolda_commune(db):
    return Commune.objects.get(code="SN0701_DABO")


@pytest.fixture
def association(db):
    return OrganisationFactory(name="Amic de Sedhiou Kandeemaa", country="ES", city="Sabadell", is_published=True)


@pytest.fixture
def introduction(users, office, sedhiou, association):
    return services.cooperation_create(
        commune=sedhiou, organisation=association, introduced_by=users["advisor"],
        purpose=CooperationPurpose.PROJECT, description="Forage du jardin des femmes.",
    )


@pytest.fixture
def kolda_authority(db, kolda_commune):
    return UserFactory(role=Role.AUTHORITY, email="mairie.kolda@example.sn", communes=[kolda_commune])


def readers(**overrides):
    """Staff of the office and the commune's authority read; others 403, another office's staff 404."""
    return {
        "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
        "migrant": 403, "other_migrant": 403, "authority": 200, "partner": 403, **overrides,
    }


# --- Access -------------------------------------------------------------------------------


def test_access_to_the_list(client, users):
    assert_access_matrix(client, LIST, readers(), users)


def test_access_to_an_introduction(client, users, introduction):
    assert_access_matrix(client, introduction.get_absolute_url(), readers(other_office_advisor=404), users)


def test_access_to_the_request_form(client, users):
    assert_access_matrix(client, reverse("partnerships:cooperation_request"), readers(
        superuser=403, admin=403, advisor=403, other_office_advisor=403), users)


def test_access_to_the_introduction_form(client, users):
    assert_access_matrix(client, reverse("partnerships:cooperation_create"), readers(authority=403), users)


def test_access_to_answering_a_request(client, users, office, sedhiou):
    request = CooperationRequestFactory(commune=sedhiou)
    url = f"{reverse('partnerships:cooperation_create')}?request={request.pk}"
    assert_access_matrix(client, url, readers(authority=403, other_office_advisor=404), users)


def test_access_to_moves_and_closing(client, users, introduction, sedhiou):
    move = reverse("partnerships:cooperation_move", args=[introduction.pk])
    assert_access_matrix(client, move, readers(authority=403, other_office_advisor=404, admin=302, advisor=302,
                                               superuser=302), users, method="post", data={"status": "contacted"})
    request = CooperationRequestFactory(commune=sedhiou)
    close = reverse("partnerships:cooperation_request_close", args=[request.pk])
    assert_access_matrix(client, close, readers(authority=403, other_office_advisor=404, admin=302, advisor=302,
                                                superuser=302), users, method="post", data={"answer": ""})


def test_an_authority_of_another_commune_sees_nothing_of_sedhiou(client, users, introduction, kolda_authority,
                                                                   sedhiou):
    CooperationRequestFactory(commune=sedhiou, looking_for="Un jumelage pour Sédhiou")
    client.force_login(kolda_authority)
    assert client.get(introduction.get_absolute_url()).status_code == 404
    page = client.get(LIST).text
    assert "Amic de Sedhiou Kandeemaa" not in page and "Un jumelage pour Sédhiou" not in page


def test_another_office_sees_neither_the_introductions_nor_the_requests(client, users, introduction, sedhiou):
    CooperationRequestFactory(commune=sedhiou, looking_for="Un jumelage pour Sédhiou")
    client.force_login(users["other_office_advisor"])
    page = client.get(LIST).text
    assert "Amic de Sedhiou Kandeemaa" not in page and "Un jumelage pour Sédhiou" not in page


# --- The authority's request --------------------------------------------------------------


def test_the_authority_requests_a_cooperation_and_the_office_sees_it(client, users, office, sedhiou, association):
    client.force_login(users["authority"])
    response = client.post(reverse("partnerships:cooperation_request"), {
        "commune": sedhiou.pk, "looking_for": "Une commune jumelle en Catalogne", "purpose": "twinning",
        "organisation": association.pk,
    })
    assert response.status_code == 302
    request = CooperationRequest.objects.get()
    assert (request.office, request.requested_by, request.status) == (office, users["authority"], RequestStatus.OPEN)
    assert request.history.get().history_user == users["authority"]
    client.force_login(users["advisor"])
    page = client.get(LIST).text
    assert "Une commune jumelle en Catalogne" in page and "Amic de Sedhiou Kandeemaa" in page


def test_an_authority_cannot_request_for_another_commune(client, users, kolda_commune):
    client.force_login(users["authority"])
    response = client.post(reverse("partnerships:cooperation_request"), {
        "commune": kolda_commune.pk, "looking_for": "Forgé", "purpose": "twinning",
    })
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text or "Select a valid choice" in response.text
    assert not CooperationRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        services.cooperation_request_create(commune=kolda_commune, requested_by=users["authority"],
                                            looking_for="Forgé", purpose="twinning")


def test_an_authority_names_only_published_organisations(client, users, sedhiou):
    hidden = OrganisationFactory(name="Association non publiée", is_published=False)
    client.force_login(users["authority"])
    response = client.post(reverse("partnerships:cooperation_request"), {
        "commune": sedhiou.pk, "looking_for": "Un partenaire", "purpose": "project", "organisation": hidden.pk,
    })
    assert response.status_code == 200 and not CooperationRequest.objects.exists()
    assert "Association non publiée" not in client.get(reverse("partnerships:cooperation_request")).text


def test_an_empty_request_gets_a_message_not_an_error(client, users):
    client.force_login(users["authority"])
    response = client.post(reverse("partnerships:cooperation_request"), {"purpose": "nonsense"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.text or "This field is required" in response.text


# --- Staff introduce, move, close ---------------------------------------------------------


def test_the_advisor_answers_a_request_with_an_introduction(client, users, office, sedhiou, association):
    request = CooperationRequestFactory(commune=sedhiou, looking_for="Une commune jumelle")
    client.force_login(users["advisor"])
    url = f"{reverse('partnerships:cooperation_create')}?request={request.pk}"
    assert "Une commune jumelle" in client.get(url).text
    response = client.post(url, {
        "commune": sedhiou.pk, "organisation": association.pk, "purpose": "twinning",
        "description": "Échange entre les maires.",
    })
    introduction = CooperationIntroduction.objects.get()
    assert response.status_code == 302 and response["Location"] == introduction.get_absolute_url()
    assert (introduction.office, introduction.request, introduction.introduced_by) == (office, request, users["advisor"])
    request.refresh_from_db()
    assert request.status == RequestStatus.INTRODUCED
    with pytest.raises(ValidationError):  # answered once
        services.cooperation_create(commune=sedhiou, organisation=OrganisationFactory(), introduced_by=users["advisor"],
                                    purpose="twinning", description="Encore", request=request)


def test_a_commune_is_introduced_only_to_an_association_or_a_foreign_authority(users, office, sedhiou):
    company = OrganisationFactory(kind=OrganisationKind.COMPANY)
    with pytest.raises(ValidationError):
        services.cooperation_create(commune=sedhiou, organisation=company, introduced_by=users["advisor"],
                                    purpose="investment", description="Non")


def test_staff_of_another_office_cannot_introduce_a_commune_of_sedhiou(client, users, sedhiou, association):
    with pytest.raises(PermissionDenied):
        services.cooperation_create(commune=sedhiou, organisation=association,
                                    introduced_by=users["other_office_advisor"], purpose="project", description="Non")
    client.force_login(users["other_office_advisor"])
    response = client.post(reverse("partnerships:cooperation_create"), {
        "commune": sedhiou.pk, "organisation": association.pk, "purpose": "project", "description": "Non",
    })
    assert response.status_code == 200 and not CooperationIntroduction.objects.exists()


def test_one_open_introduction_per_commune_and_organisation(users, introduction, sedhiou, association):
    with pytest.raises(ValidationError, match="already has an open introduction|déjà une mise en relation"):
        services.cooperation_create(commune=sedhiou, organisation=association, introduced_by=users["advisor"],
                                    purpose="twinning", description="Encore")


def test_a_past_follow_up_date_is_refused_with_a_message(client, users, sedhiou, association):
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:cooperation_create"), {
        "commune": sedhiou.pk, "organisation": association.pk, "purpose": "project", "description": "Forage",
        "follow_up_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    })
    assert response.status_code == 200 and not CooperationIntroduction.objects.exists()
    assert "cannot be in the past" in response.text or "ne peut pas être passée" in response.text


def test_moves_follow_the_workflow_and_the_history_names_who_moved(client, users, introduction):
    client.force_login(users["admin"])
    move = reverse("partnerships:cooperation_move", args=[introduction.pk])
    client.post(move, {"status": "accepted", "outcome": "Rendez-vous pris"})
    introduction.refresh_from_db()
    assert introduction.status == CooperationStatus.ACCEPTED and introduction.outcome == "Rendez-vous pris"
    assert introduction.history.first().history_user == users["admin"]
    response = client.post(move, {"status": "proposed"}, follow=True)  # not a move of the workflow
    introduction.refresh_from_db()
    assert introduction.status == CooperationStatus.ACCEPTED
    assert "cannot go from" in response.text or "ne peut pas passer" in response.text
    page = client.get(introduction.get_absolute_url()).text
    history = re.search(r'data-testid="cooperation-history".*?</section>', page, re.S).group(0)
    assert str(users["admin"]) in history and str(users["advisor"]) in history


def test_a_final_move_ends_the_follow_up(users, introduction):
    services.cooperation_move(introduction=introduction, moved_by=users["advisor"], status="accepted",
                              follow_up_on=timezone.localdate() + timedelta(days=3))
    done = services.cooperation_move(introduction=introduction, moved_by=users["advisor"], status="completed")
    assert done.follow_up_on is None


def test_closing_a_request_needs_a_reason_the_authority_reads(client, users, sedhiou):
    request = CooperationRequestFactory(commune=sedhiou, looking_for="Un partenaire numérique")
    client.force_login(users["advisor"])
    close = reverse("partnerships:cooperation_request_close", args=[request.pk])
    client.post(close, {"answer": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    client.post(close, {"answer": "Aucune association ne travaille dans le numérique."})
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    client.force_login(users["authority"])
    assert "Aucune association ne travaille dans le numérique." in client.get(LIST).text


def test_the_authority_sees_its_introductions_without_a_move_form(client, users, introduction):
    client.force_login(users["authority"])
    assert "Amic de Sedhiou Kandeemaa" in client.get(LIST).text
    page = client.get(introduction.get_absolute_url()).text
    assert 'data-testid="cooperation-move"' not in page


def test_a_foreign_local_authority_needs_its_country(db):
    with pytest.raises(ValidationError):
        OrganisationFactory(name="Ville sans pays", kind=OrganisationKind.FOREIGN_LOCAL_AUTHORITY, country="")
    assert OrganisationFactory(name="Ajuntament", kind=OrganisationKind.FOREIGN_LOCAL_AUTHORITY, country="ES").pk


# --- Reminders ----------------------------------------------------------------------------


def test_follow_ups_and_waiting_requests_join_the_reminders(users, office, introduction, sedhiou):
    today = timezone.localdate()
    CooperationIntroduction.objects.filter(pk=introduction.pk).update(follow_up_on=today)
    request = CooperationRequestFactory(commune=sedhiou)
    CooperationRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=2))
    advisor_items = [item.object_key for item in due_items(today=today, office=office, recipient=users["advisor"])]
    admin_items = [item.object_key for item in due_items(today=today, office=office, recipient=users["admin"])]
    assert f"partnerships.cooperation:{introduction.pk}:{today.isoformat()}" in advisor_items
    assert f"partnerships.cooperation_request:{request.pk}" in admin_items
    assert not [key for key in advisor_items if "cooperation_request" in key]


# --- Query counts -------------------------------------------------------------------------


def _rows(sedhiou, users):
    def make_rows(count):
        for _ in range(count):
            CooperationIntroductionFactory(commune=sedhiou, introduced_by=users["advisor"])
            CooperationRequestFactory(commune=sedhiou, requested_by=users["authority"])
    return make_rows


def test_the_staff_list_costs_the_same_at_2_and_20_rows(client, users, office, sedhiou):
    client.force_login(users["advisor"])
    response = assert_constant_queries(client, LIST, make_rows=_rows(sedhiou, users))
    assert response.text.count('data-testid="cooperation"') == 20


def test_the_authority_list_costs_the_same_at_2_and_20_rows(client, users, office, sedhiou):
    client.force_login(users["authority"])
    response = assert_constant_queries(client, LIST, make_rows=_rows(sedhiou, users))
    assert response.text.count('data-testid="cooperation-request-item"') == 20


# --- The public commune profile -----------------------------------------------------------


def _cells(html, key):
    table = re.search(rf'data-table="{key}".*?</table>', html, re.S).group(0)
    return [cell.strip() for cell in re.findall(r"<td[^>]*data-cell[^>]*>(.*?)</td>", table, flags=re.S)]


def test_the_profile_counts_introductions_perturbed_and_names_public_completed_partners(client, users, office,
                                                                                     sedhiou, introduction):
    hidden = OrganisationFactory(name="Ville jumelle non publiée", kind=OrganisationKind.FOREIGN_LOCAL_AUTHORITY,
                                 country="ES", is_published=False)
    twin = CooperationIntroductionFactory(commune=sedhiou, organisation=hidden, purpose=CooperationPurpose.TWINNING,
                                          status=CooperationStatus.COMPLETED)
    services.cooperation_move(introduction=introduction, moved_by=users["advisor"], status="accepted")
    services.cooperation_move(introduction=introduction, moved_by=users["advisor"], status="completed")
    ongoing = CooperationIntroductionFactory(commune=sedhiou, organisation=OrganisationFactory(name="Encore ouverte",
                                                                                               is_published=True))
    html = client.get(PROFILE).text

    partners = re.search(r'data-testid="profile-cooperation".*?</section>', html, re.S).group(0)
    assert "Amic de Sedhiou Kandeemaa" in partners  # completed, published
    assert "Ville jumelle non publiée" not in partners and "Encore ouverte" not in partners
    # Counts of one or two records: perturbed like every published figure, never the raw small count.
    cells = _cells(html, "cooperation")
    assert cells and not {"1", "2"} & set(cells)
    assert twin.pk and ongoing.pk


def test_the_profile_reads_the_introductions_in_a_constant_number_of_queries(client, users, office, sedhiou):
    response = assert_constant_queries(client, PROFILE, make_rows=_rows(sedhiou, users))
    assert 'data-table="cooperation"' in response.text


def test_the_profile_figures_are_those_of_the_perturbation(db, office, sedhiou):
    from hom.reports.selectors.public import cooperation_introductions

    for _ in range(12):
        CooperationIntroductionFactory(commune=sedhiou, purpose=CooperationPurpose.TWINNING)
    table = cooperation_introductions(sedhiou)
    row = list(CooperationPurpose.values).index("twinning")
    assert table.body[row][0] == 12
    assert table.perturbed and table.keys[row][0] == sum(
        CooperationIntroduction.objects.values_list("record_key", flat=True))
    assert Organisation.objects.count() == 12


def test_the_directory_form_asks_a_foreign_local_authority_for_its_country(client, users):
    client.force_login(users["admin"])
    data = {"name": "Ajuntament de Sabadell", "kind": "foreign_authority", "relation": "known", "source": "referral"}
    response = client.post(reverse("partnerships:create"), data)
    assert response.status_code == 200 and not Organisation.objects.exists()
    assert "needs its country" in response.text or "doit avoir son pays" in response.text
    response = client.post(reverse("partnerships:create"), {**data, "country": "ES", "city": "Sabadell"})
    assert response.status_code == 302
    assert Organisation.objects.get().get_kind_display() in ("Collectivité territoriale étrangère",
                                                              "Foreign local authority")
