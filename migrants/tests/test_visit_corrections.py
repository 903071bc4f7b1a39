"""Correcting or removing a visit logged wrong (issue 24, part 5): who may, what the histories keep, reports follow."""
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.reports.models import VisitMonth
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from migrants.models import Visit

from .factories import MigrantFactory, VisitFactory

LOGGED_BY_ADVISOR = {
    "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
    "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
}


@pytest.fixture
def person(office):
    return MigrantFactory(office=office, first_name="Ousmane", last_name="Sagna")


@pytest.fixture
def visit(users, person):
    return VisitFactory(migrant=person, advisor=users["advisor"], notes="Venu pour un crédit",
                        occurred_at=timezone.make_aware(datetime(2026, 10, 14, 10, 0)))


def _correction(**changes):
    data = {"occurred_at": "2026-11-03T09:30", "channel": "office", "notes": "Venu pour une formation",
            "reason": "Mauvaise date saisie"}
    data.update(changes)
    return data


def test_the_advisor_corrects_the_date_and_both_histories_say_who_and_why(
    client, users, person, visit, django_capture_on_commit_callbacks
):
    client.force_login(users["advisor"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("migrants:visit_edit", args=[visit.pk]), _correction())

    assert response.status_code == 302
    visit.refresh_from_db()
    assert timezone.localtime(visit.occurred_at).strftime("%d/%m/%Y %H:%M") == "03/11/2026 09:30"
    assert visit.notes == "Venu pour une formation"
    latest = visit.history.first()
    assert (latest.history_user, latest.history_change_reason) == (users["advisor"], "Mauvaise date saisie")
    page = client.get(reverse("migrants:visit_edit", args=[visit.pk])).content.decode()
    assert "14/10/2026 10:00 → 03/11/2026 09:30" in page
    person_page = client.get(person.get_absolute_url()).content.decode()
    assert "Visite du 03/11/2026 corrigée" in person_page and "Mauvaise date saisie" in person_page
    # The reports follow: the visit left October's summary and is in November's.
    months = set(VisitMonth.objects.filter(migrant=person).values_list("month", flat=True))
    assert months == {datetime(2026, 11, 1).date()}


def test_a_visit_logged_on_the_wrong_person_moves_to_the_right_one(client, users, person, visit, office):
    right = MigrantFactory(office=office, first_name="Ousmane", last_name="Sagna", birth_year=1988)
    client.force_login(users["advisor"])

    client.post(reverse("migrants:visit_edit", args=[visit.pk]),
                _correction(move_to=right.file_number.lower(), reason="Homonyme"))

    visit.refresh_from_db()
    assert visit.migrant == right
    assert visit.person_key == right.record_key
    assert "déplacée vers" in client.get(person.get_absolute_url()).content.decode()
    assert "déplacée depuis" in client.get(right.get_absolute_url()).content.decode()


def test_a_visit_cannot_move_to_another_offices_person(client, users, visit, other_office):
    """The attacker names a file number of Kolda: refused as unknown, nothing moves."""
    kolda = MigrantFactory(office=other_office)
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:visit_edit", args=[visit.pk]), _correction(move_to=kolda.file_number))

    assert response.status_code == 200
    assert "Aucune personne de votre bureau" in response.content.decode()
    visit.refresh_from_db()
    assert visit.migrant != kolda and visit.notes == "Venu pour un crédit"


def test_a_correction_needs_a_reason_and_a_date_not_in_the_future(client, users, visit):
    client.force_login(users["advisor"])
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    no_reason = client.post(reverse("migrants:visit_edit", args=[visit.pk]), _correction(reason=""))
    in_future = client.post(reverse("migrants:visit_edit", args=[visit.pk]), _correction(occurred_at=future))

    assert no_reason.status_code == in_future.status_code == 200
    assert "Une visite ne peut pas être dans le futur" in in_future.content.decode()
    visit.refresh_from_db()
    assert visit.notes == "Venu pour un crédit"


def test_removing_a_visit_keeps_why_in_the_histories_and_the_reports_follow(
    client, users, person, visit, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("migrants:visit_remove", args=[visit.pk]), {"reason": "Saisie en double"})

    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()
    removal = Visit.history.filter(id=visit.pk).first()
    assert (removal.history_type, removal.history_user, removal.history_change_reason) == (
        "-", users["admin"], "Saisie en double")
    assert "Visite du 14/10/2026 supprimée\u00a0: Saisie en double" in client.get(person.get_absolute_url()).content.decode()
    assert not VisitMonth.objects.filter(migrant=person).exists()


def test_a_removal_without_a_reason_removes_nothing(client, users, visit):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:visit_remove", args=[visit.pk]), {"reason": " "})

    assert response.status_code == 200
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_the_correction_page_answers_each_role(client, users, visit):
    assert_access_matrix(client, reverse("migrants:visit_edit", args=[visit.pk]), LOGGED_BY_ADVISOR, users)


def test_the_removal_answers_each_role(client, users, person):
    """Each allowed role removes a visit (302); the others are refused and the visit they aim at stays."""
    removable = iter([VisitFactory(migrant=person, advisor=users["advisor"]) for _ in range(3)])
    kept = VisitFactory(migrant=person, advisor=users["advisor"])
    expected = {**LOGGED_BY_ADVISOR, "superuser": 302, "admin": 302, "advisor": 302}
    for role, status in expected.items():
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        target = next(removable) if status == 302 else kept
        response = client.post(reverse("migrants:visit_remove", args=[target.pk]), {"reason": "Erreur"})
        if status == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), role
        else:
            assert response.status_code == status, role
    assert list(Visit.objects.values_list("pk", flat=True)) == [kept.pk]


def test_another_advisor_of_the_office_may_not_correct_a_colleagues_visit(client, visit, office):
    colleague = UserFactory(role=Role.ADVISOR, office=office)
    client.force_login(colleague)

    assert client.get(reverse("migrants:visit_edit", args=[visit.pk])).status_code == 403
    assert client.post(reverse("migrants:visit_remove", args=[visit.pk]), {"reason": "x"}).status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_the_correction_page_query_count_does_not_grow_with_its_history(client, users, visit):
    client.force_login(users["advisor"])

    def corrections(count):
        for number in range(count):
            visit.notes = f"Correction {number}"
            visit._change_reason = f"Relecture {number}"
            visit.save()

    response = assert_constant_queries(client, reverse("migrants:visit_edit", args=[visit.pk]), make_rows=corrections)

    assert response.content.decode().count("Relecture") == 20


def test_only_who_may_correct_sees_the_link(client, users, person, visit, office):
    client.force_login(users["advisor"])
    assert 'data-testid="correct-visit"' in client.get(person.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role=Role.ADVISOR, office=office))
    assert 'data-testid="correct-visit"' not in client.get(person.get_absolute_url()).content.decode()
