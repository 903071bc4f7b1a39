"""Import of spreadsheets: mapping, row-by-row errors, all or nothing, large files in Celery."""
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hom.imports.mapping import guess_mapping
from hom.imports.reading import read_bytes
from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants import imports
from migrants.models import ImportStatus, Migrant, MigrantImport
from migrants.tests.factories import MigrantFactory

HEADERS = ["Prénom", "Nom", "Sexe", "Année de naissance", "Téléphone", "E-mail", "Commune", "Situation", "Pays"]


def person_row(index):
    return [f"Awa{index:04d}", "Sané", "F", str(1960 + index % 40), f"77{1000000 + index:07d}", "", "Sédhiou",
            "Diaspora", "France"]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("registre.xlsx", output.getvalue())


def thousand_rows_with_three_bad():
    rows = [person_row(index) for index in range(1000)]
    rows[10][6] = "Atlantis"
    rows[500][4] = "12"
    rows[900][1] = ""
    return rows


def upload_and_check(client, upload):
    response = client.post(reverse("migrants:import_list"), {"file": upload})
    migrant_import = MigrantImport.objects.latest("pk")
    assert response["Location"] == migrant_import.get_absolute_url()
    client.post(migrant_import.get_absolute_url(), migrant_import.mapping)
    migrant_import.refresh_from_db()
    return migrant_import


def test_a_thousand_rows_with_three_bad_import_nothing_then_all_once_fixed(
    client, users, office, django_capture_on_commit_callbacks
):
    client.force_login(users["advisor"])
    rows = thousand_rows_with_three_bad()

    bad = upload_and_check(client, xlsx(rows))
    refused = client.post(reverse("migrants:import_start", args=[bad.pk]))
    page = client.get(bad.get_absolute_url()).content.decode()

    assert bad.status == ImportStatus.INVALID and refused.status_code == 302
    assert [error["row"] for error in bad.errors] == [12, 502, 902]
    assert "Commune inconnue « Atlantis »" in page and "Numéro de téléphone invalide « 12 »" in page
    assert "Prénom ou nom manquant" in page
    assert Migrant.objects.count() == 0

    rows[10][6], rows[500][4], rows[900][1] = "Marsassoum", "70 100 00 00", "Mané"
    fixed = upload_and_check(client, xlsx(rows))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:import_start", args=[fixed.pk]))
    fixed.refresh_from_db()

    assert fixed.status == ImportStatus.DONE and fixed.imported_count == 1000
    assert Migrant.objects.count() == 1000
    assert Migrant.objects.filter(file_number__startswith="SED-").count() == 1000
    progress = client.get(reverse("migrants:import_progress", args=[fixed.pk])).content.decode()
    assert 'data-progress="100"' in progress


def test_duplicates_inside_the_file_and_against_the_office_are_errors(office, users, sedhiou):
    MigrantFactory(office=office, phone="+221771000001", file_number="SED-2025-00007")
    rows = [person_row(0), person_row(1), person_row(0)]
    migrant_import = imports.import_create(
        office=office, uploaded_by=users["advisor"], file_name="x.csv", headers=HEADERS, rows=rows
    )

    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)

    assert migrant_import.errors == [
        {"row": 3, "messages": ["Déjà inscrit sous le numéro SED-2025-00007."]},
        {"row": 4, "messages": ["Doublon de la ligne 2 du fichier."]},
    ]


def test_a_csv_with_semicolons_and_latin1_is_read_and_mapped(office, users):
    content = "Prénom;Nom;Commune;Pays\nAwa;Sané;sedhiou;ES\n".encode("latin-1")

    headers, rows = read_bytes(name="x.csv", content=content)

    assert headers == ["Prénom", "Nom", "Commune", "Pays"] and rows == [["Awa", "Sané", "sedhiou", "ES"]]
    assert guess_mapping(headers, imports.HEADER_ALIASES) == {
        "first_name": "Prénom", "last_name": "Nom", "commune_of_origin": "Commune", "country_of_residence": "Pays"
    }


def test_the_documented_sample_file_imports(office, users):
    sample = settings.BASE_DIR / "docs" / "migrants_import_sample.csv"
    headers, rows = read_bytes(name=sample.name, content=sample.read_bytes())
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="s.csv",
                                           headers=headers, rows=rows)

    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    imports.import_queue(migrant_import=migrant_import)
    imports.import_run(migrant_import=migrant_import)

    assert migrant_import.errors == [] and migrant_import.imported_count == 5
    assert Migrant.objects.get(last_name="Badji").country_of_residence == "IT"


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.xlsx", b"not a workbook"), ("x.csv", b"Nom\n"), ("x.csv", b"Nom;Nom\nA;B\n")],
)
def test_an_unreadable_file_says_why(client, users, name, content):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:import_list"), {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not MigrantImport.objects.exists()


def test_running_an_import_twice_imports_once(office, users):
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                           headers=HEADERS, rows=[person_row(1)])
    imports.import_check(migrant_import=migrant_import, mapping=migrant_import.mapping)
    imports.import_queue(migrant_import=migrant_import)

    imports.import_run(migrant_import=migrant_import)
    imports.import_run(migrant_import=migrant_import)

    assert Migrant.objects.count() == 1


def test_without_name_columns_nothing_can_be_checked(office, users):
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                           headers=["A", "B"], rows=[["1", "2"]])

    imports.import_check(migrant_import=migrant_import, mapping={})

    assert migrant_import.status == ImportStatus.INVALID and migrant_import.errors[0]["row"] == 1


def test_import_pages_are_for_the_office_staff(client, users, office):
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                           headers=HEADERS, rows=[person_row(1)])

    assert_access_matrix(client, reverse("migrants:import_list"), staff_only(), users)
    object_staff = staff_only(other_office_advisor=404)
    assert_access_matrix(client, migrant_import.get_absolute_url(), object_staff, users)
    assert_access_matrix(client, reverse("migrants:import_progress", args=[migrant_import.pk]), object_staff, users)
    assert_access_matrix(
        client, reverse("migrants:import_start", args=[migrant_import.pk]),
        staff_only(superuser=302, admin=302, advisor=302, other_office_advisor=404), users, method="post",
    )


def test_the_import_list_keeps_its_query_count(client, users, office):
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv", headers=HEADERS,
                                  rows=[person_row(1)])

    response = assert_constant_queries(client, reverse("migrants:import_list"), make_rows=make_rows)
    assert response.content.decode().count("x.csv") == 20
