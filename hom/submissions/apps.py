from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "hom.submissions"
    label = "submissions"
    verbose_name = _("Form submissions")
    default_auto_field = "django.db.models.BigAutoField"
    # A form's one-time key and the address it led to (migrants.personal_data): it points at the
    # staff member or migrant who sent the form, holds nothing about them, and is purged after two days.
    personal_data = {
        "not_personal": {"submissions.FormSubmission": "a form's one-time key, no content; purged after two days"},
    }
