"""Every list of /api/v1/ reads its rows through the models' ``visible_to(user)`` (the one access layer).

The test makes every model's ``visible_to`` let nothing through, puts a row of each listed
model in the advisor's own office, and calls each list endpoint with the advisor's token: a
list must come back empty. A viewset reading ``Model.objects.all()`` (or a selector that
does) shows its row and fails here.
"""
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from hom.accounts.access import ScopedQuerySet
from hom.testing.api import api_client
from migrants.tests.factories import MigrantFactory
from partnerships.tests.convention_factories import ConventionPartyFactory
from partnerships.tests.factories import IntroductionFactory
from projects.tests.factories import DossierFactory
from projects.tests.funding_factories import FundingOpportunityFactory

pytestmark = pytest.mark.django_db


def _list_urls(patterns=None, prefix=""):
    """The routes under /api/v1/ that take no parameter (the lists and the create-only endpoints)."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _list_urls(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and "<" not in route and "(?P" not in route:
            found.append("/" + route.replace("^", "").replace("$", ""))
    return found


def _let_nothing_through(monkeypatch):
    """Every ``visible_to`` of every model's queryset answers "nothing", whatever the user."""
    classes = {
        klass
        for model in apps.get_models()
        for klass in type(model._default_manager.get_queryset()).__mro__
        if issubclass(klass, ScopedQuerySet) and "visible_to" in vars(klass)
    }
    for klass in classes:
        monkeypatch.setattr(klass, "visible_to", lambda self, user: self.none())


def test_every_api_list_reads_through_visible_to(users, office, monkeypatch):
    person = MigrantFactory(office=office, consent_sharing=True)
    DossierFactory(promoter=person)
    IntroductionFactory(migrant=person)
    ConventionPartyFactory(convention__office=office)
    FundingOpportunityFactory()
    client = api_client(users["advisor"])
    urls = [url for url in _list_urls() if client.get(url).status_code != 405]  # walk-ins: create only
    assert {"/api/v1/migrants/", "/api/v1/dossiers/", "/api/v1/conventions/", "/api/v1/introductions/",
            "/api/v1/organisations/", "/api/v1/funding/"} <= set(urls)
    assert all(client.get(url).json()["results"] for url in urls), "each list shows its row to begin with"

    _let_nothing_through(monkeypatch)

    shown = {url: client.get(url).json()["results"] for url in urls}
    assert not any(shown.values()), {url: rows for url, rows in shown.items() if rows}


def _detail_urls(patterns=None, prefix=""):
    """The routes under /api/v1/ with an id, written with "abc" for each id."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _detail_urls(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and ("<" in route or "(?P" in route):
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "abc", route)
            found.append("/" + re.sub(r"<(?:\w+:)?\w+>", "abc", route).replace("^", "").replace("$", ""))
    return found


def test_an_id_that_is_not_a_number_is_a_404_never_an_error(users):
    client = api_client(users["advisor"])

    answers = {url: (client.get(url) if not url.endswith(("move/", "upload/")) else client.post(url, {})).status_code
               for url in _detail_urls()}

    assert answers and all(code == 404 for code in answers.values()), answers
