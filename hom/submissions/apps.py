from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "hom.submissions"
    label = "submissions"
    verbose_name = _("Form submissions")
    default_auto_field = "django.db.models.BigAutoField"

    # migrants.personal_data: a key points at the account that sent a form, not at a person's data;
    # it goes with the account (CASCADE) and is purged after two days (services.KEEP_FOR).
    personal_data = {
        "not_personal": {"submissions.FormSubmission": "a form's one-time key, purged after two days"},
    }
