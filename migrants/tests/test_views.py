"""Pages of the registry: who may open them, what they show, and that lists do not grow in queries."""
import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hom.territories.models import Sector
from hom.testing.access import LOGIN, assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.models import Migrant, Visit
from migrants.tests.factories import MigrantFactory, VisitFactory

NO_PERSON = {"migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403}


def object_matrix(**overrides):
    """A staff object page: the other office's advisor gets 404."""
    return {**staff_only(other_office_advisor=404), **overrides}


@pytest.fixture
def migrant(users, office):
    return MigrantFactory(office=office, user=users["migrant"], first_name="Awa", last_name="Sané")


def test_the_list_is_for_office_staff(client, users):
    assert_access_matrix(client, reverse("migrants:list"), staff_only(), users)


def test_exports_are_for_admins_only(client, users):
    expected = {**staff_only(advisor=403, other_office_advisor=403)}
    assert_access_matrix(client, reverse("migrants:export_csv"), expected, users)
    assert_access_matrix(client, reverse("migrants:export_xlsx"), expected, users)


def test_the_live_duplicate_check_warns_while_typing(client, users, office, sedhiou):
    MigrantFactory(office=office, first_name="Fatoumata", last_name="Diédhiou", birth_year=1990,
                   commune_of_origin=sedhiou, phone="+221771234567")
    client.force_login(users["advisor"])
    url = reverse("migrants:duplicate_check")

    by_phone = client.post(url, {"last_name": "X", "phone": "77 123 45 67"}, headers={"HX-Request": "true"})
    by_name = client.post(url, {**QUICK, "phone": "", "commune_of_origin": sedhiou.pk})
    nothing = client.post(url, {"first_name": "Awa"})

    assert "même téléphone" in by_phone.content.decode()
    assert "nom proche" in by_name.content.decode()
    assert nothing.content.decode().strip() == ""
    assert_access_matrix(client, url, staff_only(), users, method="post")


def test_the_duplicate_check_keeps_names_and_phones_out_of_urls(client, users, office, sedhiou):
    MigrantFactory(office=office, last_name="Diédhiou", phone="+221771234567")
    client.force_login(users["advisor"])
    url = reverse("migrants:duplicate_check")

    by_get = client.get(url, {"last_name": "Diédhiou", "phone": "77 123 45 67"})
    form_page = client.get(reverse("migrants:create")).content.decode()

    assert by_get.status_code == 405
    assert f'hx-post="{url}"' in form_page and f'hx-get="{url}"' not in form_page


def test_the_duplicate_check_needs_the_csrf_token(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:duplicate_check"), {"last_name": "Diédhiou"})

    assert response.status_code == 403


def test_staff_pages_without_an_object(client, users):
    for name in ("create", "walk_in_create", "follow_ups"):
        assert_access_matrix(client, reverse(f"migrants:{name}"), staff_only(superuser=302 if name != "follow_ups" else 200), users)


def test_the_detail_page_is_for_the_office_and_the_person_only(client, users, migrant):
    expected = object_matrix(migrant=200, other_migrant=404)
    assert_access_matrix(client, reverse("migrants:detail", args=[migrant.pk]), expected, users)


def test_object_pages_of_staff_answer_404_to_the_other_office(client, users, migrant):
    for name in ("edit", "visit_create", "merge"):
        assert_access_matrix(client, reverse(f"migrants:{name}", args=[migrant.pk]), object_matrix(), users)
    erase = object_matrix(advisor=403, other_office_advisor=403)
    assert_access_matrix(client, reverse("migrants:erase", args=[migrant.pk]), erase, users)


def test_post_only_actions_refuse_a_get_and_hide_other_offices(client, users, migrant):
    visit = VisitFactory(migrant=migrant, follow_up_on=timezone.localdate())
    url = reverse("migrants:follow_up_done", args=[visit.pk])
    assert_access_matrix(client, url, object_matrix(superuser=405, admin=405, advisor=405, other_office_advisor=405), users)
    assert_access_matrix(
        client, url, object_matrix(superuser=302, admin=302, advisor=302), users, method="post"
    )


def test_the_list_keeps_its_query_count(client, users, office, needs):
    client.force_login(users["advisor"])

    def make_rows(count):
        for migrant in MigrantFactory.create_batch(count, office=office, advisor=users["advisor"]):
            VisitFactory(migrant=migrant, needs=[needs["FUNDING"]])

    response = assert_constant_queries(client, reverse("migrants:list"), make_rows=make_rows)
    assert response.content.decode().count('data-testid="migrant-row"') == 20


def test_the_detail_keeps_its_query_count(client, users, office, needs):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            VisitFactory(
                migrant=migrant, advisor=users["advisor"], needs=[needs["FUNDING"], needs["PAPERS"]],
                follow_up_on=timezone.localdate(), follow_up_advisor=users["advisor"],
            )

    assert_constant_queries(client, reverse("migrants:detail", args=[migrant.pk]), make_rows=make_rows)


def test_the_follow_ups_keep_their_query_count(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            VisitFactory(migrant=MigrantFactory(office=office), follow_up_on=timezone.localdate(), follow_up_advisor=users["advisor"])

    response = assert_constant_queries(client, reverse("migrants:follow_ups"), make_rows=make_rows)
    assert response.content.decode().count("list-group-item d-flex") == 20


def test_the_list_shows_only_the_office(client, users, office, other_office):
    MigrantFactory(office=office, last_name="Sagna")
    MigrantFactory(office=other_office, last_name="Baldé")
    client.force_login(users["advisor"])

    text = client.get(reverse("migrants:list")).content.decode()

    assert "Sagna" in text and "Baldé" not in text


def list_names(client, **params):
    response = client.get(reverse("migrants:list"), params)
    return sorted(migrant.last_name for migrant in response.context["page"])


def test_the_list_filters_by_each_filter(client, users, office, sedhiou, marsassoum, needs):
    today = timezone.localdate()
    agri = Sector.objects.get(code="AGRI")
    a = MigrantFactory(office=office, last_name="Coly", commune_of_origin=sedhiou, situation="abroad",
                       country_of_residence="ES", advisor=users["advisor"])
    a.sectors_of_interest.add(agri)
    VisitFactory(migrant=a, needs=[needs["FUNDING"]], follow_up_on=today - timedelta(days=3))
    b = MigrantFactory(office=office, last_name="Dramé", commune_of_origin=marsassoum, situation="returned",
                       country_of_residence="")
    VisitFactory(migrant=b, needs=[needs["PAPERS"]], follow_up_on=today + timedelta(days=3))
    Migrant.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(days=400))
    client.force_login(users["advisor"])

    assert list_names(client, commune=sedhiou.pk) == ["Coly"]
    assert list_names(client, department=sedhiou.department_id) == ["Coly", "Dramé"]
    assert list_names(client, situation="returned") == ["Dramé"]
    assert list_names(client, country="ES") == ["Coly"]
    assert list_names(client, sector=agri.pk) == ["Coly"]
    assert list_names(client, need=needs["PAPERS"].pk) == ["Dramé"]
    assert list_names(client, advisor=users["advisor"].pk) == ["Coly"]
    assert list_names(client, overdue="on") == ["Coly"]
    assert list_names(client, registered_to=(today - timedelta(days=300)).isoformat()) == ["Dramé"]
    assert list_names(client, registered_from=(today - timedelta(days=10)).isoformat()) == ["Coly"]
    assert list_names(client, q="drame") == ["Dramé"]
    assert [m.last_name for m in client.get(reverse("migrants:list"), {"sort": "-name"}).context["page"]] == ["Dramé", "Coly"]


def test_a_bad_filter_value_is_no_error(client, users):
    client.force_login(users["advisor"])

    response = client.get(reverse("migrants:list"), {"commune": "nope", "registered_from": "31/31/2026", "page": "x"})

    assert response.status_code == 200


def test_live_search_answers_the_results_only(client, users, office):
    MigrantFactory(office=office, first_name="Mamadou", last_name="Diédhiou")
    client.force_login(users["advisor"])

    response = client.get(reverse("migrants:list"), {"q": "diedhiu"}, headers={"HX-Request": "true"})

    text = response.content.decode()
    assert "Diédhiou" in text and "<html" not in text


def test_the_csv_and_xlsx_exports_follow_the_filters(client, users, office):
    MigrantFactory(office=office, last_name="Sonko", situation="returned")
    MigrantFactory(office=office, last_name="Fofana", situation="abroad")
    client.force_login(users["admin"])

    csv_response = client.get(reverse("migrants:export_csv"), {"situation": "returned"})
    xlsx_response = client.get(reverse("migrants:export_xlsx"), {"situation": "returned"})

    rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "numéro de dossier" and [row[1] for row in rows[1:]] == ["Sonko"]
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="migrants.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Sonko"]


QUICK = {
    "first_name": "Fatoumata",
    "last_name": "Diedhiou",
    "sex": "F",
    "birth_year": "1990",
    "phone": "77 123 45 67",
    "situation": "in_senegal",
    "consent_processing": "on",
}


def test_an_advisor_registers_a_walk_in_in_one_form(client, users, sedhiou):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:create"), {**QUICK, "commune_of_origin": sedhiou.pk})

    migrant = Migrant.objects.get()
    assert response["Location"] == migrant.get_absolute_url()
    assert migrant.file_number.startswith(f"SED-{timezone.localdate().year}-")
    assert migrant.advisor == users["advisor"] and migrant.consent_recorded_by == users["advisor"]


def test_a_near_duplicate_is_shown_before_saving_then_saved_on_request(client, users, office, sedhiou):
    MigrantFactory(office=office, first_name="Fatoumata", last_name="Diédhiou", birth_year=1990, commune_of_origin=sedhiou)
    client.force_login(users["advisor"])
    data = {**QUICK, "phone": "", "commune_of_origin": sedhiou.pk}

    warned = client.post(reverse("migrants:create"), data)
    saved = client.post(reverse("migrants:create"), {**data, "not_a_duplicate": "on"})

    assert warned.status_code == 200 and 'data-testid="duplicates"' in warned.content.decode()
    assert 'value="Diedhiou"' in warned.content.decode()
    assert saved.status_code == 302 and Migrant.objects.count() == 2


def test_bad_input_keeps_what_was_typed(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:create"), {**QUICK, "phone": "12", "first_name": ""})

    text = response.content.decode()
    assert response.status_code == 200 and 'value="Diedhiou"' in text
    assert "Saisissez un numéro de téléphone valide" in text or "numéro de téléphone" in text


def test_the_detail_page_shows_identity_consent_timeline_follow_ups_and_history(client, users, office, needs):
    migrant = MigrantFactory(office=office, first_name="Awa", last_name="Sané")
    VisitFactory(migrant=migrant, needs=[needs["FUNDING"]], services_given="Orientation PAOS",
                 follow_up_on=timezone.localdate(), follow_up_advisor=users["advisor"])
    client.force_login(users["advisor"])

    text = client.get(reverse("migrants:detail", args=[migrant.pk])).content.decode()

    assert "Awa Sané" in text and "Orientation PAOS" in text and "Recherche de financement" in text
    assert 'data-testid="open-follow-ups"' in text and 'data-testid="history"' in text


def test_the_person_sees_their_page_without_staff_actions(client, users, migrant):
    client.force_login(users["migrant"])

    text = client.get(reverse("migrants:detail", args=[migrant.pk])).content.decode()

    assert "Awa Sané" in text and 'data-testid="history"' not in text and "Modifier" not in text


def test_editing_a_record_is_in_its_history(client, users, office, sedhiou):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])
    page = client.get(reverse("migrants:edit", args=[migrant.pk]))

    response = client.post(reverse("migrants:edit", args=[migrant.pk]), {
        "first_name": "Ibrahima", "last_name": "Sonko", "situation": "returned", "commune_of_origin": sedhiou.pk,
        "occupation": "Mécanicien", "return_year": "2024", "departure_year": "2015", "consent_processing": "on",
    })

    migrant.refresh_from_db()
    assert page.status_code == 200 and response.status_code == 302
    assert migrant.search_name == "ibrahima sonko" and migrant.occupation == "Mécanicien"
    assert migrant.history.first().history_user == users["advisor"]


