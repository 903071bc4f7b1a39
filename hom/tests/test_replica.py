"""With a read replica configured, the reports and exports read it and nothing ever writes to it (hom/replica.py).

The suite's ``replica`` alias is a second connection to the test database (pytest.ini:
``REPLICA_DATABASE_URL=primary``), so each connection's statements can be told apart; these tests
commit their data (transactional) so that the second connection sees it, and turn the routing on.
"""
import re
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Office
from hom.replica import REPLICA, ReplicaRouter, replica_reads
from hom.territories.models import Commune, Region
from migrants.models import AccessAction, Migrant, PersonAccess
from migrants.tests.factories import MigrantFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _reference(reference_data):
    """Before the offices and users: a transactional test before this one emptied the reference tables."""


@pytest.fixture
def replica_on(settings):
    settings.REPLICA_READS = True


@pytest.fixture
def sedhiou_people(users, office):
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    people = [MigrantFactory(office=office, commune_of_origin=sedhiou, last_name=f"Badji{index}") for index in range(6)]
    for person in people:
        VisitFactory(migrant=person, occurred_at=timezone.now() - timedelta(days=3))
    return people


class Statements:
    """The statements each connection ran while the block ran."""

    def __enter__(self):
        self._contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", REPLICA)}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self._contexts.values():
            context.__exit__(*exc)

    def sql(self, alias) -> list[str]:
        return [query["sql"] for query in self._contexts[alias].captured_queries]

    def writes(self, alias) -> list[str]:
        return [sql for sql in self.sql(alias) if WRITE.match(sql)]

    def reading(self, alias, table) -> list[str]:
        # A plain SELECT, or one through a server-side cursor (PostgreSQL's DECLARE ... FOR SELECT).
        return [sql for sql in self.sql(alias) if not WRITE.match(sql) and "SELECT" in sql and f'"{table}"' in sql]


def test_the_authoritys_report_and_its_export_read_the_replica_and_log_on_the_primary(
    client, users, sedhiou_people, replica_on
):
    client.force_login(users["authority"])
    with Statements() as statements:
        page = client.get(reverse("reports:report", args=["commune", "SN1103_SEDHIOU"]))
        export = client.get(reverse("reports:export", args=["commune", "SN1103_SEDHIOU", "csv"]))
    assert page.status_code == 200 and export.status_code == 200
    assert statements.reading(REPLICA, "migrants_visit") and statements.reading(REPLICA, "migrants_migrant")
    assert not statements.reading("default", "migrants_visit") and not statements.reading("default", "migrants_migrant")
    assert statements.writes(REPLICA) == []
    # The export is logged, on the primary.
    assert any("migrants_personaccess" in sql for sql in statements.writes("default"))
    assert PersonAccess.objects.filter(user=users["authority"], action=AccessAction.EXPORT).count() == 1


def test_the_registrys_streamed_export_reads_its_rows_from_the_replica(client, users, sedhiou_people, replica_on):
    client.force_login(users["admin"])
    with Statements() as statements:
        response = client.get(reverse("migrants:export_csv"))
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert all(person.last_name in body for person in sedhiou_people)
    # The rows are read while the body streams, after the view has returned: still from the replica.
    assert statements.reading(REPLICA, "migrants_migrant")
    assert not statements.reading("default", "migrants_migrant")
    assert statements.writes(REPLICA) == [] and statements.writes("default")  # the access log


def test_the_public_profile_reads_the_replica(client, sedhiou_people, replica_on):
    with Statements() as statements:
        assert client.get(reverse("communes:profile", args=["SN1103_SEDHIOU"])).status_code == 200
    assert statements.reading(REPLICA, "migrants_migrant") and statements.writes(REPLICA) == []


def test_other_pages_read_the_primary_and_writes_never_go_to_the_replica(client, users, sedhiou_people, replica_on):
    client.force_login(users["advisor"])
    region = Region.objects.exclude(pk__in=Office.objects.values("region")).order_by("code").first()
    with Statements() as statements:
        assert client.get(sedhiou_people[0].get_absolute_url()).status_code == 200
        with replica_reads():
            # Inside the replica's scope all the same: a write, and a read that locks (it precedes a write).
            Office.objects.create(code="ZIG", name="Bureau de Ziguinchor", region=region)
            with transaction.atomic():
                list(Migrant.objects.select_for_update().filter(pk=sedhiou_people[0].pk))
    assert statements.sql(REPLICA) == []
    assert Office.objects.filter(code="ZIG").exists()


def test_without_the_routing_the_reports_read_the_primary(client, users, sedhiou_people, settings):
    settings.REPLICA_READS = False
    client.force_login(users["authority"])
    with Statements() as statements:
        assert client.get(reverse("reports:report", args=["commune", "SN1103_SEDHIOU"])).status_code == 200
    assert statements.sql(REPLICA) == [] and statements.reading("default", "migrants_visit")


def test_the_router_migrates_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "migrants") and not router.allow_migrate(REPLICA, "migrants")
    with replica_reads():
        assert router.db_for_write(Migrant) == "default"
