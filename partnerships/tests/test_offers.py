"""Partner offers and referrals (issue 24, part 2): access, scoping, search, moves, queries, personal data."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.testing.access import LOGIN, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants import personal_data
from migrants.services import migrant_erase, migrant_merge
from migrants.tests.factories import MigrantFactory
from partnerships.offers import services
from partnerships.offers.models import OfferKind, OfferReferral, PartnerOffer, ReferralStatus

from .factories import OrganisationFactory
from .offer_factories import OfferReferralFactory, PartnerOfferFactory

PUBLIC = {role: 200 for role in (
    "anonymous", "superuser", "admin", "advisor", "other_office_advisor", "migrant", "other_migrant", "authority",
    "partner",
)}


@pytest.fixture
def offer(office):
    return PartnerOfferFactory(
        office=office, title="Crédit de réinstallation", kind=OfferKind.LOAN, target_groups="returnees,youth",
        organisation=OrganisationFactory(name="Mutuelle de Sédhiou"), amount_min_xof=250_000,
        amount_max_xof=3_000_000,
    )


@pytest.fixture
def draft(office):
    return PartnerOfferFactory(office=office, title="Offre en préparation", is_published=False)


@pytest.fixture
def person(office, users):
    return MigrantFactory(office=office, consent_sharing=True, user=users["migrant"], first_name="Seydou",
                          last_name="Mané")


@pytest.fixture
def referral(person, offer, users):
    return services.referral_create(migrant=person, offer=offer, referred_by=users["advisor"], note="Mangues")


# --- Access -------------------------------------------------------------------------------


def test_access_to_the_catalogue(client, users):
    assert_access_matrix(client, reverse("partnerships:offer_list"), PUBLIC, users)


def test_access_to_a_published_offer(client, users, offer):
    assert_access_matrix(client, reverse("partnerships:offer_detail", args=[offer.pk]), PUBLIC, users)


def test_an_unpublished_offer_is_for_its_office_only(client, users, draft):
    assert_access_matrix(client, reverse("partnerships:offer_detail", args=[draft.pk]), {
        **{role: 404 for role in PUBLIC}, "superuser": 200, "admin": 200, "advisor": 200,
    }, users)


def test_an_expired_offer_leaves_the_public_catalogue(client, office):
    PartnerOfferFactory(office=office, title="Offre expirée", valid_until=timezone.localdate() - timedelta(days=1))
    PartnerOfferFactory(office=office, title="Offre valable", valid_until=timezone.localdate())
    response = client.get(reverse("partnerships:offer_list"))
    assert "Offre valable" in response.text and "Offre expirée" not in response.text


def test_access_to_the_offer_forms(client, users, offer):
    # Office admins write offers; a national admin edits (no office to record one for).
    assert_access_matrix(client, reverse("partnerships:offer_create"), {
        **staff_only(advisor=403, other_office_advisor=403, superuser=403)}, users)
    assert_access_matrix(client, reverse("partnerships:offer_edit", args=[offer.pk]), {
        **staff_only(advisor=403, other_office_advisor=403)}, users)


def test_another_offices_admin_gets_404_on_edit(client, users, offer, other_office):
    from hom.accounts.models import Role
    from hom.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ADMIN, office=other_office, email="admin.kolda@example.sn"))
    assert client.get(reverse("partnerships:offer_edit", args=[offer.pk])).status_code == 404
    response = client.post(reverse("partnerships:offer_edit", args=[offer.pk]), {"title": "Piraté"})
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Crédit de réinstallation"


def test_access_to_the_referral_pages(client, users, person, offer, referral):
    assert_access_matrix(client, reverse("partnerships:referral_list"), staff_only(), users)
    assert_access_matrix(client, reverse("partnerships:referral_create", args=[person.pk]),
                         staff_only(other_office_advisor=404), users)
    # The offer's "refer" lookup: a file number of another office's person is not found (a message).
    assert_access_matrix(client, reverse("partnerships:offer_find_person", args=[offer.pk]),
                         {**staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=302)}, users,
                         data={"file_number": person.file_number})
    assert_access_matrix(client, reverse("partnerships:referral_move", args=[referral.pk]), {
        **staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404), "anonymous": LOGIN,
    }, users, method="post", data={"status": "contacted"})


def test_the_file_number_lookup_stays_in_the_office(client, users, person, offer):
    client.force_login(users["advisor"])
    response = client.get(reverse("partnerships:offer_find_person", args=[offer.pk]),
                          {"file_number": person.file_number})
    assert response["Location"] == f"{reverse('partnerships:referral_create', args=[person.pk])}?offer={offer.pk}"
    client.force_login(users["other_office_advisor"])
    response = client.get(reverse("partnerships:offer_find_person", args=[offer.pk]),
                          {"file_number": person.file_number}, follow=True)
    assert "Aucune personne de votre bureau" in response.text


def test_forged_ids_answer_404(client, users, person, referral):
    client.force_login(users["advisor"])
    assert client.get(reverse("partnerships:offer_detail", args=[999999])).status_code == 404
    assert client.get(reverse("partnerships:referral_create", args=[999999])).status_code == 404
    assert client.post(reverse("partnerships:referral_move", args=[999999]), {"status": "contacted"}).status_code == 404


def test_another_office_cannot_refer_nor_move(client, users, person, offer, referral, other_office):
    client.force_login(users["other_office_advisor"])
    response = client.post(reverse("partnerships:referral_create", args=[person.pk]), {"offer": offer.pk})
    assert response.status_code == 404
    assert client.post(reverse("partnerships:referral_move", args=[referral.pk]), {"status": "declined"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


def test_an_unpublished_offer_of_another_office_cannot_be_chosen(client, users, person, other_office):
    hidden = PartnerOfferFactory(office=other_office, title="Offre interne de Kolda", is_published=False)
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:referral_create", args=[person.pk]), {"offer": hidden.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not OfferReferral.objects.exists()


# --- Writing offers -----------------------------------------------------------------------


def test_an_office_admin_records_an_offer(client, users, office):
    organisation = OrganisationFactory(name="Assurances solidaires")
    client.force_login(users["admin"])
    response = client.post(reverse("partnerships:offer_create"), {
        "organisation": organisation.pk, "kind": "insurance", "title": "Microassurance santé",
        "description": "Pour la famille restée au pays.", "target_groups": ["diaspora", "families"],
        "amount_min_xof": "3500", "contact_instructions": "Guichets de l'assureur.", "is_published": "on",
    })
    offer = PartnerOffer.objects.get()
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    assert offer.office == office and offer.target_group_codes == ["diaspora", "families"]
    assert offer.history.count() == 1


def test_amounts_out_of_order_are_refused_with_a_message(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("partnerships:offer_create"), {
        "organisation": OrganisationFactory().pk, "kind": "loan", "title": "Prêt", "description": "x",
        "amount_min_xof": "500000", "amount_max_xof": "1000", "contact_instructions": "Agence.",
        "target_groups": ["nobody"],
    })
    assert response.status_code == 200
    assert "Le montant minimum ne peut pas dépasser le maximum" in response.text
    assert not PartnerOffer.objects.exists()


# --- Search -------------------------------------------------------------------------------


def test_search_finds_by_text_kind_and_target_group(client, office):
    PartnerOfferFactory(office=office, title="Crédit de réinstallation", kind=OfferKind.LOAN,
                        target_groups="returnees")
    PartnerOfferFactory(office=office, title="Coaching des femmes entrepreneures", kind=OfferKind.COACHING,
                        target_groups="women,returnees")
    PartnerOfferFactory(office=office, title="Microassurance", kind=OfferKind.INSURANCE, target_groups="diaspora")
    url = reverse("partnerships:offer_list")

    def titles(**query):
        return [offer.title for offer in client.get(url, query).context["page"]]

    assert titles(q="REINSTALLATION") == ["Crédit de réinstallation"]  # accents and case ignored
    assert titles(kind="coaching") == ["Coaching des femmes entrepreneures"]
    assert titles(target_group="returnees") == ["Coaching des femmes entrepreneures", "Crédit de réinstallation"]
    assert titles(target_group="women", q="coaching") == ["Coaching des femmes entrepreneures"]
    assert titles(q="introuvable") == []
    # htmx asks for the results only.
    response = client.get(url, {"q": "micro"}, HTTP_HX_REQUEST="true")
    assert "Microassurance" in response.text and "<html" not in response.text


def test_forged_filters_are_ignored_not_a_500(client, office):
    PartnerOfferFactory(office=office, title="Crédit")
    response = client.get(reverse("partnerships:offer_list"), {"kind": "bitcoin", "target_group": "<x>", "page": "z"})
    assert response.status_code == 200


# --- Referrals ----------------------------------------------------------------------------


def test_an_advisor_refers_a_person_and_follows_the_referral(client, users, person, offer):
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:referral_create", args=[person.pk]),
                           {"offer": offer.pk, "note": "Projet de mangues"})
    referral = OfferReferral.objects.get()
    assert response.status_code == 302
    assert referral.office == person.office and referral.referred_by == users["advisor"]
    for status in ("contacted", "accepted", "completed"):
        client.post(reverse("partnerships:referral_move", args=[referral.pk]), {"status": status, "outcome": "Prêt"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.outcome == "Prêt"
    assert referral.status_changed_on == timezone.localdate()
    assert referral.history.count() == 4
    assert set(referral.history.values_list("history_user", flat=True)) == {users["advisor"].pk}
    page = client.get(person.get_absolute_url()).text
    assert "Crédit de réinstallation" in page and "Aboutie" in page


def test_an_invalid_move_is_refused_with_a_message(client, users, referral):
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:referral_move", args=[referral.pk]), {"status": "completed"},
                           follow=True)
    assert "ne peut pas passer" in response.text
    response = client.post(reverse("partnerships:referral_move", args=[referral.pk]), {"status": "forged"},
                           follow=True)
    assert "Choisissez un statut valide" in response.text
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


def test_one_open_referral_per_person_and_offer(client, users, person, offer, referral):
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:referral_create", args=[person.pk]), {"offer": offer.pk})
    assert response.status_code == 200 and "déjà une orientation ouverte" in response.text
    assert OfferReferral.objects.count() == 1


def test_no_referral_without_consent_to_sharing(client, users, office, offer):
    silent = MigrantFactory(office=office, consent_sharing=False)
    client.force_login(users["advisor"])
    response = client.post(reverse("partnerships:referral_create", args=[silent.pk]), {"offer": offer.pk}, follow=True)
    assert "pas consenti" in response.text
    assert not OfferReferral.objects.exists()


def test_the_person_sees_their_referrals_read_only(client, users, person, referral):
    client.force_login(users["migrant"])
    page = client.get(person.get_absolute_url()).text
    assert "Crédit de réinstallation" in page
    assert reverse("partnerships:referral_move", args=[referral.pk]) not in page
    assert client.post(reverse("partnerships:referral_move", args=[referral.pk]), {"status": "declined"}).status_code == 403


def test_the_open_referrals_list_is_the_offices(client, users, referral, other_office):
    OfferReferralFactory(migrant=MigrantFactory(office=other_office, consent_sharing=True, last_name="Baldé"))
    client.force_login(users["advisor"])
    rows = list(client.get(reverse("partnerships:referral_list")).context["page"])
    assert rows == [referral]


# --- Query counts -------------------------------------------------------------------------


def test_the_catalogue_in_constant_queries(client, office):
    response = assert_constant_queries(
        client, reverse("partnerships:offer_list"),
        make_rows=lambda n: PartnerOfferFactory.create_batch(n, office=office, target_groups="women"),
    )
    assert len(response.context["page"]) == 20


def test_the_referral_list_in_constant_queries(client, users, office):
    client.force_login(users["advisor"])
    response = assert_constant_queries(
        client, reverse("partnerships:referral_list"),
        make_rows=lambda n: OfferReferralFactory.create_batch(n, migrant__office=office, referred_by=users["advisor"]),
    )
    assert len(response.context["page"]) == 20


def test_the_persons_page_in_constant_queries(client, users, person, office):
    client.force_login(users["advisor"])
    assert_constant_queries(
        client, person.get_absolute_url(),
        make_rows=lambda n: OfferReferralFactory.create_batch(n, migrant=person, offer__office=office),
    )


# --- Personal data ------------------------------------------------------------------------


def test_the_referral_is_declared_and_exported(person, referral):
    assert "partnerships.OfferReferral" in personal_data.declared_models()
    from partnerships.personal_data import export_person

    exported = export_person(migrant=person, staff=False)["offer_referrals"]
    assert exported == [{"offer": "Crédit de réinstallation", "organisation": "Mutuelle de Sédhiou",
                         "date": referral.referred_on.isoformat(), "status": "Proposée", "note": "Mangues",
                         "outcome": ""}]


def test_erasure_keeps_the_referral_without_its_text(users, person, referral):
    services.referral_move(referral=referral, status="contacted", outcome="Rendez-vous pris", moved_by=users["advisor"])
    # Outside a request, who moved it is in the history all the same.
    assert referral.history.latest().history_user == users["advisor"]
    migrant_erase(migrant=person, erased_by=users["admin"])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONTACTED and referral.note == "" and referral.outcome == ""
    assert not referral.history.exclude(note="").exists() and not referral.history.exclude(outcome="").exists()


def test_merge_folds_two_open_referrals_to_one_offer(users, office, person, offer, referral):
    duplicate = MigrantFactory(office=office, consent_sharing=True)
    other = PartnerOfferFactory(office=office, title="Coaching")
    services.referral_create(migrant=duplicate, offer=offer, referred_by=users["advisor"], note="Élevage")
    carried = services.referral_create(migrant=duplicate, offer=other, referred_by=users["advisor"])
    migrant_merge(survivor=person, duplicate=duplicate, merged_by=users["advisor"])
    assert OfferReferral.objects.filter(migrant=person, offer=offer).count() == 1
    assert OfferReferral.objects.get(migrant=person, offer=offer).note == "Mangues\nÉlevage"
    carried.refresh_from_db()
    assert carried.migrant == person


def test_an_offers_page_and_the_referral_form_in_few_queries(client, users, person, offer, django_assert_max_num_queries):
    client.get(reverse("partnerships:offer_detail", args=[offer.pk]))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("partnerships:offer_detail", args=[offer.pk])).status_code == 200
    client.force_login(users["advisor"])
    url = reverse("partnerships:referral_create", args=[person.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url, {"offer": offer.pk}).status_code == 200
