"""The one pager of every list (templates/includes/pagination.html): its links keep the list's filters."""
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _pager(query: str, number: int, *, capped=False, **extra) -> str:
    request = RequestFactory().get(f"/somewhere/?{query}")
    paginator = Paginator(list(range(95)), 10)
    paginator.capped = capped
    with translation.override("fr"):
        return render_to_string(
            "includes/pagination.html", {"page": paginator.page(number), **extra}, request=request
        )


def test_the_links_keep_the_filters_and_change_only_the_page():
    html = _pager("q=poulailler&region=SN11&sector=AGRI&sector=ARTI&page=3", 3)
    assert 'href="?q=poulailler&amp;region=SN11&amp;sector=AGRI&amp;sector=ARTI&amp;page=2"' in html
    assert 'href="?q=poulailler&amp;region=SN11&amp;sector=AGRI&amp;sector=ARTI&amp;page=4"' in html
    assert "Page 3 sur 10" in html


def test_the_first_page_has_no_previous_the_last_no_next_and_a_fragment_follows_the_links():
    first = _pager("", 1, fragment="#rows", testid="import-pages")
    assert "Précédent" not in first and 'href="?page=2#rows"' in first and 'data-testid="import-pages"' in first
    last = _pager("page=10", 10)
    assert "Suivant" not in last and 'href="?page=9"' in last


def test_a_capped_list_says_where_we_are_without_a_last_page():
    html = _pager("page=2", 2, capped=True)
    assert "Page 2<" in html and "sur" not in html


def test_one_page_shows_no_pager():
    request = RequestFactory().get("/")
    page = Paginator([1, 2], 10).page(1)
    assert render_to_string("includes/pagination.html", {"page": page}, request=request).strip() == ""
