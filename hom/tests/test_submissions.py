"""Double submits: a create form sent twice creates one row (hom.submissions)."""
import uuid

import pytest
from django.urls import reverse

from hom.submissions.models import FormSubmission
from hom.submissions.services import FIELD_NAME, submissions_purge
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory
from projects.models import ProjectDossier


def _key():
    return uuid.uuid4().hex


def test_the_same_registration_posted_twice_registers_one_person(client, users):
    client.force_login(users["advisor"])
    data = {
        "first_name": "Awa", "last_name": "Sagna", "situation": "returned", "consent_processing": "on",
        FIELD_NAME: _key(),
    }

    first = client.post(reverse("migrants:create"), data)
    second = client.post(reverse("migrants:create"), data)

    assert Migrant.objects.filter(last_name="Sagna").count() == 1
    person = Migrant.objects.get(last_name="Sagna")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == person.get_absolute_url()


def test_the_creation_page_carries_a_fresh_key_each_time(client, users):
    client.force_login(users["advisor"])

    pages = [client.get(reverse("migrants:create")).content.decode() for _ in range(2)]

    keys = [page.split(f'name="{FIELD_NAME}" value="')[1].split('"')[0] for page in pages]
    assert keys[0] != keys[1]


def test_two_forms_with_two_keys_register_two_persons_after_the_duplicate_check(client, users):
    client.force_login(users["advisor"])
    base = {"first_name": "Awa", "last_name": "Sagna", "situation": "returned", "consent_processing": "on"}

    client.post(reverse("migrants:create"), base | {FIELD_NAME: _key()})
    client.post(reverse("migrants:create"), base | {FIELD_NAME: _key(), "not_a_duplicate": "on"})

    assert Migrant.objects.filter(last_name="Sagna").count() == 2


def test_a_refused_form_keeps_its_key_usable_once_corrected(client, users):
    client.force_login(users["advisor"])
    key = _key()
    data = {"first_name": "Awa", "last_name": "Sagna", "situation": "returned", "consent_processing": "on"}

    refused = client.post(reverse("migrants:create"), data | {"birth_year": "1850", FIELD_NAME: key})
    accepted = client.post(reverse("migrants:create"), data | {"birth_year": "1990", FIELD_NAME: key})

    assert refused.status_code == 200
    assert accepted.status_code == 302
    assert Migrant.objects.filter(last_name="Sagna").count() == 1


def test_another_user_replaying_the_key_gets_no_one_elses_result(client, users):
    key = _key()
    data = {"first_name": "Awa", "last_name": "Sagna", "situation": "returned", "consent_processing": "on"}
    client.force_login(users["advisor"])
    client.post(reverse("migrants:create"), data | {FIELD_NAME: key})
    client.force_login(users["other_office_advisor"])

    response = client.post(reverse("migrants:create"), data | {FIELD_NAME: key})

    assert Migrant.objects.filter(last_name="Sagna").count() == 2
    assert response["Location"] != Migrant.objects.filter(last_name="Sagna").order_by("pk").first().get_absolute_url()


def test_the_same_dossier_posted_twice_opens_one_dossier(client, users, office):
    MigrantFactory(office=office, user=users["migrant"])
    client.force_login(users["migrant"])
    data = {"title": "Boutique de quartier", "kind": "individual", "stage": "idea", FIELD_NAME: _key()}

    first = client.post(reverse("projects:create"), data)
    second = client.post(reverse("projects:create"), data)

    assert ProjectDossier.objects.filter(title="Boutique de quartier").count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_walk_in_posted_twice_is_counted_once(client, users, office):
    from migrants.models import Visit

    client.force_login(users["advisor"])
    data = {"sex": "F", "age_group": "25_34", FIELD_NAME: _key()}

    client.post(reverse("migrants:walk_in_create"), data)
    client.post(reverse("migrants:walk_in_create"), data)

    assert Visit.objects.filter(migrant__isnull=True, office=office).count() == 1


def test_old_keys_are_forgotten(client, users, django_user_model):
    from datetime import timedelta

    from django.utils import timezone

    old = FormSubmission.objects.create(user=users["advisor"], key=_key(), result_url="/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    recent = FormSubmission.objects.create(user=users["advisor"], key=_key(), result_url="/")

    assert submissions_purge() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.postgresql(reason="concurrency is real only on PostgreSQL")
def test_two_simultaneous_posts_of_one_form_create_one_person(
    transactional_db, django_db_serialized_rollback, reference_data, users
):
    """On PostgreSQL the twin waits on the key's unique index (SQLite serialises writes anyway)."""
    import threading

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is real only on PostgreSQL")
    data = {
        "first_name": "Awa", "last_name": "Sagna", "situation": "returned", "consent_processing": "on",
        FIELD_NAME: _key(),
    }
    answers = []

    def post():
        client = Client()
        client.force_login(users["advisor"])
        answers.append(client.post(reverse("migrants:create"), data)["Location"])
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Migrant.objects.filter(last_name="Sagna").count() == 1
    assert len(set(answers)) == 1
