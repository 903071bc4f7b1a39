"""The diaspora estimates by country (reference data) on the public directory (issue 24, part 7)."""
import csv

from django.urls import reverse

from partnerships.diaspora import DATA, diaspora_by_country, diaspora_for_countries, diaspora_totals


def test_every_country_row_of_the_reference_file_has_its_iso_code_and_the_totals_are_apart():
    stock = [row for row in csv.DictReader(DATA.open(encoding="utf-8")) if row["record_type"] == "stock"]

    estimates = diaspora_by_country()

    assert len(estimates) + len(diaspora_totals()) == len(stock)
    assert all(len(item.country) == 2 for item in estimates)
    assert {item.label for item in diaspora_totals()} == {
        "Senegalese emigrants - world total", "Senegalese emigrants in OECD countries"
    }
    assert [item.country for item in estimates[:3]] == ["GM", "FR", "IT"]  # largest first
    assert estimates[-1].estimate is None  # Mauritania: named, number not given


def test_estimates_for_given_countries_keep_the_order_and_ignore_unknown_codes():
    assert [item.country for item in diaspora_for_countries(["US", "FR", "ZZ"])] == ["FR", "US"]


def test_the_public_directory_shows_the_estimates_with_their_sources(client, db):
    response = client.get(reverse("partnerships:public_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="diaspora-estimates"' in html
    assert "Gambie" in html and "180\u202f000" in html  # French page, Senegalese grouping
    assert "https://ccme.org.ma/fr/medias-et-migration/13696" in html
    assert "700\u202f000" in html  # the world total
