"""Retention (issue 15): persons with no contact for RETENTION_NO_CONTACT_DAYS and no open dossier are erased nightly."""
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from migrants import selectors, services, tasks
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

DAKAR = ZoneInfo("Africa/Dakar")
LONG_AGO = datetime(2019, 3, 1, 10, tzinfo=DAKAR)
NOW = datetime(2026, 6, 1, 10, tzinfo=DAKAR)  # the rule's cutoff: five years (1825 days) before, 2021-06-02


@pytest.fixture(autouse=True)
def _five_years(settings):
    settings.RETENTION_NO_CONTACT_DAYS = 5 * 365


@pytest.fixture
def persons(office, other_office, users):
    """Every case of the rule, by name: who is due and who is not."""
    silent = MigrantFactory(office=office, last_name="Silent", created_at=LONG_AGO)
    silent_elsewhere = MigrantFactory(office=other_office, last_name="Elsewhere", created_at=LONG_AGO)
    recent = MigrantFactory(office=office, last_name="Recent", created_at=datetime(2022, 1, 5, tzinfo=DAKAR))
    visited = MigrantFactory(office=office, last_name="Visited", created_at=LONG_AGO)
    VisitFactory(migrant=visited, office=office, occurred_at=datetime(2023, 2, 1, 9, tzinfo=DAKAR))
    old_visit = MigrantFactory(office=office, last_name="OldVisit", created_at=LONG_AGO)
    VisitFactory(migrant=old_visit, office=office, occurred_at=datetime(2020, 2, 1, 9, tzinfo=DAKAR))
    logged_in = MigrantFactory(office=office, last_name="LoggedIn", created_at=LONG_AGO, user=users["migrant"])
    users["migrant"].last_login = datetime(2025, 1, 1, tzinfo=DAKAR)
    users["migrant"].save(update_fields=["last_login"])
    open_dossier = MigrantFactory(office=office, last_name="OpenDossier", created_at=LONG_AGO)
    DossierFactory(promoter=open_dossier, status=DossierStatus.IN_REVIEW, submitted_at=LONG_AGO)
    closed_dossier = MigrantFactory(office=office, last_name="ClosedDossier", created_at=LONG_AGO)
    DossierFactory(promoter=closed_dossier, status=DossierStatus.CLOSED, submitted_at=LONG_AGO)
    already = MigrantFactory(office=office, last_name="Already", created_at=LONG_AGO, erased_at=LONG_AGO)
    return {
        "due": {silent, silent_elsewhere, old_visit, closed_dossier},
        "kept": {recent, visited, logged_in, open_dossier, already},
    }


def test_the_rule_selects_exactly_the_silent_persons_without_an_open_dossier(persons):
    with time_machine.travel(NOW):
        assert set(selectors.retention_due()) == persons["due"]


def test_the_dry_run_page_lists_exactly_what_the_next_run_erases_in_the_admins_scope(client, users, persons, other_office):
    client.force_login(users["admin"])
    with time_machine.travel(NOW):
        office_page = client.get(reverse("migrants:retention"))
        client.force_login(users["superuser"])
        national_page = client.get(reverse("migrants:retention"))

    assert set(office_page.context["page"].object_list) == {m for m in persons["due"] if m.office_id != other_office.pk}
    assert set(national_page.context["page"].object_list) == persons["due"]
    html = office_page.content.decode()
    for kept in persons["kept"]:
        assert kept.file_number not in html


def test_the_nightly_run_erases_them_and_nobody_else(persons):
    with time_machine.travel(NOW):
        result = tasks.retention_erase.delay().get()

    assert sorted(result["erased"]) == sorted(m.pk for m in persons["due"])
    assert set(Migrant.objects.filter(erased_at__isnull=False)) == persons["due"] | {
        m for m in persons["kept"] if m.last_name == "Already"
    }
    for migrant in persons["due"]:
        migrant.refresh_from_db()
        assert migrant.is_erased and "Silent" not in str(migrant) and migrant.phone in ("", None)
    with time_machine.travel(NOW):
        assert not selectors.retention_due().exists()


def test_a_failing_erasure_keeps_the_others_going_and_the_person_due_for_tomorrow(persons, monkeypatch):
    """Fault: one person's erasure breaks; the others are erased, that one stays due and nothing half-done."""
    broken = next(iter(persons["due"]))
    real_erase = services.migrant_erase

    def erase(*, migrant, erased_by):
        if migrant.pk == broken.pk:
            real_erase(migrant=migrant, erased_by=erased_by)
            raise RuntimeError("storage unavailable")
        return real_erase(migrant=migrant, erased_by=erased_by)

    monkeypatch.setattr(services, "migrant_erase", erase)
    with time_machine.travel(NOW):
        result = services.retention_erase()

    assert result["failed"] == [broken.pk]
    assert len(result["erased"]) == len(persons["due"]) - 1
    broken.refresh_from_db()
    assert not broken.is_erased and broken.last_name  # rolled back whole
    with time_machine.travel(NOW):
        assert list(selectors.retention_due()) == [broken]


def test_the_command_dry_run_lists_and_erases_nothing(persons):
    out = StringIO()
    with time_machine.travel(NOW):
        call_command("retention_erase", "--dry-run", stdout=out)

    listed = {line.split("\t")[0] for line in out.getvalue().splitlines() if "\t" in line}
    assert listed == {m.file_number for m in persons["due"]}
    assert not Migrant.objects.filter(pk__in=[m.pk for m in persons["due"]], erased_at__isnull=False).exists()


def test_the_rule_switched_off_erases_nobody(settings, client, users, persons):
    settings.RETENTION_NO_CONTACT_DAYS = 0
    client.force_login(users["admin"])
    with time_machine.travel(NOW):
        assert services.retention_erase() == {"erased": [], "failed": []}
        assert 'data-testid="retention-off"' in client.get(reverse("migrants:retention")).content.decode()


def test_the_nightly_run_is_scheduled_by_beat():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(task="migrants.tasks.retention_erase").enabled


def test_the_dry_run_page_is_for_admins(client, users):
    expected = {
        "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 403, "other_office_advisor": 403,
        "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
    }
    assert_access_matrix(client, reverse("migrants:retention"), expected, users)


def test_the_dry_run_page_query_count_is_constant(client, users, office):
    client.force_login(users["admin"])

    def make_rows(count):
        for _index in range(count):
            MigrantFactory(office=office, created_at=timezone.now() - timedelta(days=6 * 365))

    response = assert_constant_queries(client, reverse("migrants:retention"), make_rows=make_rows)
    assert response.context["page"].paginator.count == 20
