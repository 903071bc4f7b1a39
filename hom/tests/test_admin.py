"""The Django admin: national admins see everything, office admins the reference data."""
from django.urls import reverse


def test_the_national_admin_opens_the_admin_and_the_office_list(client, users):
    client.force_login(users["superuser"])

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_office_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200


def test_an_office_admin_edits_sectors_but_not_users(client, users):
    client.force_login(users["admin"])

    assert client.get(reverse("admin:territories_sector_changelist")).status_code == 200
    assert client.get(reverse("admin:territories_needcategory_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_advisors_have_no_admin(client, users):
    client.force_login(users["advisor"])

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