def test_a_visit_is_logged_from_the_page_with_htmx(client, users, office, needs):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])
    follow_up_on = timezone.localdate() + timedelta(days=14)

    response = client.post(
        reverse("migrants:visit_create", args=[migrant.pk]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "office",
            "needs": [needs["FUNDING"].pk, needs["TRAINING"].pk],
            "follow_up_on": follow_up_on.isoformat(),
        },
        headers={"HX-Request": "true"},
    )

    visit = Visit.objects.get()
    assert response.status_code == 200 and 'data-testid="timeline"' in response.content.decode()
    assert visit.needs.count() == 2 and visit.follow_up_on == follow_up_on and visit.follow_up_advisor == users["advisor"]


def test_a_bad_visit_comes_back_with_its_errors(client, users, office):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])
    url = reverse("migrants:visit_create", args=[migrant.pk])
    data = {"occurred_at": "yesterday", "channel": "office", "follow_up_on": "2001-01-01"}

    with_htmx = client.post(url, data, headers={"HX-Request": "true"})
    without = client.post(url, data)

    assert with_htmx.status_code == 200 and "invalid-feedback" in with_htmx.content.decode()
    assert without.status_code == 200 and "Saisissez" in without.content.decode()
    assert not Visit.objects.exists()


def test_a_visit_without_htmx_redirects_to_the_page(client, users, office):
    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])

    response = client.post(
        reverse("migrants:visit_create", args=[migrant.pk]),
        {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "phone"},
    )

    assert response["Location"] == migrant.get_absolute_url()


