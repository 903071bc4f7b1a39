"""Reads: tolerant search, likely duplicates, history of changes."""
from migrants import selectors, services
from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory


def names_found(query):
    return sorted(migrant.full_name for migrant in selectors.migrant_search(Migrant.objects.all(), query))


def test_search_ignores_accents_and_case_and_forgives_a_misspelling(office):
    MigrantFactory(office=office, first_name="Mamadou", last_name="Diédhiou")
    MigrantFactory(office=office, first_name="Ansou", last_name="Mané")

    assert names_found("DIEDHIOU") == ["Mamadou Diédhiou"]
    assert names_found("diedhiu") == ["Mamadou Diédhiou"]
    assert names_found("mamdou diedhou") == ["Mamadou Diédhiou"]
    assert names_found("mane") == ["Ansou Mané"]
    assert names_found("") == ["Ansou Mané", "Mamadou Diédhiou"]


def test_search_finds_a_phone_number_and_a_file_number(office):
    MigrantFactory(office=office, first_name="Ansou", last_name="Mané", phone="+221771234567", file_number="SED-2026-00042")
    MigrantFactory(office=office, first_name="Awa", last_name="Coly")

    assert names_found("77 123 45 67") == ["Ansou Mané"]
    assert names_found("sed-2026-00042") == ["Ansou Mané"]


def test_a_near_duplicate_by_name_year_and_commune_is_found(office, sedhiou, marsassoum):
    same = MigrantFactory(office=office, first_name="Fatoumata", last_name="Diédhiou", birth_year=1990, commune_of_origin=sedhiou)
    MigrantFactory(office=office, first_name="Fatoumata", last_name="Diédhiou", birth_year=1990, commune_of_origin=marsassoum)
    MigrantFactory(office=office, first_name="Fatoumata", last_name="Diédhiou", birth_year=1985, commune_of_origin=sedhiou)

    found = selectors.migrant_duplicates(
        office=office, first_name="fatoumata", last_name="DIEDHIOU", birth_year=1990, commune=sedhiou
    )

    assert found == [same]
    assert found[0].duplicate_reasons == ["nom proche, même année de naissance et même commune"]


def test_same_phone_or_email_is_a_likely_duplicate(office, other_office):
    by_phone = MigrantFactory(office=office, phone="+221770000001")
    by_email = MigrantFactory(office=office, email="awa@example.sn")
    MigrantFactory(office=other_office, phone="+221770000001")

    found = selectors.migrant_duplicates(
        office=office, first_name="X", last_name="Y", phone="+221770000001", email="AWA@example.sn"
    )

    assert {migrant.pk for migrant in found} == {by_phone.pk, by_email.pk}


def test_the_history_says_who_changed_what(users, office):
    migrant = services.migrant_register(office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Sané")
    services.migrant_update(migrant=migrant, changed_by=users["admin"], occupation="Tailor")

    latest, creation = selectors.migrant_history(migrant)

    assert latest["record"].history_user == users["admin"]
    assert [(str(change["field"]), change["old"], change["new"]) for change in latest["changes"]] == [
        ("profession", "", "Tailor")
    ]
    assert creation["record"].history_type == "+"


def test_the_history_names_choices_booleans_and_related_rows(users, office, sedhiou):
    migrant = services.migrant_register(office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Sané")
    services.migrant_update(
        migrant=migrant, changed_by=users["advisor"], situation="returned", consent_contact=True, commune_of_origin=sedhiou
    )

    changes = {str(change["field"]): (change["old"], change["new"]) for change in selectors.migrant_history(migrant)[0]["changes"]}

    assert changes["situation"] == ("Vit au Sénégal", "De retour")
    assert changes["consent à être contacté(e) pour des opportunités"] == ("non", "oui")
    assert changes["commune d'origine"] == ("", "Sédhiou")
