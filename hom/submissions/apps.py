from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "hom.submissions"
    label = "submissions"
    verbose_name = _("Form submissions")
    default_auto_field = "django.db.models.BigAutoField"
