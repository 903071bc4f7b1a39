"""What the ARD writes about a commune for its public profile ("profil migratoire").

The figures of a profile are computed (see ``selectors``); only the narrative and the
planning document (the local development plan) are kept here, edited by staff.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def development_plan_path(profile, filename):
    # The name a file arrives with is not trusted; the commune code is enough to find it.
    return f"communes/{profile.commune.code}/plan-{profile.plan_extension or 'pdf'}.{profile.plan_extension or 'pdf'}"


class CommuneProfile(models.Model):
    commune = models.OneToOneField(
        "territories.Commune", on_delete=models.CASCADE, related_name="profile", verbose_name=_("commune")
    )
    narrative = models.TextField(
        _("presentation"), blank=True, help_text=_("What the diaspora should know about the commune, in plain words.")
    )
    development_plan = models.FileField(
        _("local development plan"), upload_to=development_plan_path, blank=True, max_length=200
    )
    plan_extension = models.CharField(_("file type"), max_length=8, blank=True, editable=False)
    plan_content_type = models.CharField(_("content type"), max_length=120, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["commune__name"]
        verbose_name = _("commune profile")
        verbose_name_plural = _("commune profiles")

    def __str__(self):
        return str(self.commune)

    def get_absolute_url(self):
        return reverse("communes:profile", args=[self.commune.code])
