"""The registry at office scale (issue 18, point 2): few queries, an indexed search, a capped count, cached lists."""
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.territories.models import NeedCategory, Sector
from hom.testing.queries import count_queries
from migrants import selectors
from migrants.models import LinkRequest, Migrant
from migrants.tests.factories import MigrantFactory, VisitFactory
from migrants.views import registry

MAX_QUERIES = 10


def assert_few_constant_queries(client, url, *, make_rows, data=None):
    """2 rows then 20: the same number of queries, at most MAX_QUERIES (each counted on a second request)."""
    counts = []
    for rows in (2, 18):
        make_rows(rows)
        client.get(url, data or {})
        count, response = count_queries(client, url, data=data)
        counts.append(count)
    assert counts[0] == counts[1], f"{url} {data}: {counts[0]} queries for 2 rows but {counts[1]} for 20"
    assert counts[1] <= MAX_QUERIES, f"{url} {data}: {counts[1]} queries"
    return response


def test_the_registry_list_takes_at_most_ten_queries_whatever_the_rows(client, users, office, needs):
    client.force_login(users["advisor"])

    def make_rows(count):
        for migrant in MigrantFactory.create_batch(count, office=office, advisor=users["advisor"]):
            VisitFactory(migrant=migrant, needs=[needs["FUNDING"]])

    response = assert_few_constant_queries(client, reverse("migrants:list"), make_rows=make_rows)
    assert response.content.decode().count('data-testid="migrant-row"') == 20


def test_the_registry_search_takes_at_most_ten_queries_whatever_the_rows(client, users, office, needs):
    client.force_login(users["advisor"])
    MigrantFactory.create_batch(3, office=office, last_name="Coly")

    def make_rows(count):
        for migrant in MigrantFactory.create_batch(count, office=office, last_name="Diédhiou"):
            VisitFactory(migrant=migrant, needs=[needs["FUNDING"]])

    response = assert_few_constant_queries(client, reverse("migrants:list"), make_rows=make_rows, data={"q": "diedhiu"})
    assert response.content.decode().count('data-testid="migrant-row"') == 20


def test_the_person_page_takes_at_most_ten_queries_whatever_the_rows(client, users, office, needs):
    migrant = MigrantFactory(office=office)
    migrant.sectors_of_interest.add(*Sector.objects.all()[:2])
    client.force_login(users["advisor"])

    def make_rows(count):
        for _ in range(count):
            VisitFactory(
                migrant=migrant, advisor=users["advisor"], needs=[needs["FUNDING"], needs["PAPERS"]],
                follow_up_on=timezone.localdate(), follow_up_advisor=users["advisor"],
            )

    response = assert_few_constant_queries(client, reverse("migrants:detail", args=[migrant.pk]), make_rows=make_rows)
    assert response.context["visits"] and len(response.context["visits"]) == 20


def test_the_person_page_still_shows_an_account_waiting_to_be_linked(client, users, office):
    migrant = MigrantFactory(office=office)
    alone = MigrantFactory(office=office)
    LinkRequest.objects.create(migrant=migrant, user=users["migrant"])
    client.force_login(users["advisor"])

    assert users["migrant"].email in client.get(reverse("migrants:detail", args=[migrant.pk])).content.decode()
    assert client.get(reverse("migrants:detail", args=[alone.pk])).context["link_requests"] == []


# --- The capped count -----------------------------------------------------------------------------


def test_the_count_stops_past_the_cap_and_next_is_offered_exactly_when_a_row_follows(office):
    MigrantFactory.create_batch(12, office=office)
    persons = Migrant.objects.order_by("pk")

    first = selectors.CappedPaginator(persons, 5, number=1, cap=7).page(1)
    second = selectors.CappedPaginator(persons, 5, number=2, cap=7).page(2)
    third = selectors.CappedPaginator(persons, 5, number=3, cap=7).page(3)

    assert (first.paginator.capped, first.paginator.floor, first.has_next(), len(first)) == (True, 7, True, 5)
    assert (second.paginator.capped, second.paginator.floor, second.has_next(), len(second)) == (True, 10, True, 5)
    assert (third.paginator.capped, third.paginator.count, third.has_next(), len(third)) == (False, 12, False, 2)
    assert [m.pk for m in [*first, *second, *third]] == list(persons.values_list("pk", flat=True))


def test_the_count_reads_no_more_rows_than_the_cap(office):
    MigrantFactory.create_batch(4, office=office)

    with CaptureQueriesContext(connection) as queries:
        count = selectors.CappedPaginator(Migrant.objects.all(), 2, cap=2).count

    assert count == 3
    assert "LIMIT 3" in queries.captured_queries[0]["sql"]


