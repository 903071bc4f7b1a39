"""The catalogue's pages: who opens what, query counts, htmx, and admins maintaining it."""
from django.urls import reverse

from hom.territories.models import Sector
from hom.testing.access import LOGIN, ROLES, assert_access_matrix
from hom.testing.queries import assert_constant_queries
from projects.funding.models import FundingOpportunity, FundingType
from projects.tests.funding_factories import FundingOpportunityFactory

ADMINS_ONLY = {
    "anonymous": LOGIN,
    "superuser": 200,
    "admin": 200,
    "advisor": 403,
    "other_office_advisor": 403,
    "migrant": 403,
    "other_migrant": 403,
    "authority": 403,
    "partner": 403,
}


def _add(count):
    grant = FundingType.objects.get(code="grant")
    poultry = Sector.objects.get(code="ELEV")
    return FundingOpportunityFactory.create_batch(
        count, types=[grant], eligible_sectors=[poultry], keywords="volaille", amount_max=1_000_000
    )


def test_the_list_is_public(client, users):
    assert_access_matrix(client, reverse("funding:list"), {role: 200 for role in ROLES}, users)


def test_the_detail_is_public(client, users):
    opportunity = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")

    assert_access_matrix(client, reverse("funding:detail", args=[opportunity.pk]), {role: 200 for role in ROLES}, users)


def test_only_admins_create(client, users):
    assert_access_matrix(client, reverse("funding:create"), ADMINS_ONLY, users)


def test_only_admins_edit(client, users):
    opportunity = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")

    assert_access_matrix(client, reverse("funding:update", args=[opportunity.pk]), ADMINS_ONLY, users)


def test_an_unknown_opportunity_answers_404(client, users):
    client.force_login(users["admin"])

    assert client.get(reverse("funding:detail", args=[999999])).status_code == 404
    assert client.get(reverse("funding:update", args=[999999])).status_code == 404


def test_the_list_keeps_its_query_count_for_visitors(client, db):
    FundingOpportunity.objects.all().delete()

    response = assert_constant_queries(client, reverse("funding:list"), make_rows=_add)

    assert len(response.context["page"]) == 20


def test_the_list_keeps_its_query_count_for_staff(client, users):
    client.force_login(users["advisor"])
    FundingOpportunity.objects.all().delete()

    response = assert_constant_queries(client, reverse("funding:list"), make_rows=_add)

    assert len(response.context["page"]) == 20


def test_the_search_with_every_filter_keeps_its_query_count(client, db):
    FundingOpportunity.objects.all().delete()
    filters = {
        "q": "volaille",
        "type": "grant",
        "sector": "ELEV",
        "target_group": "women",
        "region": "SN11",
        "amount": 500000,
        "open_now": "on",
    }

    response = assert_constant_queries(client, reverse("funding:list"), make_rows=_add, data=filters)

    assert response.context["page"].paginator.count == 20


def test_the_detail_keeps_its_query_count_whatever_its_relations(client, db, django_assert_max_num_queries):
    opportunity = FundingOpportunity.objects.get(name="Tekki Fii - Développer l'emploi au Sénégal")

    with django_assert_max_num_queries(10):
        response = client.get(opportunity.get_absolute_url())

    assert "Sédhiou" in response.content.decode()


def test_htmx_gets_only_the_results(client, db):
    response = client.get(reverse("funding:list"), {"q": "elevage"}, headers={"HX-Request": "true"})

    text = response.content.decode()
    assert 'data-testid="funding-result"' in text
    assert "<html" not in text


def test_the_public_page_shows_no_personal_data(client, users):
    personal = {"accounts.user", "migrants.migrant"}
    related = {
        field.related_model._meta.label_lower for field in FundingOpportunity._meta.get_fields() if field.related_model
    }

    response = client.get(reverse("funding:list"))

    assert related & personal == set()
    assert "@example.sn" not in response.content.decode()


def test_anonymous_visitors_find_the_catalogue_from_the_welcome_page(client, db):
    response = client.get(reverse("home"))

    assert reverse("funding:list") in response.content.decode()


