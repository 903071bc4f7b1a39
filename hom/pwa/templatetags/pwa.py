"""``{% pwa_head %}``: the manifest, the theme colour and, for staff, what the outbox script needs."""
from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from ..selectors import offline_pages_for
from ..views import THEME_COLOUR

register = template.Library()


@register.simple_tag(takes_context=True)
def pwa_head(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    tags = format_html(
        '<link rel="manifest" href="{}"><meta name="theme-color" content="{}">'
        '<link rel="apple-touch-icon" href="{}"><meta name="hom-sw" content="{}">',
        reverse("pwa:manifest"), THEME_COLOUR, static("icons/apple-touch-icon.png"), reverse("pwa:service_worker"),
    )
    pages = offline_pages_for(user) if user is not None else []
    if pages:
        tags += format_html('<meta name="hom-user" content="{}"><meta name="hom-offline-pages" content="{}">',
                            user.pk, " ".join(pages))
    return tags