def test_the_list_says_more_than_the_cap_then_the_exact_count_on_the_last_page(client, users, office, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    MigrantFactory.create_batch(5, office=office)
    client.force_login(users["advisor"])

    first = client.get(reverse("migrants:list")).content.decode()
    last = client.get(reverse("migrants:list"), {"page": 3}).content.decode()
    beyond = client.get(reverse("migrants:list"), {"page": 99})

    assert "Plus de 3 personnes" in first and "Page 1<" in first and "page=2" in first
    assert "5 personnes" in last and "Page 3 sur 3" in last and "page=4" not in last
    assert beyond.status_code == 200 and beyond.context["page"].number == 3


def test_the_capped_count_speaks_english_too(client, users, office, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    monkeypatch.setattr(registry, "PAGE_SIZE", 1)
    monkeypatch.setattr(selectors.CappedPaginator, "count", property(lambda self: self.window))
    MigrantFactory(office=office)
    client.force_login(users["advisor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(reverse("migrants:list")).content.decode()

    assert "More than 1,000 persons" in text and "Page 1<" in text


# --- The search -------------------------------------------------------------------------------------


def names_found(query):
    return sorted(migrant.full_name for migrant in selectors.migrant_search(Migrant.objects.all(), query))


def test_the_file_number_is_searched_only_for_a_query_that_looks_like_one(office):
    MigrantFactory(office=office, first_name="Awa", last_name="Coly", file_number="SED-2026-00042")
    MigrantFactory(office=office, first_name="Ansou", last_name="Sedhiouka", file_number="SED-2026-00043")

    assert names_found("sed") == ["Ansou Sedhiouka"]  # a name: not every file number of the office
    assert names_found("SED-2026-00042") == ["Awa Coly"]
    assert names_found("2026-00042") == ["Awa Coly"]
    assert names_found("00042") == ["Awa Coly"]
    assert names_found("sed-2026") == ["Ansou Sedhiouka", "Awa Coly"]


def test_a_search_with_no_letter_never_compares_names(office):
    MigrantFactory(office=office, first_name="Awa", last_name="Coly", phone="+221771234567")

    assert names_found("77 123 45 67") == ["Awa Coly"]
    assert names_found("+221") == []


def test_an_address_is_compared_with_the_emails_only(office):
    MigrantFactory(office=office, first_name="Awa", last_name="Coly", email="Awa.Coly@example.sn")
    MigrantFactory(office=office, first_name="Example", last_name="Sané", email="")

    assert names_found("awa.coly@EXAMPLE") == ["Awa Coly"]
    assert names_found("example@") == []


@pytest.mark.postgresql(reason="the trigram operator's threshold is a PostgreSQL setting")
def test_each_connection_carries_the_search_threshold(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == selectors.SEARCH_WORD_SIMILARITY


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE migrants_migrant")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def _many_persons(office, count):
    """``count`` persons with made-up names, phones and file numbers, in one statement."""
    syllables = ["ba", "di", "ko", "sa", "ne", "lu", "ma", "to", "fa", "gi", "ye", "so", "ra", "mou", "dia"]
    names = [
        "".join(syllables[(n // 15**k + k) % 15] for k in range(3)).capitalize() for n in range(count)
    ]
    Migrant.objects.bulk_create(
        Migrant(
            office=office, file_number=f"KOL-2025-{n:05d}", first_name=names[(n * 7) % count], last_name=names[n],
            search_name=f"{names[(n * 7) % count]} {names[n]}".lower(), phone=f"+22170{n:07d}",
        )
        for n in range(count)
    )


@pytest.mark.postgresql(reason="the office-and-trigram GIN index (btree_gin, pg_trgm) is PostgreSQL's only")
def test_the_search_reads_the_office_and_trigram_index(office):
    # Enough persons in the office that reading it all costs more than the index, as at a real desk.
    _many_persons(office, 20000)
    MigrantFactory(office=office, first_name="Mamadou", last_name="Diédhiou", phone="+221771234567")

    # The advisor's search by name, in their office: the planner chooses the index.
    for query in ["diedhiu", "Mamadou Diédhiou"]:
        plan = _plan(selectors.migrant_search(Migrant.objects.filter(office=office), query))

        assert "migrant_office_search_trgm" in plan, plan
        assert "Seq Scan on migrants_migrant" not in plan, plan
    # By phone or file number the index answers too (at 20,000 persons reading an office's phones is
    # still cheap, so it is shown on every office's persons: at 160,000 the planner takes it as well).
    for query in ["77 123 45", "SED-2026-00042", "awa.coly@example"]:
        plan = _plan(selectors.migrant_search(Migrant.objects.all(), query))

        assert "migrant_office_search_trgm" in plan, plan
        assert "Seq Scan on migrants_migrant" not in plan, plan
    assert selectors.migrant_search(Migrant.objects.filter(office=office), "diedhiu")[0].last_name == "Diédhiou"


@pytest.mark.postgresql(reason="the office-and-trigram GIN index (btree_gin, pg_trgm) is PostgreSQL's only")
def test_the_search_index_holds_the_office_first(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'migrant_office_search_trgm'")
        definition = cursor.fetchone()[0]

    assert "USING gin (office_id, search_name gin_trgm_ops" in definition


def test_the_erasure_counter_reads_its_partial_index(users, office):
    MigrantFactory.create_batch(5, office=office)
    MigrantFactory(office=office, erasure_requested_at=timezone.now())
    pending = Migrant.objects.visible_to(users["advisor"]).filter(erasure_requested_at__isnull=False, erased_at__isnull=True)

    if connection.vendor == "postgresql":
        plan = _plan(pending)
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        plan = pending.explain()

    assert selectors.erasure_requests_count(users["advisor"]) == 1
    assert "migrant_erasure_pending_idx" in plan, plan


# --- The cached choice lists ---------------------------------------------------------------------------


def _options(response, name) -> str:
    return str(response.context["filter"].form[name])


def test_the_filters_lists_are_read_once_then_from_the_cache(client, users, office):
    client.force_login(users["advisor"])
    client.get(reverse("migrants:list"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("migrants:list"))

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "territories_' not in sql and '"accounts_user"."role" IN' not in sql
    assert "Sédhiou" in _options(response, "commune") and "Kolda" not in _options(response, "department")
    assert str(users["advisor"]) in _options(response, "advisor")


def test_a_new_or_renamed_row_shows_at_once_in_the_cached_lists(client, users, office):
    client.force_login(users["advisor"])
    client.get(reverse("migrants:list"))

    newcomer = UserFactory(role=Role.ADVISOR, office=office, first_name="Néné", last_name="Badji")
    sector = Sector.objects.get(code="AGRI")
    sector.label_fr = "Agriculture et maraîchage"
    sector.save()
    response = client.get(reverse("migrants:list"))
    assert "Néné Badji" in _options(response, "advisor")
    assert "Agriculture et maraîchage" in _options(response, "sector")

    newcomer.is_active = False
    newcomer.save()
    assert "Néné Badji" not in _options(client.get(reverse("migrants:list")), "advisor")


def test_a_login_does_not_forget_the_lists(client, users, office):
    from migrants import choices

    client.force_login(users["advisor"])
    client.get(reverse("migrants:list"))
    generation = choices._generation()

    client.force_login(users["admin"])  # saves last_login alone

    assert choices._generation() == generation


def test_each_language_and_each_office_has_its_own_lists(client, users, office, other_office):
    UserFactory(role=Role.ADVISOR, office=office, first_name="Lamine", last_name="Sonko")
    client.force_login(users["advisor"])
    french = client.get(reverse("migrants:list"))
    client.force_login(users["other_office_advisor"])
    kolda = client.get(reverse("migrants:list"))
    client.force_login(users["advisor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("migrants:list"))

    sector = Sector.objects.get(code="AGRI")
    assert sector.label_fr in _options(french, "sector") and sector.label_en not in _options(french, "sector")
    assert sector.label_en in _options(english, "sector")
    # Attack: an office's cached staff and communes never reach another office's page.
    assert "Lamine Sonko" in _options(french, "advisor") and "Lamine Sonko" not in _options(kolda, "advisor")
    assert "Sédhiou" not in _options(kolda, "commune")


def test_a_choice_out_of_the_office_is_refused_even_with_the_lists_cached(client, users, office, other_office):
    MigrantFactory(office=office, advisor=users["advisor"], last_name="Coly")
    client.force_login(users["advisor"])
    client.get(reverse("migrants:list"))

    response = client.get(reverse("migrants:list"), {"advisor": users["other_office_advisor"].pk})

    assert "advisor" in response.context["filter"].form.errors
    assert str(users["other_office_advisor"]) not in response.content.decode()


def test_the_visit_form_lists_come_from_the_cache_and_follow_changes(client, users, office):
    from partnerships.tests.factories import OrganisationFactory

    migrant = MigrantFactory(office=office)
    client.force_login(users["advisor"])
    url = reverse("migrants:detail", args=[migrant.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "territories_needcategory\" WHERE" not in tables and "FROM \"partnerships_organisation\"" not in tables

    OrganisationFactory(name="Association des Sédhiois de Mantes")
    NeedCategory.objects.create(code="TEST", label_fr="Besoin nouveau", label_en="New need", position=99)
    form = str(client.get(url).context["visit_form"])
    assert "Association des Sédhiois de Mantes" in form and "Besoin nouveau" in form
    assert str(users["other_office_advisor"]) not in form
