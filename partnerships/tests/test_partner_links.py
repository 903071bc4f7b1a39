"""Who links partner accounts to an organisation (issue 14): an admin's decision, in a service, in the history."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from partnerships import services
from partnerships.models import Organisation

from .convention_factories import ConventionPartyFactory
from .factories import OrganisationFactory

EDIT_DATA = {"kind": "diaspora", "country": "ES", "city": "Sabadell", "relation": "known", "source": "census"}


@pytest.fixture
def outsider_partner(db):
    return UserFactory(role=Role.PARTNER, email="intrus@example.sn")


@pytest.fixture
def our_organisation(office):
    """An organisation party to a convention of the `admin`'s office (Sédhiou), none of Kolda's."""
    return ConventionPartyFactory(convention__office=office, organisation__name="Grdr").organisation


@pytest.mark.parametrize("attacker", ["advisor", "other_office_advisor", "admin"])
def test_posting_partner_users_to_the_edit_form_links_nobody(client, users, our_organisation, outsider_partner, attacker):
    other = OrganisationFactory(name="Kandeemaa")  # party to no convention of any office
    client.force_login(users[attacker])

    for organisation in (our_organisation, other):
        response = client.post(reverse("partnerships:edit", args=[organisation.pk]), {
            **EDIT_DATA, "name": organisation.name, "partner_users": [outsider_partner.pk],
        })
        assert response.status_code == 302

    assert not Organisation.objects.filter(partner_users=outsider_partner).exists()


@pytest.mark.parametrize("attacker", ["advisor", "other_office_advisor"])
def test_an_advisor_cannot_open_or_post_the_link_page(client, users, our_organisation, outsider_partner, attacker):
    client.force_login(users[attacker])
    url = reverse("partnerships:partners", args=[our_organisation.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"partner": outsider_partner.pk, "action": "link"}).status_code == 403
    assert not our_organisation.partner_users.exists()


def test_an_admin_of_another_office_cannot_link_to_our_organisation(client, users, our_organisation, outsider_partner,
                                                                    other_office):
    kolda_admin = UserFactory(role=Role.ADMIN, office=other_office, is_staff=True)
    client.force_login(kolda_admin)
    url = reverse("partnerships:partners", args=[our_organisation.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"partner": outsider_partner.pk, "action": "link"}).status_code == 403
    assert not our_organisation.partner_users.exists()
    with pytest.raises(PermissionDenied):
        services.organisation_partner_link(organisation=our_organisation, partner=outsider_partner, linked_by=kolda_admin)


def test_who_opens_the_link_page(client, users, our_organisation):
    expected = {
        "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 403, "other_office_advisor": 403,
        "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
    }
    assert_access_matrix(client, reverse("partnerships:partners", args=[our_organisation.pk]), expected, users)
    # An organisation outside the admin's conventions is the national admin's.
    elsewhere = OrganisationFactory(name="Kandeemaa")
    assert_access_matrix(
        client, reverse("partnerships:partners", args=[elsewhere.pk]), {**expected, "admin": 403}, users
    )


def test_an_office_admin_links_and_unlinks_a_partner_and_the_history_says_who(client, users, our_organisation,
                                                                             outsider_partner):
    client.force_login(users["admin"])
    url = reverse("partnerships:partners", args=[our_organisation.pk])

    linked = client.post(url, {"partner": outsider_partner.pk, "action": "link"})
    page = client.get(url).content.decode()
    linked_now = list(our_organisation.partner_users.all())
    client.post(url, {"partner": outsider_partner.pk, "action": "unlink"})

    assert linked.status_code == 302 and linked_now == [outsider_partner]
    assert "intrus@example.sn" in page
    assert not our_organisation.partner_users.exists()
    changes = list(our_organisation.history.filter(history_type="~").order_by("history_date"))
    assert [change.history_user for change in changes] == [users["admin"], users["admin"]]
    assert [list(change.partner_users.values_list("user_id", flat=True)) for change in changes] == [
        [outsider_partner.pk], [],
    ]


def test_the_national_admin_links_a_partner_to_any_organisation(users, outsider_partner):
    organisation = OrganisationFactory(name="Kandeemaa")

    services.organisation_partner_link(organisation=organisation, partner=outsider_partner, linked_by=users["superuser"])

    assert list(organisation.partner_users.all()) == [outsider_partner]


def test_only_a_partner_account_can_be_linked(users, our_organisation):
    with pytest.raises(ValidationError) as error:
        services.organisation_partner_link(organisation=our_organisation, partner=users["advisor"], linked_by=users["admin"])

    assert "partner" in error.value.message_dict
    assert not our_organisation.partner_users.exists()


def test_linking_a_staff_account_through_the_page_says_why(client, users, our_organisation):
    client.force_login(users["admin"])

    response = client.post(reverse("partnerships:partners", args=[our_organisation.pk]),
                           {"partner": users["advisor"].pk, "action": "link"})

    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert not our_organisation.partner_users.exists()


def test_the_link_page_query_count_does_not_grow_with_linked_accounts(client, users, our_organisation):
    client.force_login(users["admin"])

    def link_partners(count):
        our_organisation.partner_users.add(*[UserFactory(role=Role.PARTNER) for _ in range(count)])

    response = assert_constant_queries(
        client, reverse("partnerships:partners", args=[our_organisation.pk]), make_rows=link_partners
    )

    assert response.content.decode().count("btn-outline-danger") == 20
