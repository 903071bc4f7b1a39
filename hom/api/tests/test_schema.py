"""The OpenAPI schema: valid, complete (every /api/v1/ URL in it), its docs page served under our CSP."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def _v1_routes(patterns=None, prefix=""):
    """Every route under /api/v1/, written the schema's way (``{pk}`` for ``<int:pk>``)."""
    found = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= _v1_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.replace("^", "").startswith("api/v1/"):
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("^", "").replace("$", "")
            found.add("/" + route)
    return found


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_v1_url_is_in_the_schema(schema):
    routes = _v1_routes()
    paths = {re.sub(r"\{\w+\}", "{}", path) for path in schema["paths"]}

    missing = sorted(route for route in routes if re.sub(r"\{\w+\}", "{}", route) not in paths)

    assert routes and not missing, f"under /api/v1/ but not in the schema: {missing}"


def test_the_schema_documents_the_bearer_token(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["bearerAuth"][
            "description"]}


def test_the_docs_pages_use_our_static_files_and_no_inline_script(client):
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "cdn" not in html.lower() and "unpkg" not in html.lower()
        assert "script-src 'self'" in page["Content-Security-Policy"]
        inline = [tag for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S) if tag.strip()]
        assert url == "/api/redoc/" or not inline, f"{url} has an inline script"


def test_the_swagger_script_is_served_from_the_docs_url(client):
    response = client.get("/api/docs/", {"script": ""})

    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()
