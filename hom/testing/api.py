"""The API's twin of the access matrix and of the query counts: each role calls with its own token."""
from rest_framework.test import APIClient

from .access import ROLES


def token_for(user, name: str = "tests") -> str:
    from hom.api.services import api_token_create

    return api_token_create(user=user, name=name)[1]


def api_client(user=None) -> APIClient:
    """A client sending ``Authorization: Bearer`` with a fresh token of ``user`` (none for anonymous)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


def assert_api_matrix(url, expected, users, *, method="get", data=None):
    """Assert that each role, calling with its token, gets its expected status at ``url``."""
    missing = [role for role in ROLES if role not in expected]
    assert not missing, f"the API matrix of {url} misses roles: {missing}"
    failures = []
    for role in ROLES:
        client = api_client(None if role == "anonymous" else users[role])
        response = getattr(client, method)(url, data or {}, format="json")
        if response.status_code != expected[role]:
            failures.append(f"  {role}: expected {expected[role]}, got {response.status_code}")
        elif response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), (role, response["Content-Type"])
    assert not failures, f"API matrix of {method.upper()} {url}:\n" + "\n".join(failures)


def assert_constant_api_queries(client, url, *, make_rows, data=None):
    """:func:`hom.testing.queries.assert_constant_queries` for a token client.

    A token's last use is written at most once a minute, so one call first, outside the count:
    otherwise the first counted call pays for that UPDATE and the second does not.
    """
    from .queries import assert_constant_queries

    client.get(url, data or {})
    return assert_constant_queries(client, url, make_rows=make_rows, data=data)
