"""What the service worker keeps: the static files every page needs, and the apps' offline pages."""
import hashlib

from django.apps import apps
from django.templatetags.static import static
from django.urls import reverse

from hom.accounts.models import STAFF_ROLES

# Every page's styles and scripts (templates/base.html) and the offline page's: kept at install.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css", "css/hom.css", "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js", "js/hom.js", "js/uploads.js", "js/submit-once.js",
    "js/communes.js", "js/outbox-core.js", "js/offline.js",
    "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png", "icons/apple-touch-icon.png",
)


def shell_urls() -> list[str]:
    return [reverse("pwa:offline"), *(static(name) for name in SHELL_FILES)]


def shell_version() -> str:
    """Changes whenever a kept file changes (the static names carry their content's hash in production)."""
    return hashlib.sha256("\n".join(shell_urls()).encode()).hexdigest()[:12]


def offline_pages() -> list[tuple[str, str]]:
    """(URL, label) of every page the apps declare usable without a network (``offline_pages``)."""
    return [(reverse(name), label) for config in apps.get_app_configs()
            for name, label in getattr(config, "offline_pages", ())]


def offline_pages_for(user) -> list[str]:
    """The pages ``user`` may use without a network: the apps' ``offline_pages``, for staff of an office."""
    if not user.is_authenticated or user.role not in STAFF_ROLES or not user.office_id:
        return []
    return [url for url, _label in offline_pages()]
