"""The guidance sheets on administrative procedures (issue 24, part 8)."""
import pytest
from django.urls import reverse
from django.utils import translation

from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from migrants.models import ProcedureSheet, ProcedureTopic, Visit
from migrants.procedures.services import sheet_save
from migrants.tests.factories import MigrantFactory

SHEET = {
    "topic": ProcedureTopic.CIVIL_STATUS,
    "title_fr": "Obtenir un extrait d'acte de naissance",
    "title_en": "Getting a birth certificate extract",
    "body_fr": "Au centre d'état civil de la commune.",
    "body_en": "At the commune's civil status centre.",
    "source_url": "https://www.servicepublic.gouv.sn/",
}
EVERYONE = {"anonymous": 200, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 200,
            "migrant": 200, "other_migrant": 200, "authority": 200, "partner": 200}
ONLY_ITS_OFFICE = {"anonymous": 404, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
                   "migrant": 404, "other_migrant": 404, "authority": 404, "partner": 404}
OFFICE_ADMIN = {"anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 403, "other_office_advisor": 403,
                "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403}


@pytest.fixture
def sheet(users, office):
    return sheet_save(office=office, actor=users["admin"], **SHEET)


@pytest.fixture
def draft(users, office):
    return sheet_save(office=office, actor=users["admin"], **{**SHEET, "title_fr": "Brouillon", "is_published": False})


def test_published_sheets_are_public_and_drafts_only_for_their_office(client, users, sheet, draft):
    assert_access_matrix(client, reverse("procedures:list"), EVERYONE, users)
    assert_access_matrix(client, sheet.get_absolute_url(), EVERYONE, users)
    assert_access_matrix(client, draft.get_absolute_url(), ONLY_ITS_OFFICE, users)


def test_only_the_office_admin_writes_sheets_and_never_another_office_s(client, users, other_office, sheet):
    create = reverse("procedures:create")
    assert_access_matrix(client, create, {**OFFICE_ADMIN, "superuser": 302}, users)  # a national admin has no office
    assert_access_matrix(client, reverse("procedures:edit", args=[sheet.pk]), OFFICE_ADMIN, users)
    theirs = sheet_save(office=other_office, actor=None, **{**SHEET, "title_fr": "Fiche de Kolda"})

    client.force_login(users["admin"])
    forged = client.post(reverse("procedures:edit", args=[theirs.pk]), {**SHEET, "title_fr": "Volée"})

    assert forged.status_code == 404
    assert ProcedureSheet.objects.get(pk=theirs.pk).title_fr == "Fiche de Kolda"


def test_the_office_admin_writes_a_sheet_and_its_history_says_who(client, users, office):
    client.force_login(users["admin"])

    response = client.post(reverse("procedures:create"), {**SHEET, "is_published": "on"})

    sheet = ProcedureSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
    assert sheet.office == office and sheet.updated_by == users["admin"]
    assert sheet.history.get().history_user == users["admin"]
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Au centre d&#x27;état civil de la commune." in page and SHEET["source_url"] in page


def test_a_sheet_without_title_is_refused_with_a_message_and_nothing_typed_is_lost(client, users):
    client.force_login(users["admin"])

    response = client.post(reverse("procedures:create"), {**SHEET, "title_fr": ""})

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert SHEET["body_fr"].replace("'", "&#x27;") in response.content.decode()
    assert not ProcedureSheet.objects.exists()


def test_english_readers_get_the_english_sheet_or_the_french_one_when_there_is_none(users, office, sheet):
    french_only = sheet_save(office=office, actor=None, **{**SHEET, "title_en": "", "body_en": ""})
    with translation.override("en"):
        assert (sheet.title, sheet.body) == (SHEET["title_en"], SHEET["body_en"])
        assert (french_only.title, french_only.body) == (SHEET["title_fr"], SHEET["body_fr"])


def test_the_list_filters_by_topic_and_keeps_its_query_count(client, office):
    def make_rows(count):
        for number in range(count):
            sheet_save(office=office, actor=None, **{**SHEET, "title_fr": f"Fiche {number:02d}"})

    response = assert_constant_queries(client, reverse("procedures:list"), make_rows=make_rows)

    assert response.content.decode().count("Fiche ") == 20
    consular = client.get(reverse("procedures:list"), {"topic": ProcedureTopic.CONSULAR}).content.decode()
    assert "Fiche 00" not in consular and "Aucune fiche n’est encore publiée" in consular
    assert client.get(reverse("procedures:list"), {"topic": "<script>"}).status_code == 200


def test_an_advisor_gives_a_sheet_at_a_visit_and_the_timeline_links_it(client, users, office, sheet, needs):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])

    client.post(reverse("migrants:visit_create", args=[migrant.pk]), {
        "occurred_at": "2026-11-02T10:00", "channel": "office", "needs": [needs["PAPERS"].pk],
        "procedures": [sheet.pk],
    })

    assert list(Visit.objects.get(migrant=migrant).procedures.all()) == [sheet]
    page = client.get(migrant.get_absolute_url()).content.decode()
    assert 'data-testid="visit-procedures"' in page and sheet.get_absolute_url() in page


def test_a_sheet_of_another_office_or_a_draft_cannot_be_given_at_a_visit(client, users, office, other_office, sheet, draft):
    theirs = sheet_save(office=other_office, actor=None, **SHEET)
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])

    for forged in (theirs, draft):
        response = client.post(reverse("migrants:visit_create", args=[migrant.pk]), {
            "occurred_at": "2026-11-02T10:00", "channel": "office", "procedures": [forged.pk],
        })
        assert response.status_code == 200 and not Visit.objects.filter(migrant=migrant).exists()