def test_a_follow_up_is_marked_done(client, users, office):
    visit = VisitFactory(migrant=MigrantFactory(office=office), follow_up_on=timezone.localdate())
    client.force_login(users["advisor"])

    client.post(reverse("migrants:follow_up_done", args=[visit.pk]))

    visit.refresh_from_db()
    assert visit.follow_up_done


def test_an_anonymous_walk_in_is_counted(client, users, sedhiou, needs):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:walk_in_create"), {
        "commune": sedhiou.pk, "sex": "M", "age_group": "18_24", "needs": [needs["EMPLOYMENT"].pk]
    })

    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.migrant is None and visit.age_group == "18_24"


def test_merging_from_the_page(client, users, office):
    survivor = MigrantFactory(office=office, first_name="Awa", last_name="Sané")
    duplicate = MigrantFactory(office=office, first_name="Awa", last_name="Sane")
    VisitFactory(migrant=duplicate)
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:merge", args=[survivor.pk]), {"duplicate": duplicate.pk})

    assert response["Location"] == survivor.get_absolute_url()
    assert survivor.visits.count() == 1 and not Migrant.objects.filter(pk=duplicate.pk).exists()


def test_merging_another_office_s_record_is_refused(client, users, office, other_office):
    survivor = MigrantFactory(office=office)
    foreign = MigrantFactory(office=other_office)
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:merge", args=[survivor.pk]), {"duplicate": foreign.pk})

    assert response.status_code == 200 and Migrant.objects.filter(pk=foreign.pk).exists()


