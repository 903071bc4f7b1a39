"""One code sent by SMS to the phone number of an account: to confirm a sign-up, or to reset the password.

Only a hash of the code is stored (HMAC with the site's secret key and the row's salt). A code
lives ``PHONE_CODE_LIFETIME`` (10 minutes), allows ``PHONE_CODE_MAX_TRIES`` (5) wrong guesses,
and is used once; asking for a new one closes the previous ones. Not historised: a row holds no
personal data (the number is the account's), only a hash, counters and times.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountCodePurpose(models.TextChoices):
    SIGN_UP = "sign_up", _("Sign-up confirmation")
    RESET = "reset", _("Password reset")


class AccountCode(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_codes", verbose_name=_("account")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=AccountCodePurpose.choices)
    salt = models.CharField(_("salt"), max_length=32)
    code_hash = models.CharField(_("code hash"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account code")
        verbose_name_plural = _("account codes")
        indexes = [models.Index(fields=["user", "purpose", "-created_at"], name="account_code_user_idx")]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.user_id}"
