"""The access log of the API: every read of a person's data and every write, one row each.

The API's views call :func:`api_access` where the pages call ``migrants.access_log``: a
person's or a dossier's detail, a list of persons or dossiers (logged once per page of
results, with its filters, like the registry's export), and every write that touches a
person (as a change: a write answers with the person's data, and the log says which write). It is the same
one INSERT (``access_record``); ``detail`` starts with "API" and the method, so the log tells a
token's reading from a page's.
"""
from ..access_log import access_record
from ..models import AccessAction

# Filters worth keeping in the log; a cursor is an opaque position, not a filter.
SKIPPED_PARAMETERS = {"cursor", "page_size", "format"}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def api_filters(request) -> str:
    query = request.query_params.copy()
    for name in SKIPPED_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


def api_access(request, *, action: str, target: str, migrant_id=None, object_id=None, what: str = "") -> None:
    detail = " ".join(part for part in ("API", request.method, what) if part)
    if request.method not in SAFE_METHODS and action == AccessAction.VIEW:
        action = AccessAction.CHANGE
    access_record(user=request.user, action=action, target=target, migrant_id=migrant_id, object_id=object_id,
                  detail=detail)
