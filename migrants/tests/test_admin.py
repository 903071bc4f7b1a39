"""The registry in the Django admin: the national admin reads, nobody writes there."""
from django.urls import reverse

from migrants.tests.factories import MigrantFactory, VisitFactory


def test_the_national_admin_reads_persons_and_visits_without_editing(client, users, office):
    migrant = MigrantFactory(office=office)
    visit = VisitFactory(migrant=migrant)
    client.force_login(users["superuser"])

    assert client.get(reverse("admin:migrants_migrant_changelist"), {"q": migrant.file_number}).status_code == 200
    assert client.get(reverse("admin:migrants_migrant_change", args=[migrant.pk])).status_code == 200
    assert client.get(reverse("admin:migrants_migrant_history", args=[migrant.pk])).status_code == 200
    assert client.get(reverse("admin:migrants_visit_change", args=[visit.pk])).status_code == 200
    assert client.get(reverse("admin:migrants_linkrequest_changelist")).status_code == 200
    assert client.get(reverse("admin:migrants_migrantimport_changelist")).status_code == 200
    assert client.get(reverse("admin:migrants_migrant_add")).status_code == 403


def test_office_admins_do_not_see_persons_in_the_admin(client, users, office):
    client.force_login(users["admin"])

    assert client.get(reverse("admin:migrants_migrant_changelist")).status_code == 403
