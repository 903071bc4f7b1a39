"""Fails when a URL pattern of the project is requested by no test (runs last)."""
import pytest

from hom.testing.url_coverage import all_routes, requested_routes


def test_every_url_pattern_is_requested_by_a_test(request):
    config = request.config
    whole_suite = (
        not config.option.keyword and not config.option.markexpr and not getattr(config.option, "lf", False)
        and sorted(config.args) in (sorted(config.getini("testpaths")), [])
    )
    if not whole_suite:
        pytest.skip("URL coverage is only meaningful when the whole suite runs")

    never_requested = sorted(all_routes() - requested_routes)

    assert never_requested == [], f"URL patterns that no test requests: {never_requested}"


def test_the_route_list_knows_the_projects_urls():
    routes = all_routes()

    assert {"", "healthz", "accounts/login/", "i18n/setlang/"} <= routes
    assert not any(route.startswith("admin/") for route in routes)
