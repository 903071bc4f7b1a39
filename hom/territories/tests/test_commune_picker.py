"""The commune picker: a grouped <select> without JavaScript, a search that tells homonyms apart."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hom.territories.models import Commune, Region
from hom.territories.selectors import MAX_RESULTS, communes_search, normalise_name
from hom.territories.widgets import CommuneChoiceField
from hom.testing.access import ROLES, assert_access_matrix
from migrants.forms import SignUpForm, WalkInForm
from projects.forms import IdeaForm

SEARCH = "/territories/communes/search/"


class _Options(HTMLParser):
    """Each <option> of a rendered <select> with the label of its <optgroup>."""

    def __init__(self):
        super().__init__()
        self.group, self.options, self._option = None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "optgroup":
            self.group = attrs["label"]
        elif tag == "option":
            self._option = {"value": attrs["value"], "group": self.group, "label": ""}

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self.group = None
        elif tag == "option" and self._option is not None:
            self.options.append(self._option)
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["label"] += data.strip()


def options_of(html: str) -> list[dict]:
    parser = _Options()
    parser.feed(html)
    return parser.options


def results_of(html: str) -> list[str]:
    """The labels of the search's result buttons."""

    class Buttons(HTMLParser):
        def __init__(self):
            super().__init__()
            self.labels, self._in = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "button":
                self._in = True
                self.labels.append("")

        def handle_endtag(self, tag):
            if tag == "button":
                self._in = False

        def handle_data(self, data):
            if self._in:
                self.labels[-1] += data

    parser = Buttons()
    parser.feed(html)
    return [" ".join(label.split()) for label in parser.labels]


@pytest.mark.django_db
def test_without_javascript_the_select_groups_communes_by_region_and_department():
    options = options_of(str(SignUpForm()["commune_of_origin"]))
    communes = [option for option in options if option["value"]]

    assert len(communes) == Commune.objects.count() == 553
    dinguiraye = [option for option in communes if option["label"].startswith("Dinguiraye")]
    assert [(option["group"], option["label"]) for option in dinguiraye] == [
        ("Diourbel — Bambey", "Dinguiraye — Bambey (Diourbel)"),
        ("Kolda — Médina Yoro Foulah", "Dinguiraye — Médina Yoro Foulah (Kolda)"),
    ]
    # Every commune sits in the group of its own region and department.
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    chosen = next(option for option in communes if option["value"] == str(sedhiou.pk))
    assert chosen == {"value": str(sedhiou.pk), "group": "Sédhiou — Sédhiou", "label": "Sédhiou — Sédhiou (Sédhiou)"}
    groups = [option["group"] for option in communes]
    assert groups == sorted(groups, key=lambda label: tuple(label.split(" — ")))


@pytest.mark.django_db
def test_the_select_is_built_in_one_query(django_assert_num_queries):
    field = WalkInForm()["commune"]
    with django_assert_num_queries(1):
        html = str(field)
    assert "<optgroup" in html


@pytest.mark.django_db
def test_a_dossier_offers_only_its_office_region_and_searches_only_there(office):
    field = IdeaForm(office=office)["commune"]
    html = str(field)
    options = [option for option in options_of(html) if option["value"]]

    assert options and all(option["label"].endswith("(Sédhiou)") for option in options)
    assert f'hx-vals=\'{{"region": "{office.region_id}"}}\'' in html


@pytest.mark.django_db
def test_the_field_refuses_a_commune_outside_its_queryset(office):
    kolda = Commune.objects.get(code="SN0702_DINGUIRAYE")
    field = CommuneChoiceField()
    field.limit_to_region(office.region_id)

    with pytest.raises(ValidationError) as refused:
        field.clean(str(kolda.pk))
    assert refused.value.code == "invalid_choice"


def test_names_are_compared_without_accents_case_or_punctuation():
    assert normalise_name("Médina-Gounass") == "medina gounass"
    assert normalise_name("  N'DIAREME   Limamoulaye ") == "n diareme limamoulaye"
    assert normalise_name("\x00ÇÀ") == "ca"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["medina gounass", "Médina Gounass", "MEDINA-GOUNASS", "gounass medina", "médinagounass"]
)
def test_the_search_finds_communes_whatever_the_accents(client, query):
    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assert results_of(response.content.decode()) == [
        "Medina Gounass — Guédiawaye (Dakar)",
        "Medina Gounass — Vélingara (Kolda)",
    ]


@pytest.mark.django_db
def test_the_search_shows_both_dinguiraye_with_department_and_region_and_counts_them(client):
    html = client.get(SEARCH, {"q": "dinguiraye"}).content.decode()

    assert results_of(html) == ["Dinguiraye — Bambey (Diourbel)", "Dinguiraye — Médina Yoro Foulah (Kolda)"]
    assert "2 communes trouvées." in html
    for commune in Commune.objects.filter(name="Dinguiraye"):
        assert f'data-pk="{commune.pk}" data-code="{commune.code}"' in html


@pytest.mark.django_db
def test_the_best_match_comes_first_and_the_list_is_capped(client):
    first = results_of(client.get(SEARCH, {"q": "sedhiou"}).content.decode())[0]
    assert first == "Sédhiou — Sédhiou (Sédhiou)"

    search = communes_search("a")
    assert len(search.hits) == MAX_RESULTS < search.total
    html = client.get(SEARCH, {"q": "a"}).content.decode()
    assert (
        f"{search.total} communes trouvées, les {MAX_RESULTS} premières affichées\u00a0: tapez plus de lettres." in html
    )


@pytest.mark.django_db
def test_the_search_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "2 communes found." in client.get(SEARCH, {"q": "dinguiraye"}).content.decode()
    assert "1 commune found." in client.get(SEARCH, {"q": "sedhiou"}).content.decode()


@pytest.mark.django_db
def test_the_region_filter_keeps_only_its_communes(client):
    kolda = Region.objects.get(code="SN07")
    html = client.get(SEARCH, {"q": "dinguiraye", "region": kolda.pk}).content.decode()

    assert results_of(html) == ["Dinguiraye — Médina Yoro Foulah (Kolda)"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 10_000},
        {"q": "dinguiraye\x00"},
        {"q": "'; DROP TABLE territories_commune; --"},
        {"q": "%_%"},
        {"q": "dinguiraye", "region": "not-a-number"},
        {"q": "dinguiraye", "region": "9" * 40},
        {"q": "dinguiraye", "region": "１２"},
    ],
)
def test_odd_queries_answer_without_error(client, params):
    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert Commune.objects.count() == 553
    if not normalise_name(params.get("q", "")):
        assert response.content.decode().strip() == ""


@pytest.mark.django_db
def test_a_very_long_query_finds_nothing_but_says_so(client):
    html = client.get(SEARCH, {"q": "dinguiraye" + "z" * 10_000}).content.decode()
    assert results_of(html) == []
    assert "0 commune trouvée." in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["d", "dinguiraye", "a"])
def test_the_search_is_one_query_whatever_it_finds(client, django_assert_num_queries, query):
    with django_assert_num_queries(1):
        client.get(SEARCH, {"q": query})


def test_the_search_is_public_reference_data_for_everyone(client, users):
    # The migrants' sign-up form, which anyone may open, uses it.
    assert_access_matrix(client, SEARCH + "?q=sedhiou", {role: 200 for role in ROLES}, users)


@pytest.mark.django_db
def test_the_search_only_answers_get(client):
    assert client.post(SEARCH, {"q": "dinguiraye"}).status_code == 405


@pytest.mark.django_db
def test_the_search_url_is_named():
    assert reverse("territories:commune_search") == SEARCH
