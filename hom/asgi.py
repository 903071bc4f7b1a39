"""ASGI entry point (kept for completeness; production runs WSGI under gunicorn)."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")
application = get_asgi_application()

from hom.startup import require_secret_key  # noqa: E402 - once the settings are configured

require_secret_key()
