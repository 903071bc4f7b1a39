"""WSGI entry point, served by gunicorn in production."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hom.settings")
application = get_wsgi_application()

from hom.startup import require_secret_key  # noqa: E402 - once the settings are configured

require_secret_key()
