"""The router of every app's ``api/urls.py``: ids are integers (``<int:pk>``).

DRF's default route accepts any text as an id, and a lookup of ``pk="abc"`` on an integer key
raises ``ValueError`` (a 500). With Django's ``int`` path converter anything but digits is
simply not a URL: 404, as for an unknown id; the schema documents the ids as integers.
"""
from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    def __init__(self, trailing_slash=True):
        super().__init__(trailing_slash=trailing_slash, use_regex_path=False)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        converter = getattr(viewset, "lookup_value_converter", "int")
        return f"<{converter}:{lookup_prefix}{lookup_url_kwarg}>"