def test_every_role_has_the_funding_menu_entry(client, users, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(users["partner"])

    response = client.get(reverse("home"))

    assert ("Funding", reverse("funding:list")) in [
        (str(entry["label"]), entry["url"]) for entry in response.context["navigation"]
    ]


def test_an_admin_adds_a_programme(client, users):
    client.force_login(users["admin"])

    response = client.post(
        reverse("funding:create"),
        {
            "name": "Fonds d'appui à l'aviculture",
            "funder_name": "ARD de Sédhiou",
            "types": [FundingType.objects.get(code="grant").pk],
            "eligible_sectors": [Sector.objects.get(code="ELEV").pk],
            "amount_min": "500000",
            "amount_max": "2000",
            "currency": "EUR",
            "status": "open",
            "required_documents": ["ID", "BUSINESS_PLAN"],
            "source_url": "ard-sedhiou.sn/aviculture",
        },
    )

    text = response.content.decode()
    assert response.status_code == 200  # min above max: refused, input kept
    assert 'value="Fonds d&#x27;appui à l&#x27;aviculture"' in text

    response = client.post(
        reverse("funding:create"),
        {
            "name": "Fonds d'appui à l'aviculture",
            "funder_name": "ARD de Sédhiou",
            "types": [FundingType.objects.get(code="grant").pk],
            "eligible_sectors": [Sector.objects.get(code="ELEV").pk],
            "amount_min": "500",
            "amount_max": "2000",
            "currency": "EUR",
            "status": "open",
            "required_documents": ["ID", "BUSINESS_PLAN"],
            "source_url": "ard-sedhiou.sn/aviculture",
        },
    )

    opportunity = FundingOpportunity.objects.get(name="Fonds d'appui à l'aviculture")
    assert response["Location"] == opportunity.get_absolute_url()
    assert opportunity.amount_max_xof == 1_311_914
    assert opportunity.required_documents == ["ID", "BUSINESS_PLAN"]
    assert opportunity.source_url == "https://ard-sedhiou.sn/aviculture"
    found = client.get(reverse("funding:list"), {"q": "volaille"}).context["page"]
    assert "Fonds d'appui à l'aviculture" in [result.name for result in found]


def test_a_sector_cannot_be_both_eligible_and_excluded(client, users, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(users["superuser"])
    poultry = Sector.objects.get(code="ELEV").pk

    response = client.post(
        reverse("funding:create"),
        {
            "name": "X",
            "funder_name": "Y",
            "types": [FundingType.objects.get(code="loan").pk],
            "status": "open",
            "currency": "XOF",
            "eligible_sectors": [poultry],
            "excluded_sectors": [poultry],
        },
    )

    assert "A sector cannot be both eligible and excluded." in response.content.decode()
    assert not FundingOpportunity.objects.filter(name="X").exists()


def test_an_admin_marks_a_programme_verified_and_closed(client, users):
    opportunity = FundingOpportunity.objects.get(name="FORIM PRA/OSIM")
    client.force_login(users["admin"])
    form = client.get(reverse("funding:update", args=[opportunity.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        types=[kind.pk for kind in form.initial["types"]],
        target_groups=[group.pk for group in form.initial["target_groups"]],
        eligible_sectors=[sector.pk for sector in form.initial["eligible_sectors"]],
        excluded_sectors=[],
        eligible_regions=[],
        eligible_communes=[],
        status="closed",
        last_verified_on="2026-11-20",
    )

    response = client.post(reverse("funding:update", args=[opportunity.pk]), data)

    opportunity.refresh_from_db()
    assert response.status_code == 302
    assert (opportunity.status, str(opportunity.last_verified_on)) == ("closed", "2026-11-20")
    assert opportunity.required_own_contribution_percent == 30


SEDHIOU_IDEA = {
    "sector": "AGRI",
    "commune": "SN1103_SEDHIOU",
    "amount_sought": 8_000_000,
    "own_contribution_percent": 20,
    "promoter_situation": "returned",
    "sex": "M",
    "age": 34,
    "promoter_kind": "individual",
    "documents": ["ID", "BUSINESS_PLAN"],
}


def test_the_eligibility_check_is_public(client, users):
    assert_access_matrix(client, reverse("funding:check"), {role: 200 for role in ROLES}, users, data=SEDHIOU_IDEA)


def test_the_eligibility_check_lists_eligible_programmes_first_and_says_which_rule_failed(client, db, settings):
    settings.LANGUAGE_CODE = "en"

    response = client.get(reverse("funding:check"), SEDHIOU_IDEA)

    matches = response.context["matches"]
    text = response.content.decode()
    assert matches[0].terms.name == "PAMECAS - crédit projets (microfinance)"
    assert text.index("PAMECAS - crédit projets") < text.index("DER/FJ - Délégation")
    assert "8\u202f000\u202f000\u00a0FCFA is above the maximum of 5\u202f000\u202f000\u00a0FCFA." in text
    assert "Seek at most 5\u202f000\u202f000\u00a0FCFA and finance the rest from other sources." in text


def test_the_eligibility_check_reports_bad_input(client, db, settings):
    settings.LANGUAGE_CODE = "en"

    response = client.get(reverse("funding:check"), {"age": "old", "own_contribution_percent": 140, "sector": "AGRI"})

    text = response.content.decode()
    assert response.status_code == 200
    assert response.context["matches"] is None
    assert "Enter a whole number." in text
    assert "Ensure this value is less than or equal to 100." in text


def test_the_eligibility_check_keeps_its_query_count(client, db):
    FundingOpportunity.objects.all().delete()

    response = assert_constant_queries(client, reverse("funding:check"), make_rows=_add, data=SEDHIOU_IDEA)

    assert len(response.context["matches"]) == 20
