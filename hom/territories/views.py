"""The commune picker's search: public reference data only (the sign-up form uses it)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import MAX_QUERY_LENGTH, communes_search, normalise_name


@require_GET
def commune_search_view(request):
    """An htmx partial: the communes matching ``q`` as buttons, with their count."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    region = request.GET.get("region", "")
    region_id = int(region) if region.isascii() and region.isdigit() and len(region) < 10 else None
    search = communes_search(query, region_id=region_id)
    return render(
        request, "territories/_commune_options.html", {"search": search, "searched": bool(normalise_name(query))}
    )
