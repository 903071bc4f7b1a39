"""Query counts that must not grow with the number of rows (no N+1 anywhere)."""
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, *, method="get", data=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries), response


def _warm(client, url, *, data=None) -> None:
    """One unmeasured request first: per-person caches (the bell's count) are then filled in both
    measurements, whether or not ``make_rows`` touched what they cache."""
    client.get(url, data or {})


def assert_constant_queries(client, url, *, make_rows: Callable[[int], object], data=None) -> object:
    """Request ``url`` with 2 rows, then with 20: the number of queries must be the same.

    ``make_rows(n)`` adds ``n`` rows visible to the logged-in client. Each count is taken on a
    second request (caches warm, as on every page but a session's first). Returns the response
    at 20 rows, for the caller to check that the rows are really shown.
    """
    make_rows(2)
    _warm(client, url, data=data)
    with_two, _ = count_queries(client, url, data=data)
    make_rows(18)
    _warm(client, url, data=data)
    with_twenty, response = count_queries(client, url, data=data)
    assert with_two == with_twenty, f"{url}: {with_two} queries for 2 rows but {with_twenty} for 20"
    return response
