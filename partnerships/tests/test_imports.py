import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from migrants.models import ImportStatus
from partnerships.imports import organisation_import_check, organisation_import_create, organisation_import_run
from partnerships.models import Organisation, OrganisationImport

from .factories import OrganisationFactory

CSV = (
    "Nom;Sigle;Type;Pays;Ville;Communes;Secteurs;Source\n"
    "Amicale de Marsassoum;AMM;association de ressortissants;Espagne;Lleida;Marsassoum;AGRI;https://example.org/a\n"
    "Kandeemaa;;diaspora;ES;Sabadell;Sédhiou;Agriculture, maraîchage, arboriculture;\n"
)


def _upload(client, name, content):
    return client.post(reverse("partnerships:import_list"), {"file": SimpleUploadedFile(name, content)})


def _import(user, rows, headers=("Nom", "Pays", "Communes")):
    organisation_import = organisation_import_create(
        uploaded_by=user, file_name="f.csv", headers=list(headers), rows=[list(row) for row in rows]
    )
    return organisation_import_check(
        organisation_import=organisation_import, mapping={"name": "Nom", "country": "Pays", "communes_served": "Communes"}
    )


def test_a_csv_is_previewed_then_imported(client, users, marsassoum):
    client.force_login(users["advisor"])
    # when the file is uploaded, its columns are guessed
    response = _upload(client, "associations.csv", CSV.encode("utf-8"))
    organisation_import = OrganisationImport.objects.get()
    assert response.status_code == 302
    assert organisation_import.mapping["communes_served"] == "Communes"
    # when the rows are checked with the guessed mapping
    client.post(reverse("partnerships:import_detail", args=[organisation_import.pk]), organisation_import.mapping)
    organisation_import.refresh_from_db()
    assert organisation_import.status == ImportStatus.READY, organisation_import.errors
    # when it is started
    client.post(reverse("partnerships:import_start", args=[organisation_import.pk]))
    # then
    amicale = Organisation.objects.get(acronym="AMM")
    assert amicale.kind == "hometown" and amicale.country == "ES"
    assert list(amicale.communes_served.all()) == [marsassoum]
    assert Organisation.objects.get(name="Kandeemaa").sectors.get().code == "AGRI"


def test_an_xlsx_is_read(client, users):
    workbook = Workbook()
    workbook.active.append(["Nom", "Pays", "Ville"])
    workbook.active.append(["FAST", "Italie", "Treviso"])
    content = io.BytesIO()
    workbook.save(content)
    client.force_login(users["advisor"])

    _upload(client, "associations.xlsx", content.getvalue())

    assert OrganisationImport.objects.get().rows == [["FAST", "Italie", "Treviso"]]


def test_an_unreadable_file_is_explained(client, users):
    client.force_login(users["advisor"])

    response = _upload(client, "associations.csv", b"Nom\n")

    assert response.status_code == 200
    assert "aucune ligne" in response.content.decode()


def test_errors_are_listed_row_by_row_and_nothing_is_imported(client, users):
    # given
    OrganisationFactory(name="Déjà là", country="FR", city="")
    organisation_import = _import(users["advisor"], [
        ["Bonne", "France", "Marsassoum"], ["", "France", ""], ["Autre", "Atlantide", "Nulle-part"],
        ["Déjà là", "France", ""], ["Bonne", "France", ""],
    ])
    # when
    organisation_import_run(organisation_import=organisation_import)
    # then
    assert organisation_import.status == ImportStatus.INVALID
    assert [error["row"] for error in organisation_import.errors] == [3, 4, 5, 6]
    assert "Commune inconnue « Nulle-part »." in organisation_import.errors[1]["messages"]
    assert Organisation.objects.count() == 1


def test_the_import_is_all_or_nothing_when_a_row_fails_at_creation(users):
    # given: a check passed, then someone recorded the same organisation before the import ran
    organisation_import = _import(users["advisor"], [["Bonne", "France", ""], ["Seconde", "France", ""]])
    OrganisationFactory(name="Seconde", country="FR", city="")
    # when
    organisation_import_run(organisation_import=organisation_import)
    # then
    assert organisation_import.status == ImportStatus.FAILED
    assert not Organisation.objects.filter(name="Bonne").exists()


def test_an_import_runs_once(users):
    organisation_import = _import(users["advisor"], [["Bonne", "France", ""]])

    organisation_import_run(organisation_import=organisation_import)
    organisation_import_run(organisation_import=organisation_import)

    assert Organisation.objects.filter(name="Bonne").count() == 1
    assert organisation_import.imported_count == 1


def test_access_to_the_imports(client, users):
    assert_access_matrix(client, reverse("partnerships:import_list"), staff_only(), users)


def test_access_to_an_import(client, users):
    organisation_import = _import(users["advisor"], [["Bonne", "France", ""]])
    url = reverse("partnerships:import_detail", args=[organisation_import.pk])
    expected = staff_only(admin=404, other_office_advisor=404)

    assert_access_matrix(client, url, expected, users)


def test_access_to_starting_an_import(client, users):
    organisation_import = _import(users["advisor"], [["Bonne", "France", ""]])
    url = reverse("partnerships:import_start", args=[organisation_import.pk])
    expected = staff_only(admin=404, other_office_advisor=404, advisor=302, superuser=302)

    assert_access_matrix(client, url, expected, users, method="post")


def test_starting_an_import_with_errors_is_refused(client, users):
    organisation_import = _import(users["advisor"], [["", "France", ""]])
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:import_start", args=[organisation_import.pk]), follow=True)

    assert "pas prêt" in response.content.decode()


def test_the_imports_list_keeps_constant_queries(client, users):
    client.force_login(users["advisor"])

    assert_constant_queries(client, reverse("partnerships:import_list"), make_rows=lambda count: [
        _import(users["advisor"], [["Bonne", "France", ""]]) for _ in range(count)
    ])
