"""Every URL pattern must be requested by at least one test.

While the suite runs, each request that Django resolves is recorded by its route. The
test ``hom/tests/test_url_coverage.py`` runs last and compares the record with every
pattern of the URLconf. Django's own admin is left out: its pages are Django's, tested
by Django; ours are reached through it in ``hom/tests/test_admin.py``.
"""
from django.core.handlers.base import BaseHandler
from django.urls import URLPattern, URLResolver, get_resolver

EXCLUDED_PREFIXES = ("admin/",)

requested_routes: set[str] = set()


def _join(prefix: str, route: str) -> str:
    # The same joining as django.urls.resolvers.URLResolver._join_route.
    if not prefix:
        return route
    return prefix + route.removeprefix("^")


def all_routes(patterns=None, prefix: str = "") -> set[str]:
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes |= all_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.add(route)
    return {route for route in routes if not route.startswith(EXCLUDED_PREFIXES)}


def install_recorder() -> None:
    original = BaseHandler.resolve_request
    if getattr(original, "records_routes", False):
        return

    def resolve_request(self, request):
        match = original(self, request)
        requested_routes.add(match.route)
        return match

    resolve_request.records_routes = True
    BaseHandler.resolve_request = resolve_request
