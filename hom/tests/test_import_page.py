"""The one import page serves the persons' and the organisations' imports."""
from django.urls import reverse

from migrants import imports as migrant_imports
from partnerships import imports as organisation_imports

HEADERS = ["Prénom", "Nom"]


def test_a_ready_persons_import_offers_its_start_button_and_an_invalid_one_does_not(client, users, office):
    ready = migrant_imports.import_create(office=office, uploaded_by=users["advisor"], file_name="ok.csv",
                                          headers=HEADERS, rows=[["Awa", "Sané"]])
    migrant_imports.import_check(migrant_import=ready, mapping=ready.mapping)
    invalid = migrant_imports.import_create(office=office, uploaded_by=users["advisor"], file_name="ko.csv",
                                            headers=HEADERS, rows=[["Awa", ""]])
    migrant_imports.import_check(migrant_import=invalid, mapping=invalid.mapping)
    client.force_login(users["advisor"])

    ready_page = client.get(ready.get_absolute_url()).content.decode()
    invalid_page = client.get(invalid.get_absolute_url()).content.decode()

    assert "Importer 1 personne" in ready_page
    assert f'action="{reverse("migrants:import_start", args=[ready.pk])}"' in ready_page
    assert "Importer 1 personne" not in invalid_page
    assert reverse("migrants:import_start", args=[invalid.pk]) not in invalid_page
    assert "1 ligne à corriger" in invalid_page and "Prénom ou nom manquant" in invalid_page
    assert f'href="{reverse("migrants:import_list")}"' in ready_page


def test_an_organisations_import_uses_the_same_page_with_its_own_start_and_back_links(client, users):
    organisation_import = organisation_imports.organisation_import_create(
        uploaded_by=users["advisor"], file_name="orgs.csv", headers=["Nom"], rows=[["Association Kawral"]]
    )
    organisation_imports.organisation_import_check(organisation_import=organisation_import,
                                                   mapping=organisation_import.mapping)
    client.force_login(users["advisor"])

    page = client.get(organisation_import.get_absolute_url()).content.decode()

    assert "Importer 1 organisation" in page and "Association Kawral" in page
    assert f'action="{reverse("partnerships:import_start", args=[organisation_import.pk])}"' in page
    assert f'href="{reverse("partnerships:import_list")}"' in page
