"""The merge page proposes the likely duplicates first, above a search of the office's records (issue 15, point 7)."""
from django.urls import reverse

from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory


def test_the_likely_duplicates_come_first_above_the_search(client, users, office):
    survivor = MigrantFactory(office=office, first_name="Mariama", last_name="Cissé", phone="+221771112233")
    twin = MigrantFactory(office=office, first_name="Mariama", last_name="Cisse", phone="+221771112233")
    stranger = MigrantFactory(office=office, first_name="Zeynabou", last_name="Tamba")
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:merge", args=[survivor.pk])).content.decode()

    candidates = page.index('data-testid="merge-candidates"')
    assert candidates < page.index(twin.file_number) < page.index('data-testid="merge-search"')
    assert "même téléphone" in page
    options = page[page.index("<select"):]
    assert options.index('label="Doublons probables"') < options.index(f'value="{twin.pk}"')
    assert stranger.file_number not in page


def test_the_search_offers_another_record_which_can_be_merged(client, users, office):
    survivor = MigrantFactory(office=office, first_name="Mariama", last_name="Cissé")
    stranger = MigrantFactory(office=office, first_name="Zeynabou", last_name="Tamba")
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:merge", args=[survivor.pk]), {"q": "Tamba"}).content.decode()
    response = client.post(reverse("migrants:merge", args=[survivor.pk]), {"duplicate": stranger.pk})

    assert 'label="Résultats de la recherche"' in page and f'value="{stranger.pk}"' in page
    assert response.status_code == 302 and not Migrant.objects.filter(pk=stranger.pk).exists()


def test_a_record_of_another_office_or_an_erased_one_cannot_be_merged(client, users, office, other_office):
    from migrants.services import migrant_erase

    survivor = MigrantFactory(office=office)
    elsewhere = MigrantFactory(office=other_office, first_name="Awa")
    erased = MigrantFactory(office=office)
    migrant_erase(migrant=erased, erased_by=users["admin"])
    client.force_login(users["advisor"])

    for other in (elsewhere, erased):
        response = client.post(reverse("migrants:merge", args=[survivor.pk]), {"duplicate": other.pk})
        page = client.get(reverse("migrants:merge", args=[survivor.pk]), {"q": other.file_number}).content.decode()

        assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
        assert Migrant.objects.filter(pk=other.pk).exists()
        assert f'value="{other.pk}"' not in page
