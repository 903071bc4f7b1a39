"""Clumsy hands on the registry: dates out of range, empty walk-ins, search names (issue 14)."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role, User
from migrants import services
from migrants.models import Migrant, Visit
from migrants.tests.factories import MigrantFactory


@pytest.fixture
def person(office):
    return MigrantFactory(office=office)


@pytest.mark.parametrize("when", ["2031-03-02T10:00", "1901-03-02T10:00"])
def test_a_visit_dated_in_the_future_or_before_the_office_is_refused_on_its_field(client, users, person, when):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:visit_create", args=[person.pk]), {"occurred_at": when, "channel": "office"})

    assert response.status_code == 200
    assert "occurred_at" in response.context["form"].errors
    assert not Visit.objects.filter(migrant=person).exists()


def test_the_service_refuses_a_future_visit_too(users, person):
    with pytest.raises(ValidationError) as refusal:
        services.visit_record(migrant=person, advisor=users["advisor"], occurred_at=timezone.now() + timedelta(days=2))

    assert "occurred_at" in refusal.value.error_dict


def test_a_visit_of_today_and_one_of_2005_are_accepted(users, person):
    services.visit_record(migrant=person, advisor=users["advisor"])
    services.visit_record(migrant=person, advisor=users["advisor"], occurred_at=timezone.now().replace(year=2005))

    assert Visit.objects.filter(migrant=person).count() == 2


@pytest.mark.parametrize(
    ("field", "value"), [("birth_year", 1850), ("birth_year", 2090), ("departure_year", 1800), ("return_year", 3000)]
)
def test_years_of_a_life_out_of_range_are_refused_by_the_service(users, person, field, value):
    with pytest.raises(ValidationError) as refusal:
        services.migrant_update(migrant=person, changed_by=users["advisor"], **{field: value})

    assert field in refusal.value.error_dict


def test_a_birth_date_in_the_future_is_refused_on_the_edit_form(client, users, person):
    client.force_login(users["advisor"])
    data = {"first_name": person.first_name, "last_name": person.last_name, "situation": "returned",
            "birth_date": (timezone.localdate() + timedelta(days=30)).isoformat()}

    response = client.post(reverse("migrants:edit", args=[person.pk]), data)

    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors


def test_an_empty_walk_in_is_refused_with_a_message_and_not_counted(client, users, office):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:walk_in_create"), {"commune": "", "sex": "", "age_group": ""})

    assert response.status_code == 200
    assert "un passage vide n’est pas compté" in response.content.decode()
    assert not Visit.objects.filter(office=office, migrant__isnull=True).exists()


def test_the_walk_in_service_refuses_an_empty_count(users, office):
    with pytest.raises(ValidationError):
        services.walk_in_record(office=office, advisor=users["advisor"])


def test_a_person_created_outside_the_service_is_found_by_name(client, users, office):
    Migrant.objects.create(office=office, file_number="TST-X-1", first_name="Néné", last_name="Mané",
                           situation="returned")
    client.force_login(users["advisor"])

    response = client.get(reverse("migrants:list"), {"q": "nene mane"})

    assert "TST-X-1" in response.content.decode()


def test_a_rename_saved_with_update_fields_keeps_the_search_name(office):
    person = Migrant.objects.create(office=office, file_number="TST-X-2", first_name="Awa", last_name="Sagna")
    person.last_name = "Diédhiou"
    person.save(update_fields=["last_name"])

    person.refresh_from_db()
    assert person.search_name == "awa diedhiou"


def test_a_demo_person_created_by_the_dossiers_demo_is_found_by_name(client, db):
    from hom.accounts.demo import seed as seed_accounts
    from projects.demo import seed as seed_dossiers

    seed_accounts()
    seed_dossiers()
    advisor = User.objects.filter(office__code="SED", role=Role.ADVISOR).order_by("pk").first()
    badji = Migrant.objects.get(user__email="awa.badji@demo.projets.hom")
    client.force_login(advisor)

    response = client.get(reverse("migrants:list"), {"q": "Badji"})

    assert badji.search_name == "awa badji"
    assert badji.file_number in response.content.decode()
