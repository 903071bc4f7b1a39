from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.tests.factories import MigrantFactory
from partnerships.models import Introduction, IntroductionStatus, Organisation

from .factories import IntroductionFactory, OrganisationFactory

PUBLIC = {role: 200 for role in (
    "anonymous", "superuser", "admin", "advisor", "other_office_advisor", "migrant", "other_migrant", "authority",
    "partner",
)}


def test_access_to_the_directory(client, users):
    assert_access_matrix(client, reverse("partnerships:list"), staff_only(), users)


def test_access_to_the_creation_form(client, users):
    assert_access_matrix(client, reverse("partnerships:create"), staff_only(), users)


def test_access_to_an_organisation_page(client, users, organisation, partner_organisation):
    # A partner reads their own organisation's page; another's answers 404.
    assert_access_matrix(client, reverse("partnerships:detail", args=[organisation.pk]), {
        **staff_only(), "partner": 404,
    }, users)
    assert_access_matrix(client, reverse("partnerships:detail", args=[partner_organisation.pk]), {
        **staff_only(), "partner": 200,
    }, users)


def test_access_to_the_edit_form(client, users, organisation):
    assert_access_matrix(client, reverse("partnerships:edit", args=[organisation.pk]), staff_only(), users)


def test_access_to_my_organisation(client, users, partner_organisation):
    expected = {**staff_only(admin=403, advisor=403, superuser=403, other_office_advisor=403), "partner": 302}
    assert_access_matrix(client, reverse("partnerships:mine"), expected, users)


def test_my_organisation_answers_404_to_a_partner_without_one(client, users):
    client.force_login(users["partner"])

    assert client.get(reverse("partnerships:mine")).status_code == 404


def test_access_to_the_candidates(client, users, organisation):
    assert_access_matrix(client, reverse("partnerships:candidates", args=[organisation.pk]), staff_only(), users)