def test_merging_two_accounts_is_refused_with_a_message(client, users, office):
    survivor = MigrantFactory(office=office, user=users["migrant"])
    duplicate = MigrantFactory(office=office, user=users["other_migrant"])
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:merge", args=[survivor.pk]), {"duplicate": duplicate.pk})

    assert response.status_code == 200 and "compte en ligne" in response.content.decode()


def test_an_admin_erases_a_person(client, users, migrant):
    client.force_login(users["admin"])

    response = client.post(reverse("migrants:erase", args=[migrant.pk]))

    migrant.refresh_from_db()
    assert response.status_code == 302 and migrant.is_erased and migrant.first_name == "—"


def test_the_dashboard_lists_open_follow_ups(client, users, office):
    migrant = MigrantFactory(office=office, first_name="Kadiatou", last_name="Cissé")
    VisitFactory(migrant=migrant, follow_up_on=timezone.localdate(), follow_up_advisor=users["advisor"])
    client.force_login(users["advisor"])

    text = client.get(reverse("home")).content.decode()

    assert "Kadiatou Cissé" in text


def test_the_office_dashboard_keeps_its_query_count(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            VisitFactory(migrant=MigrantFactory(office=office), follow_up_on=timezone.localdate(),
                         follow_up_advisor=users["advisor"])

    response = assert_constant_queries(client, reverse("home"), make_rows=make_rows)
    assert response.status_code == 200


def test_the_navigation_shows_migrants_to_staff_and_my_profile_to_migrants(client, users):
    client.force_login(users["advisor"])
    staff_page = client.get(reverse("home")).content.decode()
    client.force_login(users["migrant"])
    migrant_page = client.get(reverse("home")).content.decode()

    assert 'href="/migrants/"' in staff_page and 'href="/migrants/me/"' not in staff_page
    assert 'href="/migrants/me/"' in migrant_page and 'href="/migrants/"' not in migrant_page


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("migrants:list"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert LOGIN == "login"


def test_the_list_points_at_pending_links_and_erasure_requests(client, users, office):
    from migrants.models import LinkRequest

    asking = MigrantFactory(office=office, last_name="Sonko", erasure_requested_at=timezone.now())
    MigrantFactory(office=office, last_name="Coly")
    LinkRequest.objects.create(migrant=asking, user=users["migrant"])
    client.force_login(users["advisor"])

    text = client.get(reverse("migrants:list")).content.decode()

    assert 'data-testid="pending-links"' in text and "migrant@example.sn" in text
    assert "1 personne a demandé l&#x27;effacement" in text or "1 personne a demandé" in text
    assert list_names(client, erasure_requested="on") == ["Sonko"]


def test_other_apps_add_sections_to_the_person_s_page(client, users, office, monkeypatch):
    from django.apps import apps

    migrant = MigrantFactory(office=office)
    monkeypatch.setattr(
        apps.get_app_config("projects"), "migrant_page_sections", ("migrants/_follow_up_list.html",), raising=False
    )
    client.force_login(users["advisor"])

    text = client.get(reverse("migrants:detail", args=[migrant.pk])).content.decode()

    assert 'data-testid="follow-ups"' in text
