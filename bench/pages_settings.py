"""Settings of bench/pages.py's gunicorn: production's, plus one bare view (bench/pages_urls.py)."""
from hom.settings import *  # noqa: F403 - the production settings, unchanged

ROOT_URLCONF = "bench.pages_urls"
