"""``{% submission_key %}``: the hidden one-time key of a create form (put it next to ``{% csrf_token %}``)."""
import uuid

from django import template
from django.utils.html import format_html

from ..services import FIELD_NAME

register = template.Library()


@register.simple_tag
def submission_key():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, uuid.uuid4().hex)
