"""Settings of bench/pages.py's gunicorn: production's, plus one bare view (bench/pages_urls.py)."""
from hom import settings as production

# Every setting of production, unchanged (no star import: hom/tests/test_structure.py).
globals().update({name: value for name, value in vars(production).items() if name.isupper()})
ROOT_URLCONF = "bench.pages_urls"
