"""The manifest, the service worker (served from the root so that its scope is the whole site) and the offline page."""
import json

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import selectors

THEME_COLOUR = "#0a58ca"


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    response = JsonResponse({
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_SHORT_NAME,
        "description": _("Registry, visits and project dossiers of the Help Office for Migrants."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    # Browsers check the worker for changes at each navigation (no-cache); a new version replaces the
    # old one at once (skipWaiting) and drops the old caches.
    shell = selectors.shell_urls()
    config = {"version": selectors.shell_version(), "shell": shell, "offline": shell[0],
              "outboxCore": static("js/outbox-core.js")}
    return render(request, "pwa/sw.js", {"config": json.dumps(config)},
                  content_type="application/javascript; charset=utf-8")


@require_GET
def offline(request):
    """What a page that needs the network shows without one: the same for everybody, kept by the worker."""
    return render(request, "pwa/offline.html", {"pages": selectors.offline_pages()})