def test_access_to_the_matches_of_a_migrant(client, users, sharing_migrant):
    url = reverse("partnerships:migrant_matches", args=[sharing_migrant.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_the_introduction_form(client, users, sharing_migrant, organisation):
    url = reverse("partnerships:introduction_create", args=[sharing_migrant.pk, organisation.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_an_introduction_move(client, users, office, organisation):
    introduction = IntroductionFactory(migrant__office=office, organisation=organisation)
    url = reverse("partnerships:introduction_move", args=[introduction.pk])
    expected = staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404)
    assert_access_matrix(client, url, expected, users, method="post", data={"status": "proposed"})


def test_access_to_the_follow_ups(client, users):
    assert_access_matrix(client, reverse("partnerships:follow_ups"), staff_only(), users)


def test_access_to_the_public_directory(client, users, organisation):
    organisation.is_published = True
    organisation.save()

    assert_access_matrix(client, reverse("partnerships:public_list"), PUBLIC, users)
    assert_access_matrix(client, reverse("partnerships:public_detail", args=[organisation.pk]), PUBLIC, users)


def test_an_unpublished_card_is_not_public(client, organisation):
    assert client.get(reverse("partnerships:public_detail", args=[organisation.pk])).status_code == 404


def test_the_public_card_shows_no_contact_person(client, db):
    organisation = OrganisationFactory(is_published=True, contact_name="Awa Sané", contact_email="awa@example.org")

    text = client.get(reverse("partnerships:public_detail", args=[organisation.pk])).content.decode()

    assert organisation.name in text
    assert "Awa Sané" not in text and "awa@example.org" not in text


def test_the_directory_is_grouped_by_country_and_city_at_constant_queries(client, users, marsassoum, agriculture):
    client.force_login(users["advisor"])

    def make_rows(count):
        OrganisationFactory.create_batch(count, communes_served=[marsassoum], sectors=[agriculture], country="ES",
                                         city="Sabadell")

    response = assert_constant_queries(client, reverse("partnerships:list"), make_rows=make_rows)

    text = response.content.decode()
    assert "Espagne — Sabadell" in text
    assert text.count("Marsassoum") >= 20


def test_the_directory_filters_by_commune_of_origin_served_through_the_department(client, users, marsassoum):
    # given
    OrganisationFactory(name="Par la commune", communes_served=[marsassoum])
    OrganisationFactory(name="Par le département", departments_served=[marsassoum.department])
    OrganisationFactory(name="Sans lien")
    client.force_login(users["advisor"])
    # when
    text = client.get(reverse("partnerships:list"), {"commune": marsassoum.code}).content.decode()
    # then
    assert "Par la commune" in text and "Par le département" in text and "Sans lien" not in text


def test_the_directory_searches_and_filters_by_kind_country_city_and_sector(client, users, agriculture):
    OrganisationFactory(name="Kandeemaa", kind="hometown", country="ES", city="Sabadell", sectors=[agriculture])
    OrganisationFactory(name="FAST Veneto", kind="federation", country="IT", city="Treviso")
    client.force_login(users["advisor"])

    for query in ({"q": "kandeemaa"}, {"kind": "hometown"}, {"country": "ES"}, {"city": "saba"}, {"sector": "AGRI"}):
        text = client.get(reverse("partnerships:list"), query).content.decode()
        assert "Kandeemaa" in text and "FAST Veneto" not in text, query


def test_the_public_directory_lists_published_cards_at_constant_queries(client, db, marsassoum):
    OrganisationFactory(name="Pas publiée")

    response = assert_constant_queries(client, reverse("partnerships:public_list"), make_rows=lambda count: (
        OrganisationFactory.create_batch(count, is_published=True, communes_served=[marsassoum])
    ))

    assert "Pas publiée" not in response.content.decode()


def test_staff_create_an_organisation(client, users, marsassoum, agriculture):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:create"), {
        "name": "Amicale de Marsassoum", "kind": "hometown", "country": "ES", "city": "Lleida",
        "communes_served": [marsassoum.pk], "sectors": [agriculture.pk], "relation": "known", "source": "forum",
        "contact_phone": "+34600123456", "is_published": "on",
    })

    organisation = Organisation.objects.get(name="Amicale de Marsassoum")
    assert response.status_code == 302
    assert list(organisation.communes_served.all()) == [marsassoum]
    # Only an administrator publishes a card.
    assert not organisation.is_published


def test_an_admin_publishes_a_card(client, users, organisation):
    client.force_login(users["admin"])

    client.post(reverse("partnerships:edit", args=[organisation.pk]), {
        "name": organisation.name, "kind": organisation.kind, "country": "ES", "city": "Sabadell",
        "relation": "active", "source": "census", "is_published": "on",
    })

    organisation.refresh_from_db()
    assert organisation.is_published and organisation.relation == "active"


def test_a_bad_form_keeps_what_was_typed(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:create"), {"name": "Amicale", "kind": "", "city": "Lleida"})

    assert response.status_code == 200
    assert 'value="Lleida"' in response.content.decode()


def test_the_matches_page_shows_the_reasons(client, users, sharing_migrant, organisation, marsassoum):
    organisation.communes_served.add(marsassoum)
    client.force_login(users["advisor"])

    text = client.get(reverse("partnerships:migrant_matches", args=[sharing_migrant.pk])).content.decode()

    assert organisation.name in text
    assert "même commune d’origine" in text or "même commune d'origine" in text


def test_the_matches_page_keeps_constant_queries(client, users, sharing_migrant, marsassoum):
    client.force_login(users["advisor"])
    url = reverse("partnerships:migrant_matches", args=[sharing_migrant.pk])

    assert_constant_queries(client, url, make_rows=lambda count: OrganisationFactory.create_batch(
        count, communes_served=[marsassoum], country="ES"
    ))


def test_the_candidates_page_keeps_constant_queries_and_hides_non_consenting_persons(
    client, users, office, organisation, marsassoum
):
    organisation.communes_served.add(marsassoum)
    MigrantFactory(office=office, commune_of_origin=marsassoum, consent_sharing=False, last_name="Refuse")
    client.force_login(users["advisor"])

    response = assert_constant_queries(
        client, reverse("partnerships:candidates", args=[organisation.pk]),
        make_rows=lambda count: MigrantFactory.create_batch(
            count, office=office, commune_of_origin=marsassoum, consent_sharing=True
        ),
    )

    assert "Refuse" not in response.content.decode()


def test_an_advisor_records_an_introduction(client, users, sharing_migrant, organisation):
    client.force_login(users["advisor"])
    follow_up_on = timezone.localdate() + timedelta(days=10)

    response = client.post(
        reverse("partnerships:introduction_create", args=[sharing_migrant.pk, organisation.pk]),
        {"purpose": "Projet agricole", "channel": "whatsapp", "follow_up_on": follow_up_on.isoformat()},
    )

    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert introduction.follow_up_on == follow_up_on
    assert introduction.introduced_by == users["advisor"]


def test_an_introduction_of_a_non_consenting_person_is_refused_with_a_message(client, users, office, organisation):
    migrant = MigrantFactory(office=office, consent_sharing=False)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("partnerships:introduction_create", args=[migrant.pk, organisation.pk]),
        {"purpose": "Projet agricole", "channel": "phone"}, follow=True,
    )

    assert response.status_code == 200
    assert "consenti" in response.content.decode()
    assert not Introduction.objects.exists()


def test_an_advisor_moves_an_introduction_and_a_bad_move_is_explained(client, users, office, organisation):
    introduction = IntroductionFactory(migrant__office=office, organisation=organisation)
    client.force_login(users["advisor"])
    url = reverse("partnerships:introduction_move", args=[introduction.pk])

    client.post(url, {"status": "contacted"})
    response = client.post(url, {"status": "completed"}, follow=True)

    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.CONTACTED
    assert "ne peut pas passer" in response.content.decode()


def test_the_organisation_page_lists_its_introductions_at_constant_queries(client, users, office, organisation):
    client.force_login(users["advisor"])

    assert_constant_queries(
        client, reverse("partnerships:detail", args=[organisation.pk]),
        make_rows=lambda count: IntroductionFactory.create_batch(count, migrant__office=office, organisation=organisation),
    )


def test_a_partner_sees_the_introductions_of_consenting_persons_only(client, users, office, partner_organisation):
    IntroductionFactory(migrant__office=office, migrant__last_name="Partage", organisation=partner_organisation)
    IntroductionFactory(
        migrant__office=office, migrant__last_name="Retire", organisation=partner_organisation,
        migrant__consent_sharing=False,
    )
    client.force_login(users["partner"])

    text = client.get(reverse("partnerships:detail", args=[partner_organisation.pk])).content.decode()

    assert "Partage" in text and "Retire" not in text


def test_the_follow_ups_list_keeps_constant_queries(client, users, office, organisation):
    client.force_login(users["advisor"])

    response = assert_constant_queries(client, reverse("partnerships:follow_ups"), make_rows=lambda count: [
        IntroductionFactory(migrant__office=office, organisation=OrganisationFactory(),
                            follow_up_on=timezone.localdate())
        for _ in range(count)
    ])

    assert response.content.decode().count("Association test") == 20


def test_the_migrant_page_shows_their_introductions(client, users, office, organisation):
    introduction = IntroductionFactory(migrant__office=office, organisation=organisation)
    client.force_login(users["advisor"])

    text = client.get(reverse("migrants:detail", args=[introduction.migrant.pk])).content.decode()

    assert 'data-testid="migrant-introductions"' in text
    assert organisation.name in text
    assert reverse("partnerships:migrant_matches", args=[introduction.migrant.pk]) in text


def test_the_navigation_offers_associations_to_staff_and_my_organisation_to_partners(client, users):
    client.force_login(users["advisor"])
    assert reverse("partnerships:list") in client.get(reverse("home")).content.decode()
    client.force_login(users["partner"])
    assert reverse("partnerships:mine") in client.get(reverse("home")).content.decode()




def test_a_visit_refers_the_person_to_an_organisation_of_the_directory(client, users, sharing_migrant, organisation):
    client.force_login(users["advisor"])

    client.post(reverse("migrants:visit_create", args=[sharing_migrant.pk]), {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "office",
        "referral_organisation": organisation.pk,
    })

    visit = sharing_migrant.visits.get()
    assert visit.referral_organisation == organisation
    text = client.get(reverse("migrants:detail", args=[sharing_migrant.pk])).content.decode()
    assert organisation.name in text
