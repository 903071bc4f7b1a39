"""The office's name (settings ``SITE_NAME``, ``SITE_SHORT_NAME``) for the bar, the titles and the footer.

Named ``brand_name`` and ``brand_short_name``: Django's auth views already put the host in ``site_name``.
"""
from django.conf import settings


def site(request):
    return {"brand_name": settings.SITE_NAME, "brand_short_name": settings.SITE_SHORT_NAME}
