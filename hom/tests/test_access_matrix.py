"""The foundation's own pages in the access matrix, and the dashboards' query counts."""
import pytest
from django.urls import reverse

from hom.accounts.tests.factories import OfficeFactory
from hom.territories.models import Commune, Region
from hom.testing.access import LOGIN, ROLES, assert_access_matrix
from hom.testing.queries import assert_constant_queries

EVERYONE = {role: 200 for role in ROLES}
LOGGED_IN = {**EVERYONE, "anonymous": LOGIN}
ANONYMOUS_ONLY = {role: 302 for role in ROLES} | {"anonymous": 200}


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("home", EVERYONE),
        ("healthz", EVERYONE),
        ("login", ANONYMOUS_ONLY),
        ("password_reset", EVERYONE),
        ("password_reset_done", EVERYONE),
        ("password_reset_complete", EVERYONE),
        ("password_change", LOGGED_IN),
        ("password_change_done", LOGGED_IN),
    ],
)
def test_foundation_pages_answer_each_role(client, users, url_name, expected):
    assert_access_matrix(client, reverse(url_name), expected, users)


def test_logout_only_accepts_post(client, users):
    client.force_login(users["advisor"])

    assert client.get(reverse("logout")).status_code == 405


def test_the_national_dashboard_query_count_does_not_grow_with_offices(client, users):
    client.force_login(users["superuser"])
    # Senegal has 14 regions, so one office each: 4 offices, then all 14.
    free_regions = list(Region.objects.exclude(code__in=["SN11", "SN07"]).order_by("code"))

    def make_offices(count):
        for _ in range(min(count, len(free_regions))):
            OfficeFactory(region=free_regions.pop())

    response = assert_constant_queries(client, reverse("home"), make_rows=make_offices)

    assert response.content.decode().count("<li>") >= 14


def test_the_authority_dashboard_query_count_does_not_grow_with_communes(client, users):
    authority = users["authority"]
    client.force_login(authority)
    communes = iter(Commune.objects.exclude(code="SN1103_SEDHIOU").order_by("code"))

    def attach_communes(count):
        authority.communes.add(*[next(communes) for _ in range(count)])

    response = assert_constant_queries(client, reverse("home"), make_rows=attach_communes)

    assert response.content.decode().count("<li>") == 21
