"""One-time keys of the create forms: a form sent twice creates one row.

Every create form carries a random key (``{% submission_key %}``); the first POST that
succeeds stores ``(user, key) → the URL of what it created`` in the same transaction as the
row itself, and a second POST of the same key is sent to that URL instead of creating
again. A table rather than the cache: it survives Redis being down, and the unique
constraint makes a second, simultaneous POST wait for the first and then find its result.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=64)
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="form_submission_unique_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
